import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Writable } from 'node:stream'
import { z } from 'zod'
import type { Channel } from '../../src-preload/contract'
import { refundStatus, sessionSetFilter } from '../../src-preload/schemas'
import { safeTimeZone, shopDay } from '../../src-preload/shared/time'
import type { App } from '../app'
import type { Engine } from '../engine'
import { diagnosticsOf } from '../app'
import { nowSeconds } from '../engine/clock'
import { errorFields, log } from '../engine/log'
import type { Caller } from '../engine/handlers'
import { parseInput, uiScope } from '../engine/handlers'
import { auditCsv } from '../engine/owner'
import { auditFilter } from '../../src-preload/schemas'
import { writeLineItemsCsv, writeRefundsCsv, writeSessionsCsv } from '../engine/reports'
import type { SessionScope, SessionSetFilter } from '../engine/sessions'
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

/** The query's fields among `keys`, as text; an empty field in the form is no filter. */
function queryFields(params: URLSearchParams, keys: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {}
  for (const key of keys) {
    const value = params.get(key)
    if (value !== null && value !== '') raw[key] = value
  }
  return raw
}

/** The History filter as query parameters (`?status=COMPLETED&created_gte=…`), checked like the bridge's JSON. */
export function filterFromQuery(params: URLSearchParams): SessionSetFilter {
  return parseInput(sessionSetFilter, parseInput(exportQuery, queryFields(params, Object.keys(exportQuery.shape))))
}

export const EXPORT_REFUNDS_PATH = '/export/refunds.csv'

/** Catalog and cart (#17): one row per line of each sale, for the same History filter. */
export const EXPORT_LINE_ITEMS_PATH = '/export/line-items.csv'

const refundsQuery = z.object({ session_id: z.string().max(64).optional(), status: refundStatus.optional() })

type CsvWriter = (engine: Engine, scope: SessionScope, sink: Writable) => Promise<{ complete: boolean }>

interface CsvDownload {
  /** The export channel this download is the twin of: the same role (the owner's, #13) may use it. */
  channel: Channel
  /** The file is `stablepay-<name>-<shop's day>.csv`. */
  name: string
  /** Reads the query (a bad one is refused before any byte is sent) into the writer of the file. */
  writer(params: URLSearchParams): CsvWriter
}

/** A download of the History filter's sales: the sales file and the line-items file read the same query. */
const salesDownload = (channel: Channel, name: string, write: typeof writeSessionsCsv): CsvDownload => ({
  channel,
  name,
  writer(params) {
    const filter = filterFromQuery(params)
    return (engine, scope, sink) => write(engine, scope, filter, sink)
  },
})

/** One table from download path to its channel and its writer: every CSV download is served the same way. */
const CSV_DOWNLOADS: ReadonlyMap<string, CsvDownload> = new Map([
  [EXPORT_SESSIONS_PATH, salesDownload('sessions:export-csv', 'sessions', writeSessionsCsv)],
  [EXPORT_LINE_ITEMS_PATH, salesDownload('sessions:export-line-items-csv', 'line-items', writeLineItemsCsv)],
  [
    // Refunds (#11): History's Refunds tab downloads its CSV here (`?session_id=&status=`).
    EXPORT_REFUNDS_PATH,
    {
      channel: 'refunds:export-csv',
      name: 'refunds',
      writer(params) {
        const filter = parseInput(refundsQuery, queryFields(params, Object.keys(refundsQuery.shape)))
        return (engine, scope, sink) => writeRefundsCsv(engine, scope, filter, sink)
      },
    },
  ],
])

/** The paths of the CSV downloads exportRoute serves. */
export const CSV_EXPORT_PATHS: readonly string[] = [...CSV_DOWNLOADS.keys()]

/**
 * `GET /export/sessions.csv?<History filter>` (and the line-items and
 * refunds downloads): the filtered rows as a CSV download, streamed from SQL a
 * page at a time (see streamPagedCsv). Mounted behind the same checks as the
 * UI bridge (Host, same-origin, the access token cookie); the browser saves it
 * through an `<a download>` link, so even a million rows never sit in the
 * page's memory.
 *
 * Returns false when the request is not for one of these routes.
 */
export function exportRoute(req: IncomingMessage, res: ServerResponse, app: App, url: URL, caller: Caller): boolean {
  const download = CSV_DOWNLOADS.get(url.pathname)
  if (!download) return false
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '', ['GET'])
    // Judged for the device whose download ticket this is.
    app.handlers.authorize(download.channel, caller)
    const write = download.writer(url.searchParams)
    const scope = uiScope(app.engine)
    const timeZone = safeTimeZone(app.engine.merchants.get(scope.merchantId).time_zone)
    const day = shopDay(nowSeconds(app.engine.clock), timeZone)
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="stablepay-${download.name}-${day}.csv"`,
      // Sales data: no cache may keep a copy.
      'Cache-Control': 'no-store',
    })
    if (req.method === 'HEAD') {
      res.end()
      return true
    }
    write(app.engine, scope, res).then(
      ({ complete }) => {
        if (complete) res.end()
        else res.destroy()
      },
      (error: unknown) => {
        log('http').error({ ...errorFields(error), download: download.name }, 'CSV export failed')
        // Cut the chunked response: the browser reports a failed download rather than keeping a truncated file.
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
    for (const [key, value] of Object.entries(queryFields(url.searchParams, ['kind', 'device', 'created_gte', 'created_lt'])))
      raw[key] = key.startsWith('created_') && /^\d+$/.test(value) ? Number(value) : value
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
