import type { Writable } from 'node:stream'
import type { SessionException, SessionStatus } from '../../../src-preload/contract'
import { safeTimeZone, shopDateTime } from '../../../src-preload/shared/time'
import type { Engine } from '..'
import { all, value } from '../db/sql'
import { formatBaseUnits, formatMinor } from '../money'
import type { SessionScope } from '../sessions'
import { groupBySession, sessionFilterSql, parseSessionFilter } from '../sessions'

/** The columns, in the shop's words, exactly as the owner's spreadsheet sees them. */
export const CSV_COLUMNS = [
  'created',
  'session id',
  'order id',
  'status',
  'amount',
  'currency',
  'token',
  'network',
  'paid amount',
  // Refunds (#11): what went back to the customer and succeeded on-chain, in the token paid.
  'refunded',
  'tx hash',
  'payer',
  'exceptions',
  // Whether the History totals count the sale: a reversed sale stays COMPLETED but is not revenue.
  'in totals',
  // Tips (#17): the part of the amount that is the customer's tip, in the price currency.
  'tip',
] as const

/** Excel reads a file without a BOM as the machine's ANSI code page, which turns Chinese order ids into mojibake. */
export const UTF8_BOM = '\uFEFF'

/** RFC 4180 line ending. */
const EOL = '\r\n'

// A cell a spreadsheet would run as a formula (=, +, -, @, and tab/CR which some treat the same): CSV injection.
const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

/**
 * One CSV cell: a leading single quote disarms formula starters (OWASP's
 * advice; Excel shows the text as typed), then RFC 4180 quoting when the
 * text holds a comma, quote or line break.
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function csvRow(cells: readonly string[]): string {
  return cells.map(csvCell).join(',') + EOL
}

export const CSV_HEADER = UTF8_BOM + csvRow(CSV_COLUMNS)

/** Rows per SQL page: big enough that a page's three queries are cheap per row, small enough to keep memory flat. */
export const CSV_PAGE_ROWS = 500

interface ExportRow {
  seq: number
  id: string
  order_id: string
  status: SessionStatus
  amount_minor: number
  tip_minor: number
  currency: string
  created_at: number
  paid_option_id: number | null
  amount_paid: string
  exceptions: string
}

interface OptionCell {
  session_seq: number
  id: number
  chain_id: number
  token_address: string
  token_symbol: string
  decimals: number
  network: string | null
}

interface RefundCell {
  session_seq: number
  chain_id: number
  token_address: string
  amount: string
}

interface TransferCell {
  session_seq: number
  tx_hash: string
  from_address: string
}

export interface CsvOptions {
  pageRows?: number
}

/**
 * Streams the filtered sessions as CSV (UTF-8 with BOM, RFC 4180, formula
 * guard), newest first like the History list, into `sink`, a page of SQL at a time
 * (streamPagedCsv): memory stays flat whatever the count, with backpressure,
 * and a long export never stalls the till.
 *
 * The set is fixed when the export starts (sessions created after it are not
 * in the file); statuses are read as each page is. Resolves with the number
 * of sessions written, or with what was written so far if `sink` closes
 * early (the browser cancelled the download); rejects if `sink` fails.
 * It never ends `sink`: the caller does (an HTTP response, a file).
 */
export async function writeSessionsCsv(
  engine: Engine,
  scope: SessionScope,
  rawFilter: unknown,
  sink: Writable,
  options: CsvOptions = {},
): Promise<{ rows: number; complete: boolean }> {
  const { timeZone, pages } = pagedSales<ExportRow>(
    engine,
    scope,
    rawFilter,
    options,
    's.seq, s.id, s.order_id, s.status, s.amount_minor, s.tip_minor, s.currency, s.created_at, s.paid_option_id, s.amount_paid, s.exceptions',
  )
  const optionsOf = (seqs: string) =>
    all<OptionCell>(
      engine.db,
      `SELECT o.session_seq, o.id, o.chain_id, o.token_address, o.token_symbol, o.decimals, c.name AS network
         FROM payment_options o LEFT JOIN chains c ON c.chain_id = o.chain_id
        WHERE o.session_seq IN (SELECT value FROM json_each(?)) AND o.kind = 'payment' ORDER BY o.id`,
      seqs,
    )
  // Reorged-out transfers paid nothing; they stay visible in the History drawer, not in the books.
  const transfersOf = (seqs: string) =>
    all<TransferCell>(
      engine.db,
      `SELECT session_seq, tx_hash, from_address FROM transfers
        WHERE session_seq IN (SELECT value FROM json_each(?)) AND state != 'orphaned' ORDER BY block_number, log_index`,
      seqs,
    )

  // Succeeded refunds only: one still open may never be paid, and a failed or cancelled one gave nothing back.
  const refundsOf = (seqs: string) =>
    all<RefundCell>(
      engine.db,
      `SELECT session_seq, chain_id, token_address, amount FROM refunds
        WHERE session_seq IN (SELECT value FROM json_each(?)) AND status = 'succeeded'`,
      seqs,
    )

  return streamPagedCsv(sink, CSV_HEADER, pages, (sessions) => {
    const seqs = JSON.stringify(sessions.map((s) => s.seq))
    const optionsBySession = groupBySession(optionsOf(seqs))
    const transfersBySession = groupBySession(transfersOf(seqs))
    const refundsBySession = groupBySession(refundsOf(seqs))
    return sessions.map((s) =>
      cells(s, optionsBySession.get(s.seq) ?? [], transfersBySession.get(s.seq) ?? [], refundsBySession.get(s.seq) ?? [], timeZone),
    )
  })
}

/**
 * The sales exports' set (sessions and line items): the History filter's
 * sessions in the History list's order (newest first by created_at, then
 * seq), paged by keyset on the same pair, walking the (merchant, mode,
 * created_at) index. Sessions created after the export began (seq above the
 * newest then) are left out. `also` narrows the set further (SQL, on `s`).
 */
export function pagedSales<Row extends PagedRow>(
  engine: Engine,
  scope: SessionScope,
  rawFilter: unknown,
  options: CsvOptions,
  columns: string,
  also = '',
): { timeZone: string; pages: Pages<Row> } {
  const filter = parseSessionFilter(rawFilter)
  const pageRows = options.pageRows ?? CSV_PAGE_ROWS
  const timeZone = safeTimeZone(engine.merchants.get(scope.merchantId).time_zone)
  const { where, params } = sessionFilterSql(scope, filter)
  const newest = value<number | null>(engine.db, 'SELECT max(seq) FROM sessions') ?? 0
  const page = (beforeAt: number, beforeSeq: number) =>
    all<Row>(
      engine.db,
      `SELECT ${columns}
         FROM sessions s WHERE ${where} AND s.seq <= @newest${also} AND (s.created_at < @beforeAt OR (s.created_at = @beforeAt AND s.seq < @beforeSeq))
        ORDER BY s.created_at DESC, s.seq DESC LIMIT @pageRows`,
      { ...params, newest, beforeAt, beforeSeq, pageRows },
    )
  return { timeZone, pages: { pageRows, page } }
}

/** A row a page ends on: every export walks newest first by (created_at, seq), as the History list does. */
export interface PagedRow {
  created_at: number
  seq: number
}

/** An export's rows, a page at a time. */
export interface Pages<Row extends PagedRow> {
  pageRows: number
  /** The next page of at most `pageRows` rows strictly older than (beforeAt, beforeSeq). */
  page(beforeAt: number, beforeSeq: number): Row[]
}

/**
 * The one paged writer behind every CSV export: writes `header` (the BOM and
 * the column names), then a
 * page of SQL at a time, waiting for `sink` to drain (backpressure) and
 * yielding between pages so a long export never stalls the till. Resolves
 * with the CSV lines written, `complete: false` with what was written so far
 * when the sink went away early (the browser cancelled the download); rejects
 * if the sink failed (a full disk). It never ends `sink`: the caller does.
 */
export async function streamPagedCsv<Row extends PagedRow>(
  sink: Writable,
  header: string,
  { pageRows, page: nextPage }: Pages<Row>,
  /** The CSV lines (as cells) for one page's rows; a row may give none or several (a sale's line items). */
  linesOf: (rows: Row[]) => string[][],
): Promise<{ rows: number; complete: boolean }> {
  const closed = watchSink(sink)
  let rows = 0
  const stopped = () => {
    // A reader that went away is an ending; a sink that failed (disk full) is an error the caller must hear.
    const error = closed.error()
    if (error) throw error
    return { rows, complete: false }
  }
  try {
    if (!(await write(sink, header, closed))) return stopped()
    let beforeAt = Number.MAX_SAFE_INTEGER
    let beforeSeq = Number.MAX_SAFE_INTEGER
    for (;;) {
      const page = nextPage(beforeAt, beforeSeq)
      if (page.length === 0) break
      const lines = linesOf(page)
      let chunk = ''
      for (const line of lines) chunk += csvRow(line)
      rows += lines.length
      const last = page[page.length - 1]!
      beforeAt = last.created_at
      beforeSeq = last.seq
      if (!(await write(sink, chunk, closed))) return stopped()
      if (page.length < pageRows) break
      // Let the HTTP server answer the cashier between pages.
      await new Promise((resolve) => setImmediate(resolve))
    }
    return { rows, complete: true }
  } finally {
    closed.dispose()
  }
}

function cells(s: ExportRow, options: OptionCell[], transfers: TransferCell[], refunds: RefundCell[], timeZone: string): string[] {
  const paid = options.find((o) => o.id === s.paid_option_id)
  const shown = paid ? [paid] : options
  const distinct = (values: string[]) => [...new Set(values)].join(' / ')
  const exceptions = JSON.parse(s.exceptions) as SessionException[]
  return [
    shopDateTime(s.created_at, timeZone),
    s.id,
    s.order_id,
    s.status,
    formatMinor(BigInt(s.amount_minor), s.currency as Parameters<typeof formatMinor>[1]),
    s.currency,
    distinct(shown.map((o) => o.token_symbol)),
    distinct(shown.map((o) => o.network ?? `Chain ${o.chain_id}`)),
    paid ? formatBaseUnits(BigInt(s.amount_paid), paid.decimals) : '0',
    paid ? formatBaseUnits(refundedIn(paid, refunds), paid.decimals) : '0',
    [...new Set(transfers.map((t) => t.tx_hash))].join(' '),
    [...new Set(transfers.map((t) => t.from_address))].join(' '),
    exceptions.join(' '),
    inTotals(s.status, exceptions),
    formatMinor(BigInt(s.tip_minor ?? 0), s.currency as Parameters<typeof formatMinor>[1]),
  ]
}

/** The succeeded refunds in the token the sale was paid in, base units. */
function refundedIn(paid: OptionCell, refunds: RefundCell[]): bigint {
  let total = 0n
  for (const r of refunds) if (r.chain_id === paid.chain_id && r.token_address === paid.token_address) total += BigInt(r.amount)
  return total
}

/** The totals count COMPLETED sales only, and not one whose payment a reorg took back (totals.ts). */
function inTotals(status: SessionStatus, exceptions: SessionException[]): string {
  if (status !== 'COMPLETED') return 'no'
  return exceptions.includes('reversed') ? 'no: payment reversed' : 'yes'
}

export interface SinkWatch {
  /** Resolves when the sink can no longer be written (closed, destroyed or failed). */
  gone: Promise<void>
  isGone(): boolean
  /** The sink's own failure (a full disk), as opposed to a reader that went away. */
  error(): Error | null
  dispose(): void
}

export function watchSink(sink: Writable): SinkWatch {
  let gone = sink.destroyed || sink.writableEnded
  let failure: Error | null = null
  let signal: () => void = () => undefined
  const promise = new Promise<void>((resolve) => (signal = resolve))
  const onClose = () => {
    gone = true
    signal()
  }
  const onError = (error: Error) => {
    failure ??= error
    onClose()
  }
  sink.on('close', onClose)
  sink.on('error', onError)
  if (gone) signal()
  return {
    gone: promise,
    isGone: () => gone,
    error: () => failure,
    dispose() {
      sink.off('close', onClose)
      sink.off('error', onError)
    },
  }
}

/** Writes a chunk and, when the sink's buffer is full, waits for it to drain. False when the sink went away. */
export async function write(sink: Writable, chunk: string, watch: SinkWatch): Promise<boolean> {
  if (watch.isGone()) return false
  if (sink.write(chunk, 'utf8')) return true
  let onDrain: () => void = () => undefined
  const drained = new Promise<void>((resolve) => {
    onDrain = resolve
    sink.once('drain', onDrain)
  })
  await Promise.race([drained, watch.gone])
  sink.off('drain', onDrain)
  return !watch.isGone()
}
