import type { IncomingMessage, ServerResponse } from 'node:http'
import { networkInterfaces } from 'node:os'
import type { App } from '../app'
import { RECEIPT_LAYOUTS } from '../../src-preload/contract'
import type { ReceiptView } from '../engine/receipts/layout'
import { receiptDocument } from '../engine/receipts/layout'
import { receiptFor } from '../engine/receipts'
import { EngineError } from '../engine/errors'
import { sendPage } from './respond'
import { formatOrigin } from './server'

/**
 * Receipts (#16): `GET /receipt/:id`, the public receipt page the customer's
 * phone opens from the QR on the customer display. No login: the session id
 * (ps_ + 24 random base62, ~143 bits) is the secret. Only a COMPLETED sale has
 * one; anything else is the same 404, so the page tells nothing about sales
 * that are not paid, and it shows only the receipt (no metadata, no order
 * reference, no other sale). `?layout=58mm|80mm|a4` lays it out for paper:
 * the screens print that page in the browser (a same-origin frame, hence
 * SAMEORIGIN framing here and DENY everywhere else).
 */
export function receiptRoute(req: IncomingMessage, res: ServerResponse, app: App, url: URL): boolean {
  if (!url.pathname.startsWith('/receipt/')) return false
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendPage(res, 405, 'Method not allowed', [`${req.method ?? ''} is not allowed here.`], { Allow: 'GET, HEAD' })
    return true
  }
  const id = url.pathname.slice('/receipt/'.length)
  const layout = url.searchParams.get('layout')
  const view: ReceiptView = (RECEIPT_LAYOUTS as readonly string[]).includes(layout ?? '') ? (layout as ReceiptView) : 'page'
  let html: string
  try {
    html = receiptDocument(receiptFor(app.engine, id), view).html
  } catch (error) {
    if (!(error instanceof EngineError) || error.type !== 'not_found_error') throw error
    sendPage(res, 404, 'Receipt not found', ['There is no receipt at this address. Only a paid sale has one.'])
    return true
  }
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    // A receipt is for the one who holds its link: no shared cache keeps it, no search engine lists it.
    'Cache-Control': 'private, no-store',
    'X-Robots-Tag': 'noindex',
    'X-Frame-Options': 'SAMEORIGIN',
  })
  res.end(req.method === 'HEAD' ? undefined : html)
  return true
}

/**
 * The origin a receipt link names: the bound address, or, when bound to every
 * interface, the machine's first LAN IPv4 address (what a phone on the shop's
 * Wi-Fi can reach; the Host check accepts any IP literal then).
 */
export function receiptOrigin(host: string, port: number): string {
  if (host !== '0.0.0.0' && host !== '::' && host !== '') return formatOrigin(host, port)
  const lan = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
  return formatOrigin(lan?.address ?? '127.0.0.1', port)
}
