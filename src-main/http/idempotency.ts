import { createHash } from 'node:crypto'
import type { Db } from '../engine'
import { get, run } from '../engine/db/sql'
import { badRequest, HttpError } from './errors'

export interface StoredResponse {
  status: number
  body: string
}

/** Keys are kept this long; a retry after a day is a new request (as with Stripe). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600

// Printable ASCII, as Stripe allows: a UUID, a hash, an order reference with a suffix.
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/

export function checkIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined
  if (Array.isArray(value) || !KEY_FORMAT.test(value))
    throw badRequest('parameter_invalid', 'Idempotency-Key must be 1-255 printable ASCII characters', 'Idempotency-Key')
  return value
}

/**
 * What identifies "the same request": method, path and the body's meaning.
 * JSON is canonicalised (keys sorted) so a client that re-serialises its
 * retry with other spacing or key order is still recognised.
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n`)
    .update(body === undefined ? '' : canonicalJson(body))
    .digest('hex')
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * Stored responses of POSTs sent with an Idempotency-Key, scoped per API key.
 * Only successful responses are kept: a request that failed validation or
 * conflicted changed nothing, so retrying it (fixed, or later) must run again.
 */
export class IdempotencyStore {
  constructor(private readonly db: Db) {}

  /** The stored response for this key, or null; 409 when the key was used for a different request. */
  lookup(apiKeyId: string, key: string, fingerprint: string, now: number): StoredResponse | null {
    const row = get<{ request_sha256: string; status: number; body: string; created_at: number }>(
      this.db,
      'SELECT request_sha256, status, body, created_at FROM idempotency_keys WHERE api_key_id = ? AND key = ?',
      apiKeyId,
      key,
    )
    if (!row || row.created_at <= now - IDEMPOTENCY_TTL_SECONDS) return null
    if (row.request_sha256 !== fingerprint)
      throw new HttpError(
        409,
        'conflict_error',
        'idempotency_key_reused',
        'this Idempotency-Key was already used with a different request; use a new key for a new request',
        'Idempotency-Key',
      )
    return { status: row.status, body: row.body }
  }

  /** Call inside the transaction that made the change, so both commit or neither does. */
  save(apiKeyId: string, key: string, fingerprint: string, response: StoredResponse, now: number): void {
    run(
      this.db,
      `INSERT INTO idempotency_keys (api_key_id, key, request_sha256, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (api_key_id, key) DO UPDATE SET request_sha256 = excluded.request_sha256, status = excluded.status,
         body = excluded.body, created_at = excluded.created_at`,
      apiKeyId,
      key,
      fingerprint,
      response.status,
      response.body,
      now,
    )
  }

  prune(now: number): number {
    return run(this.db, 'DELETE FROM idempotency_keys WHERE created_at <= ?', now - IDEMPOTENCY_TTL_SECONDS).changes
  }
}
