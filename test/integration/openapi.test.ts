/**
 * The OpenAPI document (#12) over real HTTP: served without a key at
 * /v1/openapi.json, made from the route table the router is built from, and
 * checked against the running server both ways: every documented operation
 * answers (not "no such endpoint"), every other method on a documented path is
 * 405, and paths it does not list are 404. Every $ref resolves, and the
 * request schemas in it are the ones the server refuses bodies with.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { API_ROUTES } from '../../src-main/http/apiRoutes'
import { openApiDocument } from '../../src-main/http/openapi'
import { assertDocumented } from '../support/openapi'
import { shopConfig } from '../support/shopConfig'
import type { TempDir } from '../support/tempDir'
import { makeTempDir } from '../support/tempDir'

let dir: TempDir
let app: App
let server: HttpServerHandle
const cleanups: Array<() => Promise<void>> = []
const API_KEY = 'sk_test_openapi_0123456789abcdef0123456789'

beforeAll(async () => {
  dir = makeTempDir('stablepay-openapi')
  cleanups.push(() => dir.cleanup())
  app = await startApp({ dataDir: join(dir.path, 'data'), config: shopConfig({ keys: [API_KEY] }) })
  cleanups.push(() => app.stop())
  server = await startHttpServer({ app, port: 0, rendererDir: join(dir.path, 'no-renderer') })
  cleanups.push(() => server.close())
})

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

interface Doc {
  openapi: string
  paths: Record<string, Record<string, { operationId: string; security: unknown[]; responses: Record<string, unknown> }>>
  components: { schemas: Record<string, unknown> }
}

async function call(method: string, path: string, body?: unknown, key: string | null = API_KEY) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  // The CSV reports answer text: handed on as it is, for assertDocumented to hold against text/csv.
  const isJson = res.headers.get('content-type')?.startsWith('application/json') ?? false
  return {
    status: res.status,
    headers: res.headers,
    json: (isJson && text ? JSON.parse(text) : null) as { error?: { message?: string; code?: string } } | null,
    body: (isJson ? (text ? JSON.parse(text) : null) : text) as unknown,
  }
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
/** A documented path with made-up ids in it. */
const concrete = (template: string) => template.replace(/\{[^}]+\}/g, 'ps_NotARealIdAtAll00000000')

describe('the OpenAPI document', () => {
  it('is served without a key, as OpenAPI 3.1, exactly as generated', async () => {
    const res = await call('GET', '/v1/openapi.json', undefined, null)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const doc = res.json as unknown as Doc
    expect(doc.openapi).toBe('3.1.0')
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument())))
    assertDocumented('GET', '/v1/openapi.json', res.status, res.json)
    // A public route takes no parameters: a query is refused, not ignored (the property test found it answered one).
    const withQuery = await call('GET', '/v1/openapi.json?id=ps_NotARealIdAtAll00000000', undefined, null)
    expect(withQuery.status).toBe(400)
  })

  it('lists every route of the table, and only those', () => {
    const doc = openApiDocument() as unknown as Doc
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    expect(documented.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort())
    for (const route of API_ROUTES) expect(doc.paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.operation)
  })

  it('matches the running server both ways: documented operations answer, other methods are 405, other paths 404', async () => {
    const doc = openApiDocument() as unknown as Doc
    for (const [template, operations] of Object.entries(doc.paths)) {
      const path = concrete(template)
      for (const method of METHODS) {
        const res = await call(method, path, method === 'POST' ? {} : undefined)
        const where = `${method} ${template}`
        if (operations[method.toLowerCase()]) {
          // It exists: whatever it says about the made-up id or the empty body, it is not "no such endpoint" or 405.
          expect(res.status, where).not.toBe(405)
          expect(res.json?.error?.message ?? '', where).not.toMatch(/^no such endpoint/)
          assertDocumented(method, path, res.status, res.body)
        } else {
          expect(res.status, where).toBe(405)
          expect(res.headers.get('allow'), where).toBe(
            Object.keys(operations)
              .map((m) => m.toUpperCase())
              .join(', '),
          )
        }
      }
    }
    for (const path of ['/v1', '/v1/payment', '/v1/sessions', '/v1/refunds/x/y/z', '/v1/openapi.yaml']) {
      const res = await call('GET', path)
      expect(res.status, path).toBe(404)
      expect(res.json?.error).toMatchObject({ code: 'resource_missing' })
    }
  })

  it('has every $ref resolve and each operation name its security', () => {
    const doc = openApiDocument() as unknown as Doc
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? []
    expect(refs.length).toBeGreaterThan(10)
    for (const ref of refs) {
      const name = /#\/components\/schemas\/([^"]+)"$/.exec(ref)?.[1]
      expect(name, ref).toBeDefined()
      expect(doc.components.schemas[name!], ref).toBeDefined()
    }
    const signed = { apiKey: [], stablepayTimestamp: [], stablepayNonce: [], stablepaySignature: [] }
    for (const route of API_ROUTES) {
      const security = doc.paths[route.path]![route.method.toLowerCase()]!.security
      // /v1 takes a key, signed or not; /api/v1 a key and all three signing headers; the document nothing.
      const expected = { none: [], key: [{ apiKey: [] }, signed], signed: [signed] }[route.auth]
      expect(security, `${route.method} ${route.path}`).toEqual(expected)
    }
  })

  it('describes request bodies with the schemas the server refuses them by', async () => {
    const schema = (openApiDocument() as unknown as Doc).components.schemas.CreateSessionRequest as {
      required: string[]
      additionalProperties: boolean
      properties: Record<string, unknown>
    }
    expect(schema.required.sort()).toEqual(['amount', 'currency', 'merchant_id', 'order_id'])
    expect(schema.additionalProperties).toBe(false)
    // Leave out what the document calls required: the server names it missing.
    for (const field of schema.required) {
      const body: Record<string, unknown> = { merchant_id: 'merchant_123', order_id: 'o-1', amount: '1.00', currency: 'USD' }
      delete body[field]
      const res = await call('POST', '/v1/payment/sessions/create', body)
      expect(res.status, field).toBe(400)
      expect(res.json?.error).toMatchObject({ code: 'parameter_missing', param: field })
    }
    // A field the document does not list: refused by name.
    const res = await call('POST', '/v1/payment/sessions/create', {
      merchant_id: 'merchant_123',
      order_id: 'o-2',
      amount: '1.00',
      currency: 'USD',
      colour: 'red',
    })
    expect(res.json?.error).toMatchObject({ code: 'parameter_unknown', param: 'colour' })
  })
})
