import type { ServerResponse } from 'node:http'
import type { HttpError } from './errors'
import { errorBody } from './errors'

/** The renderer's own CSP (src-renderer/index.html), sent as a header so it also covers the plain pages served here. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"

/**
 * Sent on every response, not just HTML: a JSON body sniffed as HTML or a page
 * framed by another site are the attacks these close, and they cost nothing
 * on an API response.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

export function applySecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJsonText(res, status, JSON.stringify(body), headers)
}

/** For bodies already serialised (an idempotent replay sends the stored bytes unchanged). */
export function sendJsonText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    // API answers carry payment terms and secrets' effects; no cache may keep them.
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

export function sendApiError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, errorBody(error), error.headers)
}

/** The bridge answers in the contract's Result shape, with the API's error fields inside it (see docs/api.md). */
export function sendBridgeError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { ok: false, ...errorBody(error) }, error.headers)
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** A small self-contained page (no script, inline style only, which the CSP allows). */
export function sendPage(
  res: ServerResponse,
  status: number,
  title: string,
  paragraphs: string[],
  headers: Record<string, string> = {},
): void {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title></head>` +
    '<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #222">' +
    `<h1 style="font-size: 1.4rem">${escapeHtml(title)}</h1>` +
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
    '</body></html>'
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Cache-Control': 'no-store',
  })
  res.end(html)
}
