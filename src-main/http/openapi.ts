import { z } from 'zod'
import type { ApiRouteSpec } from './apiRoutes'
import { API_ROUTES } from './apiRoutes'
import {
  errorSchema,
  paymentOptionSchema,
  paymentSessionSchema,
  refundPageSchema,
  refundSchema,
  sessionPageSchema,
  sessionTransactionSchema,
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
  ['Error', errorSchema],
]

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
    if (route.body) name(route.body, requestName(route))
    for (const response of Object.values(route.responses))
      if (response && !names.has(response.schema)) name(response.schema, `${requestName(route).replace(/Request$/, '')}Response`)
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
    if (route.method === 'POST' && route.auth === 'key')
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'A retry with the same key and body answers the first response again (Idempotent-Replayed: true)',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      })

    const responses: JsonObject = {}
    for (const [status, response] of Object.entries(route.responses)) {
      if (!response) continue
      responses[status] = {
        description: response.description,
        content: { 'application/json': { schema: ref(names.get(response.schema) ?? '') } },
      }
    }
    responses.default = { description: 'An error', content: { 'application/json': { schema: ref('Error') } } }

    const operation: JsonObject = {
      operationId: route.operation,
      summary: route.summary,
      tags: [route.tag],
      security: route.auth === 'key' ? [{ apiKey: [] }] : [],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              // A body with nothing required (cancel) may be left out altogether.
              required: ((schemas[requestName(route)]?.required as string[] | undefined) ?? []).length > 0,
              content: { 'application/json': { schema: ref(requestName(route)) } },
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
        'The till’s REST API: StablePay’s payment-session shapes under /v1, answered from the same engine the screens use. ' +
        'Generated from the schemas the server validates requests with. See docs/api.md.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer sk_test_… (or sk_live_…)' },
      },
    },
    paths,
  }
}
