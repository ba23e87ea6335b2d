import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import { isIP } from 'node:net'
import type { App } from '../app'
import { auditRoute, diagnosticsRoute, exportRoute, refundsExportRoute } from './exportRoute'
import { createApi } from './api'
import { createBridge } from './bridge'
import type { HttpError } from './errors'
import { forbidden, notFoundError, toHttpError, unauthorized } from './errors'
import { AccessToken, assertSameOrigin, bearer, hostAllowed, readCookie } from './guards'
import { applySecurityHeaders, sendApiError, sendBridgeError, sendPage } from './respond'
import { createStatic } from './static'
import { errorFields, log } from '../engine/log'
import { publishReceipts } from '../engine/receipts'
import { receiptOrigin, receiptRoute } from './receiptRoute'

export interface HttpServerOptions {
  app: App
  /** Default 127.0.0.1. Use 0.0.0.0 to let tablets on the shop's LAN in (they type the box's IP). */
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** The UI access token; a random 192-bit one when omitted. */
  token?: string
  /** The built renderer, normally out/renderer. */
  rendererDir: string
  /** Extra Host names accepted besides the bound address and loopback (e.g. "pos.local"). */
  allowedHosts?: readonly string[]
  /** Comment heartbeat on event streams; default 15 s. */
  heartbeatMs?: number
}

export interface HttpServerHandle {
  /** Origin, e.g. http://127.0.0.1:7420 (the REST API is at `${url}/v1`). */
  url: string
  host: string
  port: number
  token: string
  /** `${url}/?token=…`: the address to open; contains the secret. */
  loginUrl: string
  /** Ends event streams, closes every connection and stops listening. Safe to call twice. */
  close(): Promise<void>
}

const CLOSE_GRACE_MS = 1000

/** Valid tokens can sit in a URL and a cookie unescaped. */
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{16,256}$/

export function newAccessToken(): string {
  return randomBytes(24).toString('hex')
}

export function formatOrigin(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`
}

/**
 * One HTTP server for serve mode: the REST API (`/v1`, API keys), the UI
 * bridge (`/bridge`, access token) and the built renderer (access token).
 * Every request first passes the Host check; state-changing ones also the
 * same-origin check.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? newAccessToken()
  if (!TOKEN_FORMAT.test(token)) throw new Error('the access token must be 16-256 letters, digits, "_" or "-"')
  const accessToken = new AccessToken(token)
  // The cookie holds a derivative, not the token: a cookie jar leak does not reveal the link to share.
  const cookieValue = createHash('sha256').update(`stablepay-pos-ui:${token}`).digest('hex')
  const cookieCheck = new AccessToken(cookieValue)
  const api = createApi(options.app)
  const bridge = createBridge(options.app, { heartbeatMs: options.heartbeatMs ?? 15_000 })
  const serveStatic = createStatic(options.rendererDir)

  let port = options.port ?? 0
  // Cookies ignore ports: two servers on one host must not overwrite each other's.
  let cookieName = ''

  const uiAuthenticated = (req: IncomingMessage) => cookieCheck.matches(readCookie(req, cookieName)) || accessToken.matches(bearer(req))

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    applySecurityHeaders(res)
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://placeholder')
    } catch {
      sendPage(res, 400, 'Bad request', ['The address is not valid.'])
      return
    }
    const path = url.pathname
    const kind = path === '/v1' || path.startsWith('/v1/') ? 'api' : path.startsWith('/bridge/') || path === '/bridge' ? 'bridge' : 'ui'
    const fail = (error: HttpError) => {
      if (kind === 'api') sendApiError(res, error)
      else if (kind === 'bridge') sendBridgeError(res, error)
      else
        sendPage(
          res,
          error.status,
          error.status === 401 ? 'StablePay POS: access token needed' : 'Request refused',
          uiMessage(error),
          error.headers,
        )
    }
    try {
      if (!hostAllowed(req.headers.host, { host, port }, options.allowedHosts))
        throw forbidden(
          'host_not_allowed',
          `requests for host "${String(req.headers.host ?? '').slice(0, 100)}" are refused; use ${formatOrigin(host, port)}`,
        )
      assertSameOrigin(req)
      if (kind === 'api') return await api.handle(req, res, url)
      // Receipts (#16): the public receipt page, no login (the unguessable sale id is the key), COMPLETED sales only.
      if (receiptRoute(req, res, options.app, url)) return
      if (kind === 'bridge') {
        if (!uiAuthenticated(req))
          throw unauthorized('token_invalid', 'open StablePay POS with the address printed at start (it carries the access token)')
        if (path.startsWith('/bridge/invoke/')) return await bridge.invoke(req, res, path.slice('/bridge/invoke/'.length))
        if (path === '/bridge/events') return bridge.events(req, res)
        throw notFoundError(`no such bridge endpoint: ${path}`)
      }
      if ((req.method === 'GET' || req.method === 'HEAD') && url.searchParams.has('token')) return login(req, res, url)
      if (!uiAuthenticated(req)) throw unauthorized('token_invalid', 'token needed')
      if (exportRoute(req, res, options.app, url) || diagnosticsRoute(req, res, options.app, url) || auditRoute(req, res, options.app, url)) return
      // Refunds (#11): History's Refunds tab downloads its CSV here.
      if (refundsExportRoute(req, res, options.app, url)) return
      await serveStatic(req, res, path)
    } catch (error) {
      if (res.headersSent) res.destroy()
      else fail(toHttpError(error))
    }
  }

  /** `/?token=T`: swap the token for a cookie and take it out of the address bar (and history, and screenshots). */
  function login(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!accessToken.matches(url.searchParams.get('token'))) {
      sendPage(res, 401, 'StablePay POS: this link is not valid', [
        'The access token in this address is wrong or out of date: a new one is made each time StablePay POS starts.',
        'Use the address it printed most recently ("StablePay POS listening on …").',
      ])
      return
    }
    url.searchParams.delete('token')
    // One leading slash only: "//host" would be a redirect to another site.
    const location = `/${url.pathname.replace(/^\/+/, '')}${url.search}`
    const cookie = `${cookieName}=${cookieValue}; Path=/; HttpOnly; SameSite=Strict`
    // After a cross-site navigation (the link clicked in a web chat) browsers keep the redirected request
    // cross-site and withhold a Strict cookie; a same-page refresh is same-site and carries it.
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      sendPage(res, 200, 'StablePay POS', ['Opening StablePay POS…'], { 'Set-Cookie': cookie, Refresh: `0; url=${location}` })
      return
    }
    res.writeHead(302, { 'Set-Cookie': cookie, Location: location, 'Cache-Control': 'no-store', 'Content-Length': '0' })
    res.end()
  }

  const server: Server = createServer((req, res) => void dispatch(req, res))
  // Bounds on slow clients (slowloris); event streams are responses, which these do not limit.
  server.headersTimeout = 20_000
  server.requestTimeout = 60_000

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(new Error(`cannot listen on ${formatOrigin(host, port)}: ${error.code ?? error.message}`))
    }
    server.once('error', onError)
    server.listen({ host, port }, () => {
      server.off('error', onError)
      resolve()
    })
  })
  const address = server.address()
  if (address && typeof address === 'object') port = address.port
  cookieName = `stablepay_pos_${port}`
  const origin = formatOrigin(host, port)

  try {
    api.prune()
  } catch (error) {
    // The port is open but the start failed (the database refused the write): nothing may stay listening,
    // answering 500s, while the caller reports the failure.
    bridge.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    throw error
  }
  const pruner = setInterval(() => {
    try {
      api.prune()
    } catch (error) {
      log('http').error(errorFields(error), 'idempotency key pruning failed')
    }
  }, 3600_000)
  pruner.unref()
  // Receipts (#16): completed sales now carry receipt_url on this origin (null again once the server stops).
  publishReceipts(options.app.engine.db, receiptOrigin(host, port))

  let closing: Promise<void> | null = null
  return {
    url: origin,
    host,
    port,
    token,
    loginUrl: `${origin}/?token=${token}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(pruner)
        publishReceipts(options.app.engine.db, null)
        bridge.close()
        // Idle keep-alive sockets close now; a response being written gets a moment to reach its client
        // (its change is committed: better it hears so), then whatever is left is cut.
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS)
        server.close(() => {
          clearTimeout(cut)
          resolve()
        })
        server.closeIdleConnections()
      })
      return closing
    },
  }
}

function uiMessage(error: HttpError): string[] {
  if (error.status === 401)
    return [
      'Open StablePay POS with the address it printed when it started: "StablePay POS listening on http://…/?token=…".',
      'That address carries the access token; this browser then keeps it in a cookie.',
    ]
  return [error.message]
}
