/**
 * The append-only audit log (#13): who changed the shop's money-relevant
 * setup, when, and from what to what. The table refuses UPDATE and DELETE
 * (migration 0004); this module only appends and reads.
 *
 * Rows are written by `recordChanges` (changes.ts), which compares what the
 * shop looked like before and after a change; what it compares never carries
 * a secret: API keys appear by their hint, webhook endpoints without their
 * secret (a new secret shows as `secret_replaced`), URLs without passwords or
 * tokens, and the PIN channels record that the PIN changed, nothing more.
 */
import type { AuditEntry, AuditFilter, AuditKind, AuditPage, Role } from '../../../src-preload/contract'
import { safeTimeZone, shopDateTime } from '../../../src-preload/shared/time'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, run } from '../db/sql'
import { invalid } from '../errors'
import { csvRow, UTF8_BOM } from '../reports/csv'

/** Who made a change: a device in a role, or the config file applied at start. */
export interface Actor {
  device: string
  role: Role
}

export const CONFIG_FILE_ACTOR: Actor = { device: 'config-file', role: 'owner' }

interface AuditRow {
  seq: number
  at: number
  device: string
  role: Role
  kind: AuditKind
  subject: string | null
  before: string | null
  after: string | null
}

const ENTRY_PREFIX = 'aud_'

export const AUDIT_CSV_COLUMNS = ['time', 'device', 'role', 'change', 'subject', 'before', 'after'] as const

export class AuditLog {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  record(actor: Actor, kind: AuditKind, subject: string | null, before: object | null, after: object | null): void {
    run(
      this.db,
      'INSERT INTO audit_log (at, device, role, kind, subject, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)',
      nowSeconds(this.clock),
      actor.device,
      actor.role,
      kind,
      subject,
      before === null ? null : JSON.stringify(before),
      after === null ? null : JSON.stringify(after),
    )
  }

  /** Newest first, a page at a time. */
  list(filter: AuditFilter): AuditPage {
    const limit = filter.limit ?? 50
    const rows = this.rows(filter, limit + 1)
    const data = rows.slice(0, limit).map(toEntry)
    const hasMore = rows.length > limit
    return { data, has_more: hasMore, next_cursor: hasMore ? (data[data.length - 1]?.id ?? null) : null }
  }

  /** Rows of one kind since `sinceSeconds`, newest first (the cashier's notices). */
  since(kind: AuditKind, sinceSeconds: number): AuditEntry[] {
    return this.rows({ kind, created_gte: sinceSeconds }, 20).map(toEntry)
  }

  /** The filtered log as CSV (every matching row; the log is small next to the sales). */
  csv(filter: AuditFilter, timeZone: string): { text: string; rows: number } {
    const zone = safeTimeZone(timeZone)
    const rows = this.rows({ ...filter, limit: undefined, starting_after: undefined }, -1)
    let text = UTF8_BOM + csvRow(AUDIT_CSV_COLUMNS)
    for (const row of rows)
      text += csvRow([shopDateTime(row.at, zone), row.device, row.role, row.kind, row.subject ?? '', row.before ?? '', row.after ?? ''])
    return { text, rows: rows.length }
  }

  private rows(filter: AuditFilter, limit: number): AuditRow[] {
    const where: string[] = []
    const params: Record<string, unknown> = { limit }
    if (filter.kind !== undefined) {
      where.push('kind = @kind')
      params.kind = filter.kind
    }
    if (filter.device !== undefined) {
      where.push('device = @device')
      params.device = filter.device
    }
    if (filter.created_gte !== undefined) {
      where.push('at >= @gte')
      params.gte = filter.created_gte
    }
    if (filter.created_lt !== undefined) {
      where.push('at < @lt')
      params.lt = filter.created_lt
    }
    if (filter.starting_after !== undefined) {
      const seq = Number(filter.starting_after.slice(ENTRY_PREFIX.length))
      if (!filter.starting_after.startsWith(ENTRY_PREFIX) || !Number.isSafeInteger(seq))
        throw invalid('parameter_invalid', 'starting_after must be an audit entry id', 'starting_after')
      where.push('seq < @after')
      params.after = seq
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`
    return all<AuditRow>(this.db, sql, params)
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: `${ENTRY_PREFIX}${row.seq}`,
    at: row.at,
    device: row.device,
    role: row.role,
    kind: row.kind,
    subject: row.subject,
    before: row.before === null ? null : (JSON.parse(row.before) as Record<string, unknown>),
    after: row.after === null ? null : (JSON.parse(row.after) as Record<string, unknown>),
  }
}

/**
 * A URL as the audit log shows it: no user:password, no query values, and no
 * path part that looks like a provider key (RPC URLs like `…/v3/<key>`).
 */
export function redactUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return '(not a URL)'
  }
  parsed.username = ''
  parsed.password = ''
  for (const key of [...parsed.searchParams.keys()]) parsed.searchParams.set(key, '…')
  parsed.pathname = parsed.pathname
    .split('/')
    .map((part) => (/^[A-Za-z0-9_-]{16,}$/.test(part) ? '…' : part))
    .join('/')
  return parsed.toString()
}

/** The fields that differ, before and after (compared as JSON); null when nothing did. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {}
  const a: Record<string, unknown> = {}
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue
    b[key] = before[key] ?? null
    a[key] = after[key] ?? null
  }
  return Object.keys(a).length > 0 ? { before: b, after: a } : null
}
