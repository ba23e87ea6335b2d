import { randomBytes } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'
import type { App } from '../app'
import {
  auditRoute,
  CSV_EXPORT_PATHS,
  diagnosticsRoute,
  EXPORT_AUDIT_PATH,
  EXPORT_DIAGNOSTICS_PATH,
  exportRoute,
} from './exportRoute'
import { createApi } from './api'
import { createBridge } from './bridge'
import type { HttpError } from './errors'
import { badRequest, forbidden, methodNotAllowed, notFoundError, toHttpError, unauthorized } from './errors'
import { AccessToken, assertSameOrigin, hostAllowed, readCookie } from './guards'
import { applySecurityHeaders, sendApiError, sendBridgeError, sendJson, sendPage } from './respond'
import { parseJson, readBody } from './body'
import type { Devices, SignedInDevice } from '../engine/devices'
import { createStatic } from './static'
import { errorFields, log } from '../engine/log'
import { publishReceipts } from '../engine/receipts'
import { receiptOrigin, receiptRoute } from './receiptRoute'
import { EVENT_HEARTBEAT_MS } from '../../src-preload/contract'
import { payRoute } from './payRoute'

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
  /** Comment heartbeat on event streams; default EVENT_HEARTBEAT_MS (15 s), which the page's watchdog expects. */
  heartbeatMs?: number
}

export interface HttpServerHandle {
  /** Origin, e.g. http://127.0.0.1:7420 (the REST API is at `${url}/v1`). */
  url: string
  host: string
  port: number
  token: string
  /** `${url}/?token=…`: the address to open; contains the secret. On the LAN, the first LAN address's. */
  loginUrl: string
  /** Listening beyond this machine: the addresses tablets on the shop's network open (plain HTTP). Empty on loopback. */
  lanOrigins: string[]
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

/** The header each bridge call carries besides the cookie (#13): the page holds it, other ports never see it. */
export const SESSION_HEADER = 'x-stablepay-session'
/** The device cookie lives this long in the browser; the server signs a device out after 12 idle hours anyway. */
const COOKIE_MAX_AGE = 30 * 86400
/** A download link (CSV, diagnostics) carries a one-time ticket this long: a navigation cannot send the header. */
const DOWNLOAD_TICKET_MS = 60_000
/** The owner's downloads (each the twin of an export channel): reached with a one-time ticket. */
const EXPORT_PATHS = new Set([...CSV_EXPORT_PATHS, EXPORT_DIAGNOSTICS_PATH, EXPORT_AUDIT_PATH])

const LOOPBACK = /^(127\.|::1$|localhost$)/

/**
 * The addresses other machines reach a server bound to `host` at: for 0.0.0.0
 * (or ::) every non-internal interface's, for one LAN address that one;
 * none for loopback.
 */
export function lanOrigins(host: string, port: number): string[] {
  const bare = host.replace(/^\[|\]$/g, '')
  if (LOOPBACK.test(bare)) return []
  if (bare !== '0.0.0.0' && bare !== '::' && bare !== '') return [formatOrigin(bare, port)]
  const origins: string[] = []
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.internal) continue
      // IPv6 only when bound to "::"; link-local ones need a zone id a browser will not take.
      if (a.family === 'IPv4') origins.push(formatOrigin(a.address, port))
      else if (bare === '::' && !a.address.startsWith('fe80')) origins.push(formatOrigin(a.address, port))
    }
  }
  return origins
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
  // A revoked device loses its open event streams at once, not at its next request (a device moved to another
  // till too: it reconnects with the new till); pairing QRs show the LAN
  // addresses. Both live on the engine's Devices, which a restore while running (app.restore) replaces.
  let lan: string[] = []
  let attached: { devices: Devices; stopRevoking: () => void } | null = null
  let stopped = false
  /**
   * The running engine's Devices, read at each use, never kept: after a restore the old one's database is
   * closed. A new one (after 'shop:restored', or a failed restore's relaunch, which emits nothing) gets this
   * server's revocation listener and LAN addresses on first sight.
   */
  const devices = (): Devices => {
    const current = options.app.engine.devices
    if (attached?.devices !== current && !stopped) {
      attached?.stopRevoking()
      attached = { devices: current, stopRevoking: current.onStreamsStale((device) => bridge.closeDevice(device)) }
      current.setLanOrigins(lan)
    }
    return current
  }
  const detach = () => {
    stopped = true
    attached?.stopRevoking()
    attached = null
  }
  const api = createApi(options.app)
  const bridge = createBridge(options.app, { heartbeatMs: options.heartbeatMs ?? EVENT_HEARTBEAT_MS })
  const serveStatic = createStatic(options.rendererDir)

  let port = options.port ?? 0
  // Cookies ignore ports: two servers on one host must not overwrite each other's.
  let cookieName = ''

  /**
   * The device a bridge request comes from: its cookie (the session secret,
   * HttpOnly) AND the header token the page holds. Browsers send the cookie
   * to every port of this host, so a page on another port, or whatever it
   * forwarded the cookie to, can replay it; it never has the header token,
   * which lives in this origin's storage only. Null: not signed in.
   */
  const signedIn = (req: IncomingMessage): SignedInDevice | null => {
    const header = req.headers[SESSION_HEADER]
    return devices().authenticate(readCookie(req, cookieName), typeof header === 'string' ? header : undefined, req.socket.remoteAddress)
  }
  const notSignedIn = () =>
    unauthorized(
      'session_invalid',
      'This device is not signed in (or was signed out): open the address StablePay POS printed at start, or pair it from Owner → Devices.',
    )
  devices()
  const tickets = new Map<string, { device: string; expires: number }>()

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
    const kind = path === '/v1' || path.startsWith('/v1/') || path.startsWith('/api/v1/') ? 'api' : path.startsWith('/bridge/') || path === '/bridge' ? 'bridge' : 'ui'
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
      // The payment page (#12): /pay/:id and its status, public like the receipt (the unguessable id is the key).
      if (payRoute(req, res, options.app, url)) return
      if (kind === 'bridge') {
        if (path === '/bridge/sign-in') return await signIn(req, res)
        const device = signedIn(req)
        if (!device) throw notSignedIn()
        if (path.startsWith('/bridge/invoke/'))
          return await bridge.invoke(req, res, path.slice('/bridge/invoke/'.length), { device: device.id })
        if (path === '/bridge/events')
          return bridge.events(req, res, {
            device: device.id,
            till: device.till,
            display: device.roleHint === 'display',
            stillSignedIn: () => devices().stillSignedIn(device.id),
          })
        if (path === '/bridge/download-ticket') return downloadTicket(req, res, device)
        throw notFoundError(`no such bridge endpoint: ${path}`)
      }
      if (EXPORT_PATHS.has(url.pathname)) {
        // A download is a navigation: it carries the cookie but cannot carry the header, so it carries a one-time ticket.
        const device = spendTicket(url.searchParams.get('ticket'))
        if (!device) throw notSignedIn()
        const caller = { device }
        // The CSV downloads (sales, line items, refunds), the diagnostics zip, the audit log.
        if (
          exportRoute(req, res, options.app, url, caller) ||
          diagnosticsRoute(req, res, options.app, url, caller) ||
          auditRoute(req, res, options.app, url, caller)
        )
          return
      }
      // The screens themselves are public (the built bundle holds no secret); everything they show comes over the bridge.
      await serveStatic(req, res, path)
    } catch (error) {
      if (res.headersSent) res.destroy()
      else fail(toHttpError(error))
    }
  }

  /**
   * `POST /bridge/sign-in {token}` or `{pair, name?}`: the page, opened with
   * `/?token=…` (the master token printed at start) or `/?pair=CODE` (a
   * one-time code from Owner → Devices), becomes a new device. The answer sets
   * the session cookie and gives the page its header token; neither is ever
   * derived from the master token. (assertSameOrigin has already refused a
   * cross-site POST.)
   */
  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw methodNotAllowed(req.method ?? '', ['POST'])
    const body = parseJson(await readBody(req, 4096)) as { token?: unknown; pair?: unknown; name?: unknown } | null
    if (body === null || typeof body !== 'object') throw badRequest('json_invalid', 'send {"token": …} or {"pair": …}')
    const name = typeof body.name === 'string' ? body.name.slice(0, 60) : undefined
    const address = req.socket.remoteAddress ?? null
    let made
    if (typeof body.pair === 'string' && body.pair.length <= 64) {
      made = devices().pair(body.pair, { name, address })
    } else if (typeof body.token === 'string') {
      if (!accessToken.matches(body.token))
        throw unauthorized(
          'token_invalid',
          'The access token in this address is wrong or out of date: a new one is made each time StablePay POS starts. Use the address it printed most recently.',
        )
      made = devices().create({ name, address })
    } else {
      throw badRequest('parameter_missing', 'send {"token": …} or {"pair": …}')
    }
    sendJson(
      res,
      200,
      { ok: true, value: { device: made.device, session: made.headerToken } },
      {
        'Set-Cookie': `${cookieName}=${made.secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${COOKIE_MAX_AGE}`,
        'Cache-Control': 'no-store',
      },
    )
  }

  function downloadTicket(req: IncomingMessage, res: ServerResponse, device: SignedInDevice): void {
    if (req.method !== 'POST') throw methodNotAllowed(req.method ?? '', ['POST'])
    const now = Date.now()
    for (const [key, t] of tickets) if (t.expires <= now) tickets.delete(key)
    const ticket = randomBytes(24).toString('base64url')
    tickets.set(ticket, { device: device.id, expires: now + DOWNLOAD_TICKET_MS })
    sendJson(res, 200, { ok: true, value: { ticket } }, { 'Cache-Control': 'no-store' })
  }

  /** Single use: the download link cannot be replayed from history. The device must still be signed in; it is the download's caller. */
  function spendTicket(ticket: string | null): string | null {
    if (!ticket) return null
    const found = tickets.get(ticket)
    tickets.delete(ticket)
    return found !== undefined && found.expires > Date.now() && devices().stillSignedIn(found.device) ? found.device : null
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
  lan = lanOrigins(host, port)
  devices().setLanOrigins(lan)

  try {
    api.prune()
  } catch (error) {
    // The port is open but the start failed (the database refused the write): nothing may stay listening,
    // answering 500s, while the caller reports the failure.
    detach()
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
  // A restore while running opens a new database (one event hub outlives it): publish the origin for that one too.
  // The new engine's Devices also gets this server's revocation listener and LAN addresses (the pairing QR).
  const stopRepublishing = options.app.engine.events.on('shop:restored', () => {
    devices()
    publishReceipts(options.app.engine.db, receiptOrigin(host, port))
  })

  let closing: Promise<void> | null = null
  return {
    url: origin,
    host,
    port,
    token,
    loginUrl: `${lan[0] ?? origin}/?token=${token}`,
    lanOrigins: lan,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(pruner)
        stopRepublishing()
        detach()
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
      'This download link is used up or this device is not signed in.',
      'Open StablePay POS with the address it printed when it started, or pair this device from Owner → Devices.',
    ]
  return [error.message]
}
