import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { refundStatus, sessionSetFilter } from '../../src-preload/schemas'
import { safeTimeZone, shopDay } from '../../src-preload/shared/time'
import type { App } from '../app'
import { diagnosticsOf } from '../app'
import { nowSeconds } from '../engine/clock'
import { errorFields, log } from '../engine/log'
import type { Caller } from '../engine/handlers'
import { parseInput, uiScope } from '../engine/handlers'
import { auditCsv } from '../engine/owner'
import { auditFilter } from '../../src-preload/schemas'
import { writeLineItemsCsv, writeRefundsCsv, writeSessionsCsv } from '../engine/reports'
import type { SessionSetFilter } from '../engine/sessions'
import { methodNotAllowed, toHttpError } from './errors'
import { sendBridgeError } from './respond'
import { wholeNumber } from './schemas'

export const EXPORT_SESSIONS_PATH = '/export/sessions.csv'

/** Query strings carry text only: digits become numbers here, then the History filter's own rules apply. */
const exportQuery = z.object({
  status: z.string().optional(),
  order_id: z.string().optional(),
  token: z.string().optional(),
  search: z.string().optional(),
  created_gte: wholeNumber('created_gte').optional(),
  created_lt: wholeNumber('created_lt').optional(),
  chain_id: wholeNumber('chain_id').optional(),
  till: z.string().optional(),
})

/** The History filter as query parameters (`?status=COMPLETED&created_gte=…`), checked like the bridge's JSON. */
export function filterFromQuery(params: URLSearchParams): SessionSetFilter {
  const raw: Record<string, string> = {}
  for (const key of Object.keys(exportQuery.shape)) {
    const value = params.get(key)
    // An empty field in the form is no filter.
    if (value !== null && value !== '') raw[key] = value
  }
  return parseInput(sessionSetFilter, parseInput(exportQuery, raw))
}

/**
 * `GET /export/sessions.csv?<History filter>`: the filtered sessions as a CSV
 * download, streamed from SQL a page at a time (see writeSessionsCsv). Mounted
 * behind the same checks as the UI bridge (Host, same-origin, the access
 * token cookie); the browser saves it through an `<a download>` link, so even
 * a million rows never sit in the page's memory.
 *
 * Returns false when the request is not for this route.
 */
export function exportRoute(req: IncomingMessage, res: ServerResponse, app: App, url: URL, caller: Caller): boolean {
  if (url.pathname === EXPORT_LINE_ITEMS_PATH) return lineItemsRoute(req, res, app, url, caller)
  if (url.pathname !== EXPORT_SESSIONS_PATH) return false
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '', ['GET'])
    // The export channel's twin: the owner's (#13), judged for the device whose download ticket this is.
    app.handlers.authorize('sessions:export-csv', caller)
    const filter = filterFromQuery(url.searchParams)
    const scope = uiScope(app.engine)
    const timeZone = safeTimeZone(app.engine.merchants.get(scope.merchantId).time_zone)
    const day = shopDay(nowSeconds(app.engine.clock), timeZone)
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="stablepay-sessions-${day}.csv"`,
      // Sales data: no cache may keep a copy.
      'Cache-Control': 'no-store',
    })
    if (req.method === 'HEAD') {
      res.end()
      return true
    }
    writeSessionsCsv(app.engine, scope, filter, res).then(
      ({ complete }) => {
        if (complete) res.end()
        else res.destroy()
      },
      (error: unknown) => {
        log('http').error(errorFields(error), 'CSV export failed')
        // Cut the chunked response: the browser reports a failed download rather than keeping a truncated file.
        res.destroy()
      },
    )
  } catch (error) {
    sendBridgeError(res, toHttpError(error))
  }
  return true
}

export const EXPORT_REFUNDS_PATH = '/export/refunds.csv'

const refundsQuery = z.object({ session_id: z.string().max(64).optional(), status: refundStatus.optional() })

/** `GET /export/refunds.csv?session_id=&status=`: History's Refunds tab as a CSV download, behind the same checks. */
export function refundsExportRoute(req: IncomingMessage, res: ServerResponse, app: App, url: URL, caller: Caller): boolean {
  if (url.pathname !== EXPORT_REFUNDS_PATH) return false
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '', ['GET'])
    const raw: Record<string, string> = {}
    for (const key of ['session_id', 'status']) {
      const value = url.searchParams.get(key)
      if (value !== null && value !== '') raw[key] = value
    }
    // The refunds export channel's twin: the owner's (#13).
    app.handlers.authorize('refunds:export-csv', caller)
    const filter = parseInput(refundsQuery, raw)
    const scope = uiScope(app.engine)
    const timeZone = safeTimeZone(app.engine.merchants.get(scope.merchantId).time_zone)
    const day = shopDay(nowSeconds(app.engine.clock), timeZone)
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="stablepay-refunds-${day}.csv"`,
      'Cache-Control': 'no-store',
    })
    if (req.method === 'HEAD') {
      res.end()
      return true
    }
    writeRefundsCsv(app.engine, scope, filter, res).then(
      ({ complete }) => {
        if (complete) res.end()
        else res.destroy()
      },
      (error: unknown) => {
        log('http').error(errorFields(error), 'refunds CSV export failed')
        res.destroy()
      },
    )
  } catch (error) {
    sendBridgeError(res, toHttpError(error))
  }
  return true
}

export const EXPORT_DIAGNOSTICS_PATH = '/export/diagnostics.zip'

/** `GET /export/diagnostics.zip`: Settings → Support's download, behind the same checks as the CSV export. */
export function diagnosticsRoute(req: IncomingMessage, res: ServerResponse, app: App, url: URL, caller: Caller): boolean {
  if (url.pathname !== EXPORT_DIAGNOSTICS_PATH) return false
  const fail = (error: unknown) => {
    if (res.headersSent) res.destroy()
    else sendBridgeError(res, toHttpError(error))
  }
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '', ['GET'])
    app.handlers.authorize('support:export-diagnostics', caller)
    const day = new Date(app.engine.clock.now()).toISOString().slice(0, 10)
    const headers = {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="stablepay-diagnostics-${day}.zip"`,
      'Cache-Control': 'no-store',
    }
    // A HEAD asks whether the download is there: it is, without building it.
    if (req.method === 'HEAD') {
      res.writeHead(200, headers).end()
      return true
    }
    diagnosticsOf(app).then((zip) => {
      res.writeHead(200, { ...headers, 'Content-Length': zip.byteLength })
      res.end(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength))
    }, fail)
  } catch (error) {
    fail(error)
  }
  return true
}

export const EXPORT_AUDIT_PATH = '/export/audit.csv'

/** `GET /export/audit.csv?kind=&device=&created_gte=&created_lt=`: the owner's audit log as a CSV download (#13). */
export function auditRoute(req: IncomingMessage, res: ServerResponse, app: App, url: URL, caller: Caller): boolean {
  if (url.pathname !== EXPORT_AUDIT_PATH) return false
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '', ['GET'])
    app.handlers.authorize('audit:export-csv', caller)
    const raw: Record<string, string | number> = {}
    for (const key of ['kind', 'device', 'created_gte', 'created_lt']) {
      const value = url.searchParams.get(key)
      if (value !== null && value !== '') raw[key] = key.startsWith('created_') && /^\d+$/.test(value) ? Number(value) : value
    }
    const { text } = auditCsv(app.engine, parseInput(auditFilter, raw))
    const day = new Date(app.engine.clock.now()).toISOString().slice(0, 10)
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="stablepay-audit-log-${day}.csv"`,
      'Cache-Control': 'no-store',
    })
    res.end(req.method === 'HEAD' ? undefined : text)
  } catch (error) {
    sendBridgeError(res, toHttpError(error))
  }
  return true
}

/** Catalog and cart (#17): one row per line of each sale, for the same History filter. */
export const EXPORT_LINE_ITEMS_PATH = '/export/line-items.csv'

function lineItemsRoute(req: IncomingMessage, res: ServerResponse, app: App, url: URL, caller: Caller): boolean {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '', ['GET'])
    // The line-items export channel's twin: the owner's.
    app.handlers.authorize('sessions:export-line-items-csv', caller)
    const filter = filterFromQuery(url.searchParams)
    const scope = uiScope(app.engine)
    const timeZone = safeTimeZone(app.engine.merchants.get(scope.merchantId).time_zone)
    const day = shopDay(nowSeconds(app.engine.clock), timeZone)
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="stablepay-line-items-${day}.csv"`,
      'Cache-Control': 'no-store',
    })
    if (req.method === 'HEAD') {
      res.end()
      return true
    }
    writeLineItemsCsv(app.engine, scope, filter, res).then(
      ({ complete }) => {
        if (complete) res.end()
        else res.destroy()
      },
      (error: unknown) => {
        log('http').error(errorFields(error), 'line-items CSV export failed')
        res.destroy()
      },
    )
  } catch (error) {
    sendBridgeError(res, toHttpError(error))
  }
  return true
}
