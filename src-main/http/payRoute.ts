import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { App } from '../app'
import type { PaymentSession } from '../../src-preload/contract'
import { nowSeconds } from '../engine'
import { rowById, toObject } from '../engine/sessions/read'
import { PAY_STYLE, payDocument, payLanguage, payNotFoundDocument, payState } from './payPage'
import { notFoundError } from './errors'
import { sendApiError, sendJson, sendPage } from './respond'

/**
 * The payment page (#12): `GET /pay/:id`, the customer-facing page behind a
 * session's payment_url (pay-by-link: a phone order, a chat), and
 * `GET /pay/:id/status`, the little it polls. Public like the receipt page: no
 * login, the session id (ps_ + 24 random base62, ~143 bits) is the secret.
 * The page shows what paying needs (amount, options, address) and nothing
 * else of the sale (no order id, metadata, till or transactions); the status
 * route answers only its state and the seconds left. An unknown id, or one
 * not shaped like a session id, is the same 404.
 */
export const PAY_PREFIX = '/pay/'

/** Where the built renderer puts the page's script (electron.vite.config.ts names it). */
export const PAY_SCRIPT = '/pay.js'

const SESSION_ID = /^ps_[A-Za-z0-9]{16,64}$/

/** Nothing but the page's own script, its one style sheet (by hash) and its own status route. */
export const PAY_CSP =
  "default-src 'none'; script-src 'self'; " +
  `style-src 'sha256-${createHash('sha256').update(PAY_STYLE).digest('base64')}'; ` +
  "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const PUBLIC_HEADERS = {
  // The page is for whoever holds its link: no shared cache keeps it, no search engine lists it.
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex',
  'Content-Security-Policy': PAY_CSP,
}

export function payRoute(req: IncomingMessage, res: ServerResponse, app: App, url: URL): boolean {
  if (!url.pathname.startsWith(PAY_PREFIX)) return false
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendPage(res, 405, 'Method not allowed', [`${req.method ?? ''} is not allowed here.`], { Allow: 'GET, HEAD' })
    return true
  }
  const rest = url.pathname.slice(PAY_PREFIX.length)
  const status = rest.endsWith('/status')
  const id = status ? rest.slice(0, -'/status'.length) : rest
  const language = payLanguage(req.headers['accept-language'])
  const session = findSession(app, id)
  if (status) {
    if (!session) sendApiError(res, notFoundError('no such payment', 'id'))
    else sendJson(res, 200, payStatus(app, session), PUBLIC_HEADERS)
    return true
  }
  const html = session
    ? payDocument(session, {
        shopName: app.engine.merchants.get(session.merchant_id).name,
        language,
        secondsLeft: secondsLeft(app, session),
        successUrl: urlOf(session, 'success_url'),
        cancelUrl: urlOf(session, 'cancel_url'),
        scriptUrl: PAY_SCRIPT,
      })
    : payNotFoundDocument(language)
  res.writeHead(session ? 200 : 404, {
    ...PUBLIC_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Content-Language': language === 'zh' ? 'zh-CN' : 'en',
    Vary: 'Accept-Language',
  })
  res.end(req.method === 'HEAD' ? undefined : html)
  return true
}

/** What `/pay/:id/status` answers: the page's state and the seconds left, nothing else of the sale. */
export interface PayStatus {
  state: ReturnType<typeof payState>
  seconds_left: number
}

export function payStatus(app: App, session: PaymentSession): PayStatus {
  return { state: payState(session), seconds_left: secondsLeft(app, session) }
}

function findSession(app: App, id: string): PaymentSession | null {
  if (!SESSION_ID.test(id)) return null
  const row = rowById(app.engine.db, id)
  return row ? toObject(app.engine.db, row) : null
}

function secondsLeft(app: App, session: PaymentSession): number {
  return Math.max(0, session.expires_at - nowSeconds(app.engine.clock))
}

/** Only an http(s) address is followed (the engine checks them on create; this page never sends a customer elsewhere). */
function urlOf(session: PaymentSession, field: 'success_url' | 'cancel_url'): string | null {
  const value = session[field]
  return value !== null && /^https?:\/\//i.test(value) ? value : null
}
