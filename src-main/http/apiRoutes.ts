import type { z } from 'zod'
import {
  cancelRefundSchema,
  cancelSessionSchema,
  createRefundSchema,
  createSessionSchema,
  createWebhookEndpointSchema,
  listRefundsSchema,
  listSessionsSchema,
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
import {
  checkoutSessionListSchema,
  checkoutSessionSchema,
  dailyTotalsSchema,
  deletedWebhookEndpointSchema,
  openApiDocumentSchema,
  paymentSessionSchema,
  refundPageSchema,
  refundSchema,
  sessionPageSchema,
  stablepayRefundCanceledSchema,
  stablepayRefundSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from './responseSchemas'

/**
 * Every REST API route, both dialects, in one table (#12): the router
 * (api.ts) dispatches from it, and the OpenAPI document (openapi.ts) is
 * generated from it with the same zod schemas that check the requests, so a
 * route cannot exist without being described, nor be described without
 * existing. A new route is one entry here and a handler of its `operation`'s
 * name in api.ts (TypeScript refuses a table entry without its handler).
 *
 * - `v1`: the seed's shapes under /v1 (decimal amounts, upper-case statuses).
 *   A signature is checked when one is sent (and required by a key marked
 *   "signed requests only").
 * - `stablepay`: StablePay's current reference under /api/v1 (minor units,
 *   lowercase statuses). Every request must be signed.
 *
 * Order matters as it does for the router: a fixed path (`.../create`) comes
 * before the `{id}` path it would otherwise match.
 */
export type Dialect = 'v1' | 'stablepay'
export type Method = 'GET' | 'POST' | 'DELETE'

/** Who may call it: an API key (Bearer), a key and a signature (/api/v1), or anyone (the document itself). */
export type ApiAuth = 'key' | 'signed' | 'none'

/** A success answer: a JSON body described by its zod schema, or a CSV file (the reports). */
export type ApiResponseSpec = { description: string; schema: z.ZodType } | { description: string; csv: true }

export interface ApiRouteSpec {
  method: Method
  /** The OpenAPI path template; `{name}` is one path segment, handed to the handler in order. */
  path: string
  dialect: Dialect
  /** The handler's name in api.ts, and the document's operationId. */
  operation: string
  summary: string
  /** Groups operations in the document (Payment sessions, Refunds, …). */
  tag: string
  auth: ApiAuth
  /** The JSON body's schema: the same one the handler parses with. */
  body?: z.ZodType
  /** The query's schema (an object of strings): the same one the handler parses with. */
  query?: z.ZodObject
  /** Success answers by status; every route may also answer the Error object (4xx/5xx). */
  responses: Partial<Record<200 | 201, ApiResponseSpec>>
}

const session = (description: string): ApiResponseSpec => ({ description, schema: paymentSessionSchema })
const refund = (description: string): ApiResponseSpec => ({ description, schema: refundSchema })
const endpoint = (description: string): ApiResponseSpec => ({ description, schema: webhookEndpointSchema })
const checkout = (description: string): ApiResponseSpec => ({ description, schema: checkoutSessionSchema })
const spRefund = (description: string): ApiResponseSpec => ({ description, schema: stablepayRefundSchema })
const csv = (description: string): ApiResponseSpec => ({ description, csv: true })

export const API_ROUTES = [
  // ------------------------------------------------------------ /v1 (the seed's dialect)
  {
    method: 'POST',
    path: '/v1/payment/sessions/create',
    dialect: 'v1',
    operation: 'createSession',
    summary: 'Create a payment session (a sale); the same order_id with the same terms returns the existing one',
    tag: 'Payment sessions',
    auth: 'key',
    body: createSessionSchema,
    responses: { 201: session('Created'), 200: session('The existing session of this order_id') },
  },
  {
    method: 'GET',
    path: '/v1/payment/sessions',
    dialect: 'v1',
    operation: 'listSessions',
    summary: 'List payment sessions, newest first',
    tag: 'Payment sessions',
    auth: 'key',
    query: listSessionsSchema,
    responses: { 200: { description: 'A page of sessions', schema: sessionPageSchema } },
  },
  {
    method: 'POST',
    path: '/v1/payment/sessions/{id}/cancel',
    dialect: 'v1',
    operation: 'cancelSession',
    summary: 'Cancel a session that is not paid',
    tag: 'Payment sessions',
    auth: 'key',
    body: cancelSessionSchema,
    responses: { 200: session('The cancelled session') },
  },
  {
    method: 'GET',
    path: '/v1/payment/sessions/{id}',
    dialect: 'v1',
    operation: 'getSession',
    summary: 'Retrieve a payment session',
    tag: 'Payment sessions',
    auth: 'key',
    responses: { 200: session('The session') },
  },
  // Refunds (#11).
  {
    method: 'POST',
    path: '/v1/refunds/create',
    dialect: 'v1',
    operation: 'createRefund',
    summary: 'Create a refund of a paid session; refund_id is the idempotency key',
    tag: 'Refunds',
    auth: 'key',
    body: createRefundSchema,
    responses: { 201: refund('Created'), 200: refund('The existing refund of this refund_id') },
  },
  {
    method: 'GET',
    path: '/v1/refunds',
    dialect: 'v1',
    operation: 'listRefunds',
    summary: 'List refunds, newest first',
    tag: 'Refunds',
    auth: 'key',
    query: listRefundsSchema,
    responses: { 200: { description: 'A page of refunds', schema: refundPageSchema } },
  },
  {
    method: 'POST',
    path: '/v1/refunds/{id}/cancel',
    dialect: 'v1',
    operation: 'cancelRefund',
    summary: 'Cancel a refund still pending',
    tag: 'Refunds',
    auth: 'key',
    body: cancelRefundSchema,
    responses: { 200: refund('The cancelled refund') },
  },
  {
    method: 'GET',
    path: '/v1/refunds/{id}',
    dialect: 'v1',
    operation: 'getRefund',
    summary: 'Retrieve a refund',
    tag: 'Refunds',
    auth: 'key',
    responses: { 200: refund('The refund') },
  },
  // Webhook endpoints over the API (#12): a back office registers itself.
  {
    method: 'POST',
    path: '/v1/webhook_endpoints',
    dialect: 'v1',
    operation: 'createWebhookEndpoint',
    summary: 'Create a webhook endpoint (its signing secret is answered once, here)',
    tag: 'Webhook endpoints',
    auth: 'key',
    body: createWebhookEndpointSchema,
    responses: { 201: { description: 'Created, with its secret', schema: webhookEndpointWithSecretSchema } },
  },
  {
    method: 'GET',
    path: '/v1/webhook_endpoints',
    dialect: 'v1',
    operation: 'listWebhookEndpoints',
    summary: 'List webhook endpoints (without their secrets)',
    tag: 'Webhook endpoints',
    auth: 'key',
    query: noParametersSchema,
    responses: { 200: { description: 'All of the shop’s endpoints', schema: webhookEndpointListSchema } },
  },
  {
    method: 'POST',
    path: '/v1/webhook_endpoints/{id}/rotate_secret',
    dialect: 'v1',
    operation: 'rotateWebhookEndpointSecret',
    summary: "Replace a webhook endpoint's signing secret (the new one is answered once, here)",
    tag: 'Webhook endpoints',
    auth: 'key',
    body: noParametersSchema,
    responses: { 200: { description: 'The endpoint with its new secret', schema: webhookEndpointWithSecretSchema } },
  },
  {
    method: 'GET',
    path: '/v1/webhook_endpoints/{id}',
    dialect: 'v1',
    operation: 'getWebhookEndpoint',
    summary: 'Retrieve a webhook endpoint',
    tag: 'Webhook endpoints',
    auth: 'key',
    responses: { 200: endpoint('The endpoint') },
  },
  {
    method: 'POST',
    path: '/v1/webhook_endpoints/{id}',
    dialect: 'v1',
    operation: 'updateWebhookEndpoint',
    summary: 'Update a webhook endpoint (url, events, enabled)',
    tag: 'Webhook endpoints',
    auth: 'key',
    body: updateWebhookEndpointSchema,
    responses: { 200: endpoint('The updated endpoint') },
  },
  {
    method: 'DELETE',
    path: '/v1/webhook_endpoints/{id}',
    dialect: 'v1',
    operation: 'deleteWebhookEndpoint',
    summary: 'Delete a webhook endpoint',
    tag: 'Webhook endpoints',
    auth: 'key',
    responses: { 200: { description: 'Deleted', schema: deletedWebhookEndpointSchema } },
  },
  // Reports with a key (#12), as the owner's screens export them: the key's merchant and mode only.
  {
    method: 'GET',
    path: '/v1/reports/sales.csv',
    dialect: 'v1',
    operation: 'salesCsv',
    summary: 'Sales as CSV, as the owner’s screen exports them',
    tag: 'Reports',
    auth: 'key',
    query: salesReportQuerySchema,
    responses: { 200: csv('The sales, one row per session (an attachment)') },
  },
  {
    method: 'GET',
    path: '/v1/reports/refunds.csv',
    dialect: 'v1',
    operation: 'refundsCsv',
    summary: 'Refunds as CSV',
    tag: 'Reports',
    auth: 'key',
    query: refundsReportQuerySchema,
    responses: { 200: csv('The refunds, one row per refund (an attachment)') },
  },
  {
    method: 'GET',
    path: '/v1/reports/daily_totals',
    dialect: 'v1',
    operation: 'dailyTotals',
    summary: "Daily takings in the shop's time zone, per token and network",
    tag: 'Reports',
    auth: 'key',
    query: salesReportQuerySchema,
    responses: { 200: { description: 'One row per day, token and network', schema: dailyTotalsSchema } },
  },
  // ------------------------------------------------------------ the document
  {
    method: 'GET',
    path: '/v1/openapi.json',
    dialect: 'v1',
    operation: 'openApi',
    summary: 'This OpenAPI 3.1 document (no key needed)',
    tag: 'API description',
    auth: 'none',
    responses: { 200: { description: 'The OpenAPI document', schema: openApiDocumentSchema } },
  },

  // ------------------------------------------------------------ /api/v1 (StablePay's current reference, #12): always signed
  {
    method: 'POST',
    path: '/api/v1/checkout/sessions/create',
    dialect: 'stablepay',
    operation: 'spCreateSession',
    summary: 'Create a checkout session (amounts in minor units); the same order_id with the same terms returns the existing one',
    tag: 'StablePay checkout sessions',
    auth: 'signed',
    body: stablepayCreateSessionSchema,
    responses: { 201: checkout('Created'), 200: checkout('The existing session of this order_id') },
  },
  {
    method: 'GET',
    path: '/api/v1/checkout/sessions',
    dialect: 'stablepay',
    operation: 'spListSessions',
    summary: 'List checkout sessions, newest first',
    tag: 'StablePay checkout sessions',
    auth: 'signed',
    query: stablepayListSessionsSchema,
    responses: { 200: { description: 'A page of checkout sessions', schema: checkoutSessionListSchema } },
  },
  {
    method: 'POST',
    path: '/api/v1/checkout/sessions/{id}/cancel',
    dialect: 'stablepay',
    operation: 'spCancelSession',
    summary: 'Cancel a pending checkout session',
    tag: 'StablePay checkout sessions',
    auth: 'signed',
    body: stablepayNoParametersSchema,
    responses: { 200: checkout('The cancelled session') },
  },
  {
    method: 'GET',
    path: '/api/v1/checkout/sessions/{id}',
    dialect: 'stablepay',
    operation: 'spGetSession',
    summary: 'Retrieve a checkout session',
    tag: 'StablePay checkout sessions',
    auth: 'signed',
    responses: { 200: checkout('The session') },
  },
  {
    method: 'POST',
    path: '/api/v1/refunds/create',
    dialect: 'stablepay',
    operation: 'spCreateRefund',
    summary: 'Create a refund (amount in cents of the token); refund_id is the idempotency key',
    tag: 'StablePay refunds',
    auth: 'signed',
    body: stablepayCreateRefundSchema,
    responses: { 201: spRefund('Created'), 200: spRefund('The existing refund of this refund_id') },
  },
  {
    method: 'POST',
    path: '/api/v1/refunds/{refund_id}/cancel',
    dialect: 'stablepay',
    operation: 'spCancelRefund',
    summary: 'Cancel a refund still in progress',
    tag: 'StablePay refunds',
    auth: 'signed',
    body: stablepayNoParametersSchema,
    responses: { 200: { description: 'The refund, cancelled', schema: stablepayRefundCanceledSchema } },
  },
  {
    method: 'GET',
    path: '/api/v1/refunds/{refund_id}',
    dialect: 'stablepay',
    operation: 'spGetRefund',
    summary: 'Retrieve a refund by its refund_id',
    tag: 'StablePay refunds',
    auth: 'signed',
    responses: { 200: spRefund('The refund') },
  },
] as const satisfies readonly ApiRouteSpec[]

export type ApiRoute = (typeof API_ROUTES)[number]
export type Operation = ApiRoute['operation']

/** `/v1/refunds/{id}` → /^\/v1\/refunds\/([^/]+)$/: each `{name}` one segment. */
export function routePattern(path: string): RegExp {
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`)
}
