import type { IncomingMessage, ServerResponse } from 'node:http'
import type { App } from '../app'
import type { AuthenticatedKey } from '../engine/shop'
import { compositionInput, EngineError, nowSeconds } from '../engine'
import { readBody, parseJson } from './body'
import type { HttpError } from './errors'
import { badRequest, forbidden, methodNotAllowed, notFoundError, toHttpError, unauthorized } from './errors'
import { bearer } from './guards'
import { GroupCommit } from './groupCommit'
import { checkIdempotencyKey, IdempotencyStore, requestFingerprint } from './idempotency'
import { sendApiError, sendJsonText } from './respond'
import type { ApiRoute } from './apiRoutes'
import { API_ROUTES, routePattern } from './apiRoutes'
import { openApiDocument } from './openapi'
import type { CreateSessionBody } from './schemas'
import {
  cancelRefundSchema,
  cancelSessionSchema,
  createRefundSchema,
  createSessionSchema,
  listRefundsSchema,
  listSessionsSchema,
  parseWith,
} from './schemas'

function requireObject(body: unknown): asserts body is Record<string, unknown> {
  if (body === undefined) throw badRequest('json_invalid', 'the request body is empty; send a JSON object')
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('json_invalid', 'the request body must be a JSON object')
}

/** StablePay sends small JSON objects; anything bigger is a mistake or an attack. */
export const API_BODY_LIMIT = 64 * 1024

interface ApiRequest {
  key: AuthenticatedKey
  params: string[]
  query: URLSearchParams
  body: unknown
}

interface ApiResponse {
  status: number
  body: unknown
}

type Handler = (request: ApiRequest) => ApiResponse
/** A route anyone may call (auth 'none' in the table): it gets no key. */
type PublicHandler = (request: Omit<ApiRequest, 'key'>) => ApiResponse
/** One handler per operation of the route table, public or keyed as its entry says. */
type Handlers = { [R in ApiRoute as R['operation']]: R['auth'] extends 'none' ? PublicHandler : Handler }

interface Route {
  pattern: RegExp
  methods: Partial<Record<'GET' | 'POST', ApiRoute>>
}

/** The table's entries grouped by path, in its order: a path that exists answers 405 to another method. */
function routesOf(table: readonly ApiRoute[]): Route[] {
  const byPath = new Map<string, Route>()
  for (const spec of table) {
    const route = byPath.get(spec.path) ?? { pattern: routePattern(spec.path), methods: {} }
    route.methods[spec.method] = spec
    byPath.set(spec.path, route)
  }
  return [...byPath.values()]
}

/**
 * The REST API under /v1: StablePay's paths and shapes, answered from the
 * same engine the UI uses. Handlers are synchronous (the engine is), so a POST
 * runs, and stores its idempotent response, in one savepoint of a group
 * commit (./groupCommit.ts) and is answered once that commit is done. The
 * routes are the table in apiRoutes.ts, which the OpenAPI document is made from.
 */
export function createApi(app: App): { handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>; prune(): void } {
  // The engine is read at each use: a restore (App.restore) swaps it while the server keeps listening.
  // A batch queued before the swap commits on the restored database, as a request made after it would.
  const writes = new GroupCommit((fn) => app.engine.sessions.transaction(fn))
  let stores: { engine: App['engine']; idempotency: IdempotencyStore } | null = null
  const idempotencyStore = (): IdempotencyStore => {
    const engine = app.engine
    if (stores?.engine !== engine) stores = { engine, idempotency: new IdempotencyStore(engine.db) }
    return stores.idempotency
  }
  const scope = (key: AuthenticatedKey) => ({ merchantId: key.merchantId, livemode: key.livemode })

  const routes = routesOf(API_ROUTES)
  // Made once, on first request: it describes the code, which does not change while running.
  let document: object | null = null

  function createSession({ key, body }: ApiRequest): ApiResponse {
    const { engine } = app
    requireObject(body)
    const input: CreateSessionBody = parseWith(createSessionSchema, body)
    // The key decides the merchant; the body must agree, so a key copied into the wrong back office fails loudly.
    if (input.merchant_id !== key.merchantId)
      throw forbidden(
        'merchant_mismatch',
        `this API key belongs to merchant "${key.merchantId}", not "${input.merchant_id}"`,
        'merchant_id',
      )
    try {
      const { session, created } = engine.sessions.create({
        merchantId: key.merchantId,
        livemode: key.livemode,
        orderId: input.order_id,
        amount: input.amount,
        currency: input.currency,
        chainId: input.chain_id,
        token: input.token,
        metadata: input.metadata,
        expiresIn: input.expires_in,
        ...compositionInput(input),
      })
      return { status: created ? 201 : 200, body: session }
    } catch (error) {
      // Checked only on failure, to keep the create path lean: "no network matches" may really be "wrong mode".
      if (error instanceof EngineError && error.code === 'parameter_invalid' && [undefined, 'chain_id', 'token'].includes(error.param))
        throw modeMismatch(key.livemode, input.chain_id, input.token) ?? error
      throw error
    }
  }

  /** 403 when what the key asked for exists, but only in the other mode (test keys reach testnets, live keys mainnets). */
  function modeMismatch(livemode: boolean, chainId: number | undefined, token: string | undefined): HttpError | null {
    const { engine } = app
    const mine = livemode ? 'live keys only reach mainnets' : 'test keys only reach testnets'
    if (chainId !== undefined) {
      const chain = engine.networks.find(chainId)
      if (chain && chain.enabled && chain.testnet === livemode)
        return forbidden(
          'livemode_mismatch',
          `${chain.name} (${chainId}) is a ${chain.testnet ? 'testnet' : 'mainnet'}; ${mine}`,
          'chain_id',
        )
      return null
    }
    const other = engine.networks.accepted(!livemode).filter((a) => token === undefined || a.token.symbol === token)
    if (other.length === 0) return null
    return forbidden('livemode_mismatch', `this shop accepts ${token ?? 'payments'} only on ${livemode ? 'testnets' : 'mainnets'}; ${mine}`)
  }

  function getSession({ key, params }: ApiRequest): ApiResponse {
    const { engine } = app
    return { status: 200, body: engine.sessions.get(params[0] ?? '', scope(key)) }
  }

  function cancelSession({ key, params, body }: ApiRequest): ApiResponse {
    const { engine } = app
    if (body !== undefined) requireObject(body)
    parseWith(cancelSessionSchema, body ?? {})
    return { status: 200, body: engine.sessions.cancel(params[0] ?? '', scope(key)) }
  }

  function listSessions({ key, query }: ApiRequest): ApiResponse {
    const { engine } = app
    const filter = parseWith(listSessionsSchema, queryObject(query))
    return { status: 200, body: engine.sessions.list(scope(key), filter) }
  }

  function createRefund({ key, body }: ApiRequest): ApiResponse {
    const { engine } = app
    requireObject(body)
    const input = parseWith(createRefundSchema, body)
    const { refund, created } = engine.refunds.create({ ...input, merchantId: key.merchantId, livemode: key.livemode })
    return { status: created ? 201 : 200, body: refund }
  }

  function getRefund({ key, params }: ApiRequest): ApiResponse {
    const { engine } = app
    return { status: 200, body: engine.refunds.get(params[0] ?? '', scope(key)) }
  }

  function cancelRefund({ key, params, body }: ApiRequest): ApiResponse {
    const { engine } = app
    if (body !== undefined) requireObject(body)
    parseWith(cancelRefundSchema, body ?? {})
    return { status: 200, body: engine.refunds.cancel(params[0] ?? '', scope(key)) }
  }

  function listRefunds({ key, query }: ApiRequest): ApiResponse {
    const { engine } = app
    const filter = parseWith(listRefundsSchema, queryObject(query))
    return { status: 200, body: engine.refunds.list(scope(key), filter) }
  }

  function openApi(): ApiResponse {
    document ??= openApiDocument()
    return { status: 200, body: document }
  }

  const handlers: Handlers = {
    createSession,
    listSessions,
    cancelSession,
    getSession,
    createRefund,
    listRefunds,
    cancelRefund,
    getRefund,
    openApi,
  }

  function queryObject(query: URLSearchParams): Record<string, string> {
    const raw: Record<string, string> = {}
    for (const [name, value] of query) {
      if (Object.hasOwn(raw, name)) throw badRequest('parameter_invalid', `${name} is given more than once`, name)
      raw[name] = value
    }
    return raw
  }

  function authenticate(req: IncomingMessage): AuthenticatedKey {
    const { engine } = app
    const header = req.headers.authorization
    if (header === undefined || header.trim() === '')
      throw unauthorized('api_key_missing', 'no API key: send "Authorization: Bearer sk_test_…" (or sk_live_…)')
    let secret = bearer(req)
    // curl -u sk_test_…: works too, as with Stripe: the key is the user name, the password is empty.
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
    if (secret === undefined && basic)
      secret = Buffer.from(basic[1] ?? '', 'base64')
        .toString('utf8')
        .split(':')[0]
    const key = secret ? engine.apiKeys.authenticate(secret) : null
    // One answer for malformed, unknown and revoked keys: which one it was is not the caller's business.
    if (!key) throw unauthorized('api_key_invalid', 'the API key is not valid (unknown, revoked or malformed)')
    return key
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const route = routes.find((r) => r.pattern.test(url.pathname))
      if (!route) throw notFoundError(`no such endpoint: ${url.pathname}`)
      const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET')
      const spec = route.methods[method as 'GET' | 'POST']
      if (!spec) throw methodNotAllowed(req.method ?? '', Object.keys(route.methods))
      const params = (route.pattern.exec(url.pathname) ?? []).slice(1).map((p) => {
        try {
          return decodeURIComponent(p)
        } catch {
          throw notFoundError(`no such endpoint: ${url.pathname}`)
        }
      })
      if (spec.auth === 'none') {
        req.resume()
        const response = (handlers[spec.operation] as PublicHandler)({ params, query: url.searchParams, body: undefined })
        sendJsonText(res, response.status, JSON.stringify(response.body))
        return
      }
      const handler = handlers[spec.operation] as Handler
      const key = authenticate(req)
      if (method !== 'POST') {
        req.resume()
        const response = handler({ key, params, query: url.searchParams, body: undefined })
        sendJsonText(res, response.status, JSON.stringify(response.body))
        return
      }
      const idempotencyKey = checkIdempotencyKey(req.headers['idempotency-key'])
      const raw = await readBody(req, API_BODY_LIMIT)
      const body = parseJson(raw)
      const now = nowSeconds(app.engine.clock)
      const fingerprint = idempotencyKey !== undefined ? requestFingerprint(method, url.pathname, body) : ''
      // Lookup, change and stored response run in one synchronous piece inside the batch's transaction,
      // so they cannot interleave with another request (a retry in the same batch sees the stored answer).
      const { status, text, replayed } = await writes.run(() => {
        if (idempotencyKey !== undefined) {
          const stored = idempotencyStore().lookup(key.id, idempotencyKey, fingerprint, now)
          if (stored) return { status: stored.status, text: stored.body, replayed: true }
        }
        const response = handler({ key, params, query: url.searchParams, body })
        const text = JSON.stringify(response.body)
        if (idempotencyKey !== undefined)
          idempotencyStore().save(key.id, idempotencyKey, fingerprint, { status: response.status, body: text }, now)
        return { status: response.status, text, replayed: false }
      })
      sendJsonText(res, status, text, replayed ? { 'Idempotent-Replayed': 'true' } : {})
    } catch (error) {
      sendApiError(res, toHttpError(error))
    }
  }

  return {
    handle,
    prune: () => {
      idempotencyStore().prune(nowSeconds(app.engine.clock))
    },
  }
}
