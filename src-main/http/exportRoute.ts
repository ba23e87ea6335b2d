import type { IncomingMessage, ServerResponse } from 'node:http'
import { safeTimeZone, shopDay } from '../../src-preload/shared/time'
import type { App } from '../app'
import { nowSeconds } from '../engine/clock'
import { invalid } from '../engine/errors'
import { uiScope } from '../engine/handlers'
import { writeSessionsCsv } from '../engine/reports'
import type { SessionSetFilter } from '../engine/sessions'
import { parseSessionFilter } from '../engine/sessions'
import { methodNotAllowed, toHttpError } from './errors'
import { sendBridgeError } from './respond'

export const EXPORT_SESSIONS_PATH = '/export/sessions.csv'

const TEXT_PARAMS = ['status', 'order_id', 'token', 'search'] as const
const INTEGER_PARAMS = ['created_gte', 'created_lt', 'chain_id'] as const

/** The History filter as query parameters (`?status=COMPLETED&created_gte=…`), checked like the bridge's JSON. */
export function filterFromQuery(params: URLSearchParams): SessionSetFilter {
  const raw: Record<string, string | number> = {}
  for (const key of TEXT_PARAMS) {
    const value = params.get(key)
    if (value !== null && value !== '') raw[key] = value
  }
  for (const key of INTEGER_PARAMS) {
    const value = params.get(key)
    if (value === null || value === '') continue
    if (!/^\d{1,15}$/.test(value)) throw invalid('parameter_invalid', `${key} must be a whole number`, key)
    raw[key] = Number(value)
  }
  return parseSessionFilter(raw)
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
export function exportRoute(req: IncomingMessage, res: ServerResponse, app: App, url: URL): boolean {
  if (url.pathname !== EXPORT_SESSIONS_PATH) return false
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method ?? '', ['GET'])
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
        console.error('CSV export failed:', error instanceof Error ? (error.stack ?? error.message) : String(error))
        // Cut the chunked response: the browser reports a failed download rather than keeping a truncated file.
        res.destroy()
      },
    )
  } catch (error) {
    sendBridgeError(res, toHttpError(error))
  }
  return true
}
