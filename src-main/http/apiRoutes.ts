import type { z } from 'zod'
import {
  cancelRefundSchema,
  cancelSessionSchema,
  createRefundSchema,
  createSessionSchema,
  listRefundsSchema,
  listSessionsSchema,
} from './schemas'
import { openApiDocumentSchema, paymentSessionSchema, refundPageSchema, refundSchema, sessionPageSchema } from './responseSchemas'

/**
 * Every REST API route, in one table (#12): the router (api.ts) is built
 * from it, and so is the OpenAPI document (openapi.ts), so a route cannot
 * exist without being described, nor be described without existing. A new
 * route is one entry here and a handler of its `operation`'s name in api.ts
 * (TypeScript refuses a table entry without its handler).
 *
 * Order matters as it does for the router: a fixed path (`.../create`) comes
 * before the `{id}` path it would otherwise match.
 */

/** Who may call it: an API key (Bearer), or anyone (the document itself). */
export type ApiAuth = 'key' | 'none'

export interface ApiResponseSpec {
  description: string
  schema: z.ZodType
}

export interface ApiRouteSpec {
  method: 'GET' | 'POST'
  /** The OpenAPI path template; `{name}` is one path segment, handed to the handler in order. */
  path: string
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

export const API_ROUTES = [
  // ------------------------------------------------------------ the /v1 dialect (the seed's shapes)
  {
    method: 'POST',
    path: '/v1/payment/sessions/create',
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
    operation: 'getRefund',
    summary: 'Retrieve a refund',
    tag: 'Refunds',
    auth: 'key',
    responses: { 200: refund('The refund') },
  },
  // ------------------------------------------------------------ the document
  {
    method: 'GET',
    path: '/v1/openapi.json',
    operation: 'openApi',
    summary: 'This OpenAPI 3.1 document (no key needed)',
    tag: 'API description',
    auth: 'none',
    responses: { 200: { description: 'The OpenAPI document', schema: openApiDocumentSchema } },
  },
] as const satisfies readonly ApiRouteSpec[]

export type ApiRoute = (typeof API_ROUTES)[number]
export type ApiOperation = ApiRoute['operation']

/** `/v1/refunds/{id}` → /^\/v1\/refunds\/([^/]+)$/: each `{name}` one segment. */
export function routePattern(path: string): RegExp {
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`)
}
