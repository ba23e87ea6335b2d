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
import type { Writable } from 'node:stream'
import type { PaymentSession } from '../../src-preload/contract'
import type { CreateSessionInput } from '../engine/sessions'
import {
  checkoutSession,
  sessionInput,
  STATUS_OF_PAYMENT_STATUS,
  stablepayCreateRefundSchema,
  stablepayCreateSessionSchema,
  stablepayListSessionsSchema,
  stablepayNoParametersSchema,
  stablepayRefund,
  tokenCents,
} from './stablepay'
import { sessionSetFilter } from '../../src-preload/schemas'
import { safeTimeZone, shopDay } from '../../src-preload/shared/time'
import { parseInput } from '../engine/handlers'
import { errorFields, log } from '../engine/log'
import { audited } from '../engine/owner/changes'
import { sessionTotals, writeRefundsCsv, writeSessionsCsv } from '../engine/reports'
import type { ApiRoute } from './apiRoutes'
import { API_ROUTES, routePattern } from './apiRoutes'
import { openApiDocument } from './openapi'
import type { SignedHeaders } from './signing'
import { nonceReused, signatureRequired, signedHeaders, verifySignature } from './signing'
import type { CreateSessionBody } from './schemas'
import {
  cancelRefundSchema,
  cancelSessionSchema,
  createRefundSchema,
  createSessionSchema,
  listRefundsSchema,
  listSessionsSchema,
  createWebhookEndpointSchema,
  noParametersSchema,
  parseWith,
  refundsReportQuerySchema,
  salesReportQuerySchema,
  updateWebhookEndpointSchema,
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
  /** GET only: a CSV report streamed into the response (the body is ignored). */
  csv?: { filename: string; write(sink: Writable): Promise<{ complete: boolean }> }
  /** GET only: a body that takes a while to add up (the daily totals); answered once it is there. */
  later?: Promise<unknown>
}

/** Synchronous, as the engine is: a write runs whole inside its group commit's savepoint. */
type Handler = (request: ApiRequest) => ApiResponse
/** A route anyone may call (auth 'none' in the table): it gets no key. */
type PublicHandler = (request: Omit<ApiRequest, 'key'>) => ApiResponse
/** One handler per operation of the route table, public or keyed as its entry says. */
type Handlers = { [R in ApiRoute as R['operation']]: R['auth'] extends 'none' ? PublicHandler : Handler }

interface BoundRoute {
  route: ApiRoute
  pattern: RegExp
}

/**
 * The REST API: /v1 (the seed's shapes) and /api/v1 (StablePay's current
 * reference), every route listed in ./apiRoutes.ts and answered from the same
 * engine the UI uses. Handlers are synchronous (the engine is), so a POST
 * runs, and stores its idempotent response, in one savepoint of a group
 * commit (./groupCommit.ts) and is answered once that commit is done. The
 * routes are the table in apiRoutes.ts, which the OpenAPI document is made from.
 *
 * Signed requests (#12, ./signing.ts): /api/v1 requires a signature, /v1
 * checks one when sent, and a key marked "signed requests only" needs one on
 * both. A signed request's nonce is spent in the request's own transaction,
 * and stays spent even when the request is then refused, so no signed
 * request is ever run twice.
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

  const handlers: Handlers = {
    createSession,
    listSessions,
    cancelSession,
    getSession,
    createRefund,
    listRefunds,
    cancelRefund,
    getRefund,
    createWebhookEndpoint,
    listWebhookEndpoints,
    getWebhookEndpoint,
    updateWebhookEndpoint,
    deleteWebhookEndpoint,
    rotateWebhookEndpointSecret,
    salesCsv,
    refundsCsv,
    dailyTotals,
    spCreateSession,
    spListSessions,
    spCancelSession,
    spGetSession,
    spCreateRefund,
    spCancelRefund,
    spGetRefund,
    openApi,
  }
  const routes: BoundRoute[] = API_ROUTES.map((route) => ({ route, pattern: routePattern(route.path) }))
  // Made once, on first request: it describes the code, which does not change while running.
  let document: object | null = null

  function createSession({ key, body }: ApiRequest): ApiResponse {
    requireObject(body)
    const input: CreateSessionBody = parseWith(createSessionSchema, body)
    const { session, created } = createFor(key, input.merchant_id, {
      orderId: input.order_id,
      amount: input.amount,
      currency: input.currency,
      chainId: input.chain_id,
      token: input.token,
      metadata: input.metadata,
      expiresIn: input.expires_in,
      till: input.till,
      ...compositionInput(input),
    })
    return { status: created ? 201 : 200, body: session }
  }

  /** One create for both dialects: the key decides the merchant and mode. */
  function createFor(
    key: AuthenticatedKey,
    merchantId: string | undefined,
    input: Omit<CreateSessionInput, 'merchantId' | 'livemode'>,
  ): { session: PaymentSession; created: boolean } {
    const { engine } = app
    // The key decides the merchant; the body must agree, so a key copied into the wrong back office fails loudly.
    if (merchantId !== undefined && merchantId !== key.merchantId)
      throw forbidden('merchant_mismatch', `this API key belongs to merchant "${key.merchantId}", not "${merchantId}"`, 'merchant_id')
    try {
      return engine.sessions.create({ ...input, merchantId: key.merchantId, livemode: key.livemode })
    } catch (error) {
      // Checked only on failure, to keep the create path lean: "no network matches" may really be "wrong mode".
      if (error instanceof EngineError && error.code === 'parameter_invalid' && [undefined, 'chain_id', 'token'].includes(error.param))
        throw modeMismatch(key.livemode, input.chainId, input.token) ?? error
      throw error
    }
  }

  // ------------------------------------------------ /api/v1: StablePay's reference dialect (#12, ./stablepay.ts)

  function spCreateSession({ key, body }: ApiRequest): ApiResponse {
    requireObject(body)
    const input = parseWith(stablepayCreateSessionSchema, body)
    const { session, created } = createFor(key, input.merchant_id, sessionInput(input))
    return { status: created ? 201 : 200, body: checkoutSession(session) }
  }

  function spGetSession({ key, params }: ApiRequest): ApiResponse {
    return { status: 200, body: checkoutSession(app.engine.sessions.get(params[0] ?? '', scope(key))) }
  }

  function spCancelSession({ key, params, body }: ApiRequest): ApiResponse {
    if (body !== undefined) requireObject(body)
    parseWith(stablepayNoParametersSchema, body ?? {})
    return { status: 200, body: checkoutSession(app.engine.sessions.cancel(params[0] ?? '', scope(key))) }
  }

  function spListSessions({ key, query }: ApiRequest): ApiResponse {
    const { payment_status, ...filter } = parseWith(stablepayListSessionsSchema, queryObject(query))
    const status = payment_status === undefined ? undefined : STATUS_OF_PAYMENT_STATUS[payment_status]
    // Nothing here is ever "failed": the till has no such state.
    if (status === null) return { status: 200, body: { object: 'list', data: [], has_more: false } }
    const page = app.engine.sessions.list(scope(key), { ...filter, status })
    return { status: 200, body: { object: 'list', data: page.data.map(checkoutSession), has_more: page.has_more } }
  }

  const orderIdOf = (key: AuthenticatedKey) => (sessionId: string) => {
    try {
      return app.engine.sessions.get(sessionId, scope(key)).order_id
    } catch {
      return null
    }
  }

  function spCreateRefund({ key, body }: ApiRequest): ApiResponse {
    requireObject(body)
    const input = parseWith(stablepayCreateRefundSchema, body)
    const meta = Object.fromEntries(Object.entries(input.metadata ?? {}).map(([k, v]) => [k, String(v)]))
    const refundMeta = parseWith(createRefundSchema.shape.metadata, Object.keys(meta).length > 0 ? meta : undefined)
    const { refund, created } = withParamNames(REFUND_PARAMS, () =>
      app.engine.refunds.create({
        session_id: input.charge,
        refund_id: input.refund_id,
        amount: tokenCents(input.amount),
        token: input.currency,
        reason: input.reason,
        description: input.description,
        destination: input.address,
        metadata: refundMeta,
        merchantId: key.merchantId,
        livemode: key.livemode,
      }),
    )
    return { status: created ? 201 : 200, body: stablepayRefund(refund, orderIdOf(key)) }
  }

  /** The engine names /v1's fields; an /api/v1 caller hears its own (charge, address, currency). */
  const REFUND_PARAMS: Readonly<Record<string, string>> = {
    session_id: 'charge',
    destination: 'address',
    token: 'currency',
    chain_id: 'currency',
  }
  function withParamNames<T>(names: Readonly<Record<string, string>>, run: () => T): T {
    try {
      return run()
    } catch (error) {
      const renamed = error instanceof EngineError && error.param !== undefined ? names[error.param] : undefined
      if (error instanceof EngineError && renamed !== undefined) throw new EngineError(error.type, error.code, error.message, renamed)
      throw error
    }
  }

  function spGetRefund({ key, params }: ApiRequest): ApiResponse {
    return { status: 200, body: stablepayRefund(app.engine.refunds.byRefundId(params[0] ?? '', scope(key)), orderIdOf(key)) }
  }

  function spCancelRefund({ key, params, body }: ApiRequest): ApiResponse {
    if (body !== undefined) requireObject(body)
    parseWith(stablepayNoParametersSchema, body ?? {})
    const found = app.engine.refunds.byRefundId(params[0] ?? '', scope(key))
    const canceled = app.engine.refunds.cancel(found.id, scope(key))
    return { status: 200, body: { refund_id: canceled.refund_id, status: canceled.status, canceled_at: canceled.ended_at } }
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

  // ------------------------------------------------ webhook endpoints (#12)

  /**
   * Endpoints are the shop's, and hear events of both modes: a test key may manage them only while the shop
   * runs in test mode, so a test key can never re-point where live payments are announced.
   */
  function endpointsKey(key: AuthenticatedKey): string {
    if (!key.livemode && app.engine.settings.get().livemode)
      throw forbidden('livemode_mismatch', 'this shop runs live: its webhook endpoints are managed with a live key (sk_live_…)')
    return key.merchantId
  }
  /** Changes made with a key are in the owner's audit log, as the screens' are. */
  const asKey = <T>(key: AuthenticatedKey, change: () => T): T =>
    audited(app.engine, app.engine.audit, { device: `api:${key.id}`, role: 'owner' }, change)

  function createWebhookEndpoint({ key, body }: ApiRequest): ApiResponse {
    requireObject(body)
    const input = parseWith(createWebhookEndpointSchema, body)
    const merchantId = endpointsKey(key)
    return { status: 201, body: asKey(key, () => app.webhooks.createEndpoint(merchantId, input)) }
  }

  function listWebhookEndpoints({ key, query }: ApiRequest): ApiResponse {
    parseWith(noParametersSchema, queryObject(query))
    return { status: 200, body: { data: app.webhooks.endpoints(endpointsKey(key)), has_more: false } }
  }

  function getWebhookEndpoint({ key, params }: ApiRequest): ApiResponse {
    const merchantId = endpointsKey(key)
    const found = app.webhooks.endpoints(merchantId).find((e) => e.id === params[0])
    if (!found) throw notFoundError(`no webhook endpoint "${params[0] ?? ''}"`, 'id')
    return { status: 200, body: found }
  }

  function updateWebhookEndpoint({ key, params, body }: ApiRequest): ApiResponse {
    requireObject(body)
    const patch = parseWith(updateWebhookEndpointSchema, body)
    const merchantId = endpointsKey(key)
    return { status: 200, body: asKey(key, () => app.webhooks.updateEndpoint(merchantId, params[0] ?? '', patch)) }
  }

  function deleteWebhookEndpoint({ key, params, body }: ApiRequest): ApiResponse {
    if (body !== undefined) parseWith(noParametersSchema, body)
    const merchantId = endpointsKey(key)
    return { status: 200, body: asKey(key, () => app.webhooks.deleteEndpoint(merchantId, params[0] ?? '')) }
  }

  function rotateWebhookEndpointSecret({ key, params, body }: ApiRequest): ApiResponse {
    if (body !== undefined) requireObject(body)
    parseWith(noParametersSchema, body ?? {})
    const merchantId = endpointsKey(key)
    return { status: 200, body: asKey(key, () => app.webhooks.rotateEndpointSecret(merchantId, params[0] ?? '')) }
  }

  // ------------------------------------------------ reports (#12): the key's merchant and mode only

  const today = (key: AuthenticatedKey) =>
    shopDay(nowSeconds(app.engine.clock), safeTimeZone(app.engine.merchants.get(key.merchantId).time_zone))

  function salesCsv({ key, query }: ApiRequest): ApiResponse {
    const filter = parseInput(sessionSetFilter, parseWith(salesReportQuerySchema, queryObject(query)))
    return {
      status: 200,
      body: null,
      csv: { filename: `stablepay-sessions-${today(key)}.csv`, write: (sink) => writeSessionsCsv(app.engine, scope(key), filter, sink) },
    }
  }

  function refundsCsv({ key, query }: ApiRequest): ApiResponse {
    const filter = parseWith(refundsReportQuerySchema, queryObject(query))
    return {
      status: 200,
      body: null,
      csv: { filename: `stablepay-refunds-${today(key)}.csv`, write: (sink) => writeRefundsCsv(app.engine, scope(key), filter, sink) },
    }
  }

  function dailyTotals({ key, query }: ApiRequest): ApiResponse {
    const filter = parseInput(sessionSetFilter, parseWith(salesReportQuerySchema, queryObject(query)))
    return { status: 200, body: null, later: sessionTotals(app.engine, scope(key), filter).then((data) => ({ data })) }
  }

  function openApi(): ApiResponse {
    document ??= openApiDocument()
    return { status: 200, body: document }
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

  /** The first route whose path matches, then the one of that path for this method (405 when none). */
  function findRoute(req: IncomingMessage, url: URL): { bound: BoundRoute; params: string[] } {
    const first = routes.find((r) => r.pattern.test(url.pathname))
    if (!first) throw notFoundError(`no such endpoint: ${url.pathname}`)
    const samePath = routes.filter((r) => r.route.path === first.route.path)
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET')
    const bound = samePath.find((r) => r.route.method === method)
    if (!bound)
      throw methodNotAllowed(
        req.method ?? '',
        samePath.map((r) => r.route.method),
      )
    const params = (bound.pattern.exec(url.pathname) ?? []).slice(1).map((p) => {
      try {
        return decodeURIComponent(p)
      } catch {
        throw notFoundError(`no such endpoint: ${url.pathname}`)
      }
    })
    return { bound, params }
  }

  /** The signature headers when the request must be (or chose to be) signed, checked against the raw body; null for an unsigned request that may be. */
  function checkSigned(req: IncomingMessage, route: ApiRoute, key: AuthenticatedKey, raw: Buffer): SignedHeaders | null {
    const headers = signedHeaders(req)
    if (headers === null) {
      if (route.auth === 'signed') throw signatureRequired('/api/v1 requests must be signed')
      if (key.signedOnly) throw signatureRequired('this API key accepts signed requests only')
      return null
    }
    verifySignature(headers, app.engine.apiKeys.signingSecret(key.id), raw, nowSeconds(app.engine.clock))
    return headers
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const { bound, params } = findRoute(req, url)
      const { route } = bound
      // A route takes the query its table entry describes, and one without a query schema takes none: a query
      // sent to it (an id, a key, a misspelt filter) is refused as an unknown parameter, never silently ignored.
      if (!('query' in route)) parseWith(noParametersSchema, queryObject(url.searchParams))
      if (route.auth === 'none') {
        req.resume()
        const response = (handlers[route.operation] as PublicHandler)({ params, query: url.searchParams, body: undefined })
        sendJsonText(res, response.status, JSON.stringify(response.body))
        return
      }
      const handler = handlers[route.operation] as Handler
      const key = authenticate(req)
      const query = url.searchParams
      if (route.method === 'GET') {
        // A GET carries no body; a signed one is signed over what was sent (nothing), so only then is it read.
        const raw = signedHeaders(req) === null ? (req.resume(), Buffer.alloc(0)) : await readBody(req, API_BODY_LIMIT)
        const signed = checkSigned(req, route, key, raw)
        if (signed) await writes.run(() => spend(key, signed))
        await send(req, res, handler({ key, params, query, body: undefined }))
        return
      }
      const idempotencyKey = checkIdempotencyKey(req.headers['idempotency-key'])
      const raw = await readBody(req, API_BODY_LIMIT)
      const signed = checkSigned(req, route, key, raw)
      const body = parseJson(raw)
      const now = nowSeconds(app.engine.clock)
      const fingerprint = idempotencyKey !== undefined ? requestFingerprint(route.method, url.pathname, body) : ''
      // Lookup, change and stored response run in one synchronous piece inside the batch's transaction,
      // so they cannot interleave with another request (a retry in the same batch sees the stored answer).
      const work = (): { status: number; text: string; replayed: boolean } => {
        if (idempotencyKey !== undefined) {
          const stored = idempotencyStore().lookup(key.id, idempotencyKey, fingerprint, now)
          if (stored) return { status: stored.status, text: stored.body, replayed: true }
        }
        const response = handler({ key, params, query, body })
        const text = JSON.stringify(response.body)
        if (idempotencyKey !== undefined)
          idempotencyStore().save(key.id, idempotencyKey, fingerprint, { status: response.status, body: text }, now)
        return { status: response.status, text, replayed: false }
      }
      const outcome = await writes.run(() => {
        if (!signed) return { ok: true as const, value: work() }
        spend(key, signed)
        // The request's own writes in a savepoint of their own: a refusal rolls them back, not the spent nonce.
        try {
          return { ok: true as const, value: app.engine.sessions.transaction(work) }
        } catch (error) {
          return { ok: false as const, error }
        }
      })
      if (!outcome.ok) throw outcome.error
      const { status, text, replayed } = outcome.value
      sendJsonText(res, status, text, replayed ? { 'Idempotent-Replayed': 'true' } : {})
    } catch (error) {
      sendApiError(res, toHttpError(error))
    }
  }

  function spend(key: AuthenticatedKey, signed: SignedHeaders): void {
    if (!app.engine.apiKeys.spendNonce(key.id, signed.nonce, nowSeconds(app.engine.clock))) throw nonceReused()
  }

  async function send(req: IncomingMessage, res: ServerResponse, response: ApiResponse): Promise<void> {
    if (response.csv) {
      res.writeHead(response.status, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${response.csv.filename}"`,
        // Sales data: no cache may keep a copy.
        'Cache-Control': 'no-store',
      })
      if (req.method === 'HEAD') {
        res.end()
        return
      }
      try {
        const { complete } = await response.csv.write(res)
        if (complete) res.end()
        else res.destroy()
      } catch (error) {
        log('http').error(errorFields(error), 'CSV report failed')
        // Cut the chunked response: the back office sees a failed download, not a truncated file.
        res.destroy()
      }
      return
    }
    sendJsonText(res, response.status, JSON.stringify(response.later ? await response.later : response.body))
  }

  return {
    handle,
    prune: () => {
      const now = nowSeconds(app.engine.clock)
      idempotencyStore().prune(now)
      app.engine.apiKeys.pruneNonces(now)
    },
  }
}
