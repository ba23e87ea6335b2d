import { z } from 'zod'
import type { ApiResponseSpec, ApiRouteSpec } from './apiRoutes'
import { API_ROUTES } from './apiRoutes'
import { CLOCK_WINDOW_SECONDS } from './signing'
import {
  checkoutSessionListSchema,
  checkoutSessionSchema,
  dailyTotalSchema,
  dailyTotalsSchema,
  deletedWebhookEndpointSchema,
  errorSchema,
  paymentOptionSchema,
  paymentSessionSchema,
  refundPageSchema,
  refundSchema,
  sessionPageSchema,
  sessionTransactionSchema,
  stablepayRefundCanceledSchema,
  stablepayRefundSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from './responseSchemas'

/**
 * The OpenAPI 3.1 document served at `GET /v1/openapi.json` (#12), generated
 * from the route table (apiRoutes.ts) and the zod schemas that validate the
 * requests and describe the responses: nothing in it is written twice. zod's
 * JSON Schema is draft 2020-12, which OpenAPI 3.1 takes as it is.
 */

/** Named schemas: each appears once under components.schemas and is referenced elsewhere. */
const NAMED: ReadonlyArray<readonly [string, z.ZodType]> = [
  ['PaymentSession', paymentSessionSchema],
  ['PaymentOption', paymentOptionSchema],
  ['SessionTransaction', sessionTransactionSchema],
  ['SessionPage', sessionPageSchema],
  ['Refund', refundSchema],
  ['RefundPage', refundPageSchema],
  ['WebhookEndpoint', webhookEndpointSchema],
  ['WebhookEndpointWithSecret', webhookEndpointWithSecretSchema],
  ['WebhookEndpointList', webhookEndpointListSchema],
  ['DeletedWebhookEndpoint', deletedWebhookEndpointSchema],
  ['DailyTotal', dailyTotalSchema],
  ['DailyTotals', dailyTotalsSchema],
  ['CheckoutSession', checkoutSessionSchema],
  ['CheckoutSessionList', checkoutSessionListSchema],
  ['StablePayRefund', stablepayRefundSchema],
  ['StablePayRefundCanceled', stablepayRefundCanceledSchema],
  ['Error', errorSchema],
]

/** The three signing headers: all of them together make a signature (one security requirement). */
const SIGNED = { apiKey: [], stablepayTimestamp: [], stablepayNonce: [], stablepaySignature: [] }

/**
 * Who may call a route, as OpenAPI security requirements: a key; or, for /v1,
 * a key with or without a signature (a key marked "signed requests only" needs
 * one); /api/v1 always a key and a signature.
 */
function securityOf(route: ApiRouteSpec): JsonObject[] {
  if (route.auth === 'none') return []
  if (route.auth === 'signed') return [SIGNED]
  return [{ apiKey: [] }, SIGNED]
}

type JsonObject = Record<string, unknown>

/** "createSession" → "CreateSessionRequest": the name of a route's body under components.schemas. */
const requestName = (route: ApiRouteSpec) => `${route.operation.charAt(0).toUpperCase()}${route.operation.slice(1)}Request`

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })

export function openApiDocument(routes: readonly ApiRouteSpec[] = API_ROUTES): JsonObject {
  const registry = z.registry<{ id: string }>()
  const names = new Map<z.ZodType, string>()
  const name = (schema: z.ZodType, id: string) => {
    if (names.has(schema)) return
    names.set(schema, id)
    registry.add(schema, { id })
  }
  for (const [id, schema] of NAMED) name(schema, id)
  for (const route of routes) {
    // A body schema shared by routes (the empty cancel bodies) is named after the first and referenced by all.
    if (route.body) name(route.body, requestName(route))
    for (const response of Object.values<ApiResponseSpec | undefined>(route.responses))
      if (response && 'schema' in response && !names.has(response.schema))
        name(response.schema, `${requestName(route).replace(/Request$/, '')}Response`)
  }
  // Requests are described as sent (before zod's transforms), which is what a client needs to know.
  const { schemas } = z.toJSONSchema(registry, { io: 'input', unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` }) as {
    schemas: Record<string, JsonObject>
  }
  for (const schema of Object.values(schemas)) {
    delete schema.$schema
    delete schema.$id
  }

  const paths: Record<string, Record<string, JsonObject>> = {}
  for (const route of routes) {
    const parameters: JsonObject[] = []
    for (const match of route.path.matchAll(/\{([^}]+)\}/g))
      parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } })
    if (route.query) {
      const query = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as {
        properties?: Record<string, JsonObject>
        required?: string[]
      }
      for (const [param, schema] of Object.entries(query.properties ?? {}))
        parameters.push({ name: param, in: 'query', required: (query.required ?? []).includes(param), schema })
    }
    if (route.method !== 'GET' && route.auth !== 'none')
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'A retry with the same key and body answers the first response again (Idempotent-Replayed: true)',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      })

    const responses: JsonObject = {}
    for (const [status, response] of Object.entries<ApiResponseSpec | undefined>(route.responses)) {
      if (!response) continue
      responses[status] = {
        description: response.description,
        content:
          'schema' in response
            ? { 'application/json': { schema: ref(names.get(response.schema) ?? '') } }
            : { 'text/csv': { schema: { type: 'string', description: 'UTF-8 CSV with a header row' } } },
      }
    }
    responses.default = { description: 'An error', content: { 'application/json': { schema: ref('Error') } } }

    const operation: JsonObject = {
      operationId: route.operation,
      summary: route.summary,
      tags: [route.tag],
      security: securityOf(route),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              // A body with nothing required (cancel) may be left out altogether.
              required: ((schemas[names.get(route.body) ?? '']?.required as string[] | undefined) ?? []).length > 0,
              content: { 'application/json': { schema: ref(names.get(route.body) ?? '') } },
            },
          }
        : {}),
      responses,
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'StablePay POS API',
      version: '1',
      description:
        'The till’s REST API in two dialects answered from the same engine and rows the screens use: the seed’s shapes under /v1 ' +
        '(decimal amounts, upper-case statuses), and StablePay’s current reference under /api/v1 (minor units, lowercase ' +
        'statuses; every request signed). Generated from the schemas the server validates requests with. See docs/api.md.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer sk_test_… (or sk_live_…)' },
        stablepayTimestamp: {
          type: 'apiKey',
          in: 'header',
          name: 'X-StablePay-Timestamp',
          description: `Unix seconds of the request; at most ${CLOCK_WINDOW_SECONDS} s from the till's clock`,
        },
        stablepayNonce: {
          type: 'apiKey',
          in: 'header',
          name: 'X-StablePay-Nonce',
          description: '16-64 printable characters, new for every request (a UUID will do); a nonce is accepted once',
        },
        stablepaySignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-StablePay-Signature',
          description:
            'Lowercase hex HMAC-SHA256 of "{timestamp}.{nonce}.{raw body}" (empty when no body is sent, as for GET) with the API ' +
            'key’s API secret (Settings → API keys). Required on /api/v1 and for keys marked "signed requests only"; checked on /v1 when sent.',
        },
      },
    },
    paths,
  }
}
