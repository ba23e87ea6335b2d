import type { z } from 'zod'
import {
  cancelRefundSchema,
  cancelSessionSchema,
  createRefundSchema,
  createSessionSchema,
  listRefundsSchema,
  listSessionsSchema,
  createWebhookEndpointSchema,
  noParametersSchema,
  refundsReportQuerySchema,
  salesReportQuerySchema,
  updateWebhookEndpointSchema,
} from './schemas'
import {
  stablepayCreateRefundSchema,
  stablepayCreateSessionSchema,
  stablepayListSessionsSchema,
  stablepayNoParametersSchema,
} from './stablepay'

/**
 * Every REST API route, both dialects, in one table: the server dispatches
 * from it (api.ts binds one handler per `operation`) and the OpenAPI document
 * is generated from it, with the same zod schemas that check the requests.
 *
 * - `v1`: the seed's shapes under /v1 (decimal amounts, upper-case statuses).
 *   A signature is checked when one is sent.
 * - `stablepay`: StablePay's current reference under /api/v1 (minor units,
 *   lowercase statuses). Every request must be signed.
 */
export type Dialect = 'v1' | 'stablepay'
export type Method = 'GET' | 'POST' | 'DELETE'

export interface ApiRoute {
  method: Method
  /** OpenAPI style: `{id}` is one path segment. */
  path: string
  dialect: Dialect
  /** operationId in the document; names the handler. */
  operation: string
  summary: string
  /** JSON body (POST) or query (GET), checked by this schema. */
  body?: z.ZodType
  query?: z.ZodType
  /** What a 2xx answers: JSON (the default) or CSV text. */
  produces?: 'json' | 'csv'
}

export const API_ROUTES = [
  // ---------------------------------------------------------------- /v1 (the seed's dialect)
  {
    method: 'POST',
    path: '/v1/payment/sessions/create',
    dialect: 'v1',
    operation: 'createSession',
    summary: 'Create a payment session',
    body: createSessionSchema,
  },
  {
    method: 'GET',
    path: '/v1/payment/sessions',
    dialect: 'v1',
    operation: 'listSessions',
    summary: 'List payment sessions',
    query: listSessionsSchema,
  },
  {
    method: 'POST',
    path: '/v1/payment/sessions/{id}/cancel',
    dialect: 'v1',
    operation: 'cancelSession',
    summary: 'Cancel a pending session',
    body: cancelSessionSchema,
  },
  { method: 'GET', path: '/v1/payment/sessions/{id}', dialect: 'v1', operation: 'getSession', summary: 'Retrieve a payment session' },
  // Refunds (#11).
  {
    method: 'POST',
    path: '/v1/refunds/create',
    dialect: 'v1',
    operation: 'createRefund',
    summary: 'Create a refund',
    body: createRefundSchema,
  },
  { method: 'GET', path: '/v1/refunds', dialect: 'v1', operation: 'listRefunds', summary: 'List refunds', query: listRefundsSchema },
  {
    method: 'POST',
    path: '/v1/refunds/{id}/cancel',
    dialect: 'v1',
    operation: 'cancelRefund',
    summary: 'Cancel a refund',
    body: cancelRefundSchema,
  },
  { method: 'GET', path: '/v1/refunds/{id}', dialect: 'v1', operation: 'getRefund', summary: 'Retrieve a refund' },
  // Webhook endpoints over the API (#12): a back office registers itself.
  {
    method: 'POST',
    path: '/v1/webhook_endpoints',
    dialect: 'v1',
    operation: 'createWebhookEndpoint',
    summary: 'Create a webhook endpoint (its secret is answered once)',
    body: createWebhookEndpointSchema,
  },
  { method: 'GET', path: '/v1/webhook_endpoints', dialect: 'v1', operation: 'listWebhookEndpoints', summary: 'List webhook endpoints' },
  {
    method: 'POST',
    path: '/v1/webhook_endpoints/{id}/rotate_secret',
    dialect: 'v1',
    operation: 'rotateWebhookEndpointSecret',
    summary: "Replace a webhook endpoint's signing secret (answered once)",
    body: noParametersSchema,
  },
  {
    method: 'GET',
    path: '/v1/webhook_endpoints/{id}',
    dialect: 'v1',
    operation: 'getWebhookEndpoint',
    summary: 'Retrieve a webhook endpoint',
  },
  {
    method: 'POST',
    path: '/v1/webhook_endpoints/{id}',
    dialect: 'v1',
    operation: 'updateWebhookEndpoint',
    summary: 'Update a webhook endpoint',
    body: updateWebhookEndpointSchema,
  },
  {
    method: 'DELETE',
    path: '/v1/webhook_endpoints/{id}',
    dialect: 'v1',
    operation: 'deleteWebhookEndpoint',
    summary: 'Delete a webhook endpoint',
  },
  // Reports with a key (#12), as the owner's screens export them.
  {
    method: 'GET',
    path: '/v1/reports/sales.csv',
    dialect: 'v1',
    operation: 'salesCsv',
    summary: 'Sales as CSV',
    query: salesReportQuerySchema,
    produces: 'csv',
  },
  {
    method: 'GET',
    path: '/v1/reports/refunds.csv',
    dialect: 'v1',
    operation: 'refundsCsv',
    summary: 'Refunds as CSV',
    query: refundsReportQuerySchema,
    produces: 'csv',
  },
  {
    method: 'GET',
    path: '/v1/reports/daily_totals',
    dialect: 'v1',
    operation: 'dailyTotals',
    summary: "Daily takings in the shop's time zone",
    query: salesReportQuerySchema,
  },

  // ---------------------------------------------------------------- /api/v1 (StablePay's current reference, #12): always signed
  {
    method: 'POST',
    path: '/api/v1/checkout/sessions/create',
    dialect: 'stablepay',
    operation: 'spCreateSession',
    summary: 'Create a checkout session (amounts in minor units)',
    body: stablepayCreateSessionSchema,
  },
  {
    method: 'GET',
    path: '/api/v1/checkout/sessions',
    dialect: 'stablepay',
    operation: 'spListSessions',
    summary: 'List checkout sessions',
    query: stablepayListSessionsSchema,
  },
  {
    method: 'POST',
    path: '/api/v1/checkout/sessions/{id}/cancel',
    dialect: 'stablepay',
    operation: 'spCancelSession',
    summary: 'Cancel a pending checkout session',
    body: stablepayNoParametersSchema,
  },
  {
    method: 'GET',
    path: '/api/v1/checkout/sessions/{id}',
    dialect: 'stablepay',
    operation: 'spGetSession',
    summary: 'Retrieve a checkout session',
  },
  {
    method: 'POST',
    path: '/api/v1/refunds/create',
    dialect: 'stablepay',
    operation: 'spCreateRefund',
    summary: 'Create a refund (amount in cents of the token)',
    body: stablepayCreateRefundSchema,
  },
  {
    method: 'POST',
    path: '/api/v1/refunds/{refund_id}/cancel',
    dialect: 'stablepay',
    operation: 'spCancelRefund',
    summary: 'Cancel a refund still in progress',
    body: stablepayNoParametersSchema,
  },
  {
    method: 'GET',
    path: '/api/v1/refunds/{refund_id}',
    dialect: 'stablepay',
    operation: 'spGetRefund',
    summary: 'Retrieve a refund by its refund_id',
  },
] as const satisfies readonly ApiRoute[]

export type Operation = (typeof API_ROUTES)[number]['operation']

/** The route's path as a pattern: each `{name}` captures one segment. */
export function routePattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '([^/]+)')}$`)
}
