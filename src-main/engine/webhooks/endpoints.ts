import type { WebhookEndpoint, WebhookEventType } from '../../../src-preload/contract'
import { WEBHOOK_EVENT_TYPES } from '../../../src-preload/contract'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, get, run } from '../db/sql'
import { invalid, notFound } from '../errors'
import { newId, newSecret } from '../ids'
import type { SecretBox } from './secretBox'

export { WEBHOOK_EVENT_TYPES }
export type { WebhookEventType }

/** Only sent by "send test event", to one endpoint, whatever its filter. */
export const TEST_EVENT_TYPE = 'webhook.test'

export interface EndpointRow {
  seq: number
  id: string
  merchant_id: string
  url: string
  secret_sealed: string
  events: string
  enabled: number
  source: 'app' | 'config'
  created_at: number
  updated_at: number
  /** Deleted over the API (#12): kept for its deliveries' sake, switched off, never listed. */
  deleted_at: number | null
}

export interface EndpointInput {
  url: string
  events?: string[]
  secret?: string
  enabled?: boolean
}

const MAX_URL_LENGTH = 2048

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    merchant_id: row.merchant_id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    enabled: row.enabled === 1,
    created_at: row.created_at,
  }
}

export function validateUrl(url: unknown, param = 'url'): string {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH)
    throw invalid('parameter_invalid', `url must be an http(s) URL of at most ${MAX_URL_LENGTH} characters`, param)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw invalid('parameter_invalid', 'url is not a valid URL', param)
  }
  // Plain http is allowed: a back office on the shop's LAN often has no certificate.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalid('parameter_invalid', 'url must start with http:// or https://', param)
  if (parsed.hash !== '') throw invalid('parameter_invalid', 'url must not contain a #fragment', param)
  return parsed.toString()
}

/** `*` or a list of known event types, deduplicated, in the canonical order. */
export function normaliseEvents(events: unknown, param = 'events'): string[] {
  if (events === undefined) return ['*']
  if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== 'string'))
    throw invalid('parameter_invalid', 'events must be a non-empty list of event types, or ["*"]', param)
  if (events.includes('*')) return ['*']
  const unknown = events.find((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e as string))
  if (unknown !== undefined)
    throw invalid('parameter_invalid', `unknown event type "${String(unknown)}"; expected "*" or ${WEBHOOK_EVENT_TYPES.join(', ')}`, param)
  return WEBHOOK_EVENT_TYPES.filter((t) => events.includes(t))
}

export function validateSecret(secret: unknown, param = 'secret'): string {
  // Say what is wrong without ever echoing the value.
  if (typeof secret !== 'string' || !/^[\x21-\x7e]{16,256}$/.test(secret))
    throw invalid('parameter_invalid', 'secret must be 16-256 visible ASCII characters (no spaces)', param)
  return secret
}

/** `whsec_` and 40 base62 characters (~238 bits). */
export function generateSecret(): string {
  return newSecret('whsec', 40)
}

/** Endpoint rows, each belonging to one merchant. Secrets go in sealed and come out only to sign. */
export class EndpointStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly secretBox: SecretBox,
  ) {}

  rows(merchantId: string): EndpointRow[] {
    return all<EndpointRow>(this.db, 'SELECT * FROM webhook_endpoints WHERE merchant_id = ? AND deleted_at IS NULL ORDER BY seq', merchantId)
  }

  enabledRows(): EndpointRow[] {
    return all<EndpointRow>(this.db, 'SELECT * FROM webhook_endpoints WHERE enabled = 1 ORDER BY seq')
  }

  bySeq(seq: number): EndpointRow | undefined {
    return get<EndpointRow>(this.db, 'SELECT * FROM webhook_endpoints WHERE seq = ?', seq)
  }

  /** An endpoint its merchant may see; anyone else gets 404. */
  scoped(id: unknown, merchantId: string, param = 'id'): EndpointRow {
    const row = typeof id === 'string' ? get<EndpointRow>(this.db, 'SELECT * FROM webhook_endpoints WHERE id = ?', id) : undefined
    if (!row || row.merchant_id !== merchantId || row.deleted_at !== null) throw notFound(`no webhook endpoint "${String(id)}"`, param)
    return row
  }

  /** Deleted (#12): switched off at once (no new delivery is queued for it) and no longer listed or found. */
  delete(row: EndpointRow): void {
    const now = nowSeconds(this.clock)
    run(this.db, 'UPDATE webhook_endpoints SET enabled = 0, deleted_at = ?, updated_at = ? WHERE seq = ?', now, now, row.seq)
  }

  create(merchantId: string, input: EndpointInput, source: 'app' | 'config'): { row: EndpointRow; secret: string } {
    const url = validateUrl(input.url)
    const events = normaliseEvents(input.events)
    const secret = input.secret === undefined ? generateSecret() : validateSecret(input.secret)
    if (input.enabled !== undefined && typeof input.enabled !== 'boolean')
      throw invalid('parameter_invalid', 'enabled must be true or false', 'enabled')
    const now = nowSeconds(this.clock)
    const info = run(
      this.db,
      `INSERT INTO webhook_endpoints (id, merchant_id, url, secret_sealed, events, enabled, source, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      newId('we'),
      merchantId,
      url,
      this.secretBox.seal(secret),
      JSON.stringify(events),
      input.enabled === false ? 0 : 1,
      source,
      now,
      now,
    )
    return { row: this.bySeq(Number(info.lastInsertRowid))!, secret }
  }

  /** Writes only what differs, so applying the same config twice changes nothing. Returns whether anything changed. */
  update(row: EndpointRow, patch: { url?: unknown; events?: unknown; enabled?: unknown; secret?: unknown; source?: 'config' }): boolean {
    const sets: string[] = []
    const params: Record<string, unknown> = { seq: row.seq }
    if (patch.url !== undefined) {
      const url = validateUrl(patch.url)
      if (url !== row.url) {
        sets.push('url = @url')
        params.url = url
      }
    }
    if (patch.events !== undefined) {
      const events = JSON.stringify(normaliseEvents(patch.events))
      if (events !== row.events) {
        sets.push('events = @events')
        params.events = events
      }
    }
    if (patch.enabled !== undefined) {
      if (typeof patch.enabled !== 'boolean') throw invalid('parameter_invalid', 'enabled must be true or false', 'enabled')
      if ((row.enabled === 1) !== patch.enabled) {
        sets.push('enabled = @enabled')
        params.enabled = patch.enabled ? 1 : 0
      }
    }
    if (patch.secret !== undefined) {
      const secret = validateSecret(patch.secret)
      // Sealing is randomised, so compare the plain secrets; an unreadable old one is simply replaced.
      if (this.openOrNull(row) !== secret) {
        sets.push('secret_sealed = @sealed')
        params.sealed = this.secretBox.seal(secret)
      }
    }
    if (patch.source !== undefined && patch.source !== row.source) {
      sets.push('source = @source')
      params.source = patch.source
    }
    if (sets.length === 0) return false
    params.now = nowSeconds(this.clock)
    // At most one statement per combination of changed columns, each cached like any other.
    run(this.db, `UPDATE webhook_endpoints SET ${sets.join(', ')}, updated_at = @now WHERE seq = @seq`, params)
    return true
  }

  findByUrl(merchantId: string, url: string): EndpointRow | undefined {
    return get<EndpointRow>(
      this.db,
      'SELECT * FROM webhook_endpoints WHERE merchant_id = ? AND url = ? AND deleted_at IS NULL ORDER BY seq LIMIT 1',
      merchantId,
      url,
    )
  }

  /** The plain secret, for signing only. */
  open(row: EndpointRow): string {
    return this.secretBox.open(row.secret_sealed)
  }

  private openOrNull(row: EndpointRow): string | null {
    try {
      return this.open(row)
    } catch {
      return null
    }
  }
}
