import { createHash, randomBytes } from 'node:crypto'
import type { ApiKeyInfo } from '../../../src-preload/contract'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, get, run } from '../db/sql'
import { invalid, notFound } from '../errors'
import { newId } from '../ids'
import type { SecretBox } from '../webhooks/secretBox'

interface ApiKeyRow {
  id: string
  merchant_id: string
  key_sha256: string
  livemode: number
  hint: string
  created_at: number
  revoked_at: number | null
  secret_sealed: string | null
  secret_created_at: number | null
  signed_only: number
}

export interface AuthenticatedKey {
  id: string
  merchantId: string
  livemode: boolean
  /** Refuses unsigned requests in both dialects (#12). */
  signedOnly: boolean
}

/** An API secret signs requests (#12); 32+ printable characters when the config file names one. */
const SECRET_FORMAT = /^[\x21-\x7e]{32,200}$/
/** How long a nonce stays spent: twice the 5-minute clock window, so no signed request is ever accepted twice. */
export const NONCE_TTL_SECONDS = 600
const newApiSecret = () => `sps_${randomBytes(32).toString('hex')}`

/** `sk_test_` or `sk_live_`, then at least 16 URL-safe characters (generated keys carry 64 hex = 256 bits). */
const KEY_FORMAT = /^sk_(test|live)_[A-Za-z0-9_-]{16,200}$/

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex')
const hintOf = (key: string) => `${key.slice(0, 8)}…${key.slice(-4)}`

export class ApiKeys {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** Seals API secrets at rest (the webhook secrets' box); read only when a secret is made or checked. */
    private readonly secretBox: () => SecretBox,
  ) {}

  /**
   * Creates a fresh 256-bit key with its API secret. The returned `secret` (the key) and `api_secret` are
   * the only time either is ever seen.
   */
  create(merchantId: string, livemode: boolean): ApiKeyInfo & { secret: string; api_secret: string } {
    const secret = `sk_${livemode ? 'live' : 'test'}_${randomBytes(32).toString('hex')}`
    const apiSecret = newApiSecret()
    return { ...this.insert(merchantId, secret, apiSecret), secret, api_secret: apiSecret }
  }

  /** A new API secret for a key (a key made before signing existed has none); the old one stops signing at once. */
  rotateSecret(merchantId: string, id: string): ApiKeyInfo & { api_secret: string } {
    const row = this.row(merchantId, id)
    if (row.revoked_at !== null) throw invalid('api_key_revoked', `API key ${row.hint} is revoked`, 'id')
    const apiSecret = newApiSecret()
    this.storeSecret(id, apiSecret)
    return { ...toInfo(this.row(merchantId, id)), api_secret: apiSecret }
  }

  /** "Signed requests only": an unsigned request with this key is refused in both dialects. Needs a secret. */
  setSignedOnly(merchantId: string, id: string, signedOnly: boolean): ApiKeyInfo {
    const row = this.row(merchantId, id)
    if (signedOnly && row.secret_sealed === null)
      throw invalid('api_secret_missing', `API key ${row.hint} has no API secret yet: make one first`, 'signed_only')
    run(this.db, 'UPDATE api_keys SET signed_only = ? WHERE id = ?', signedOnly ? 1 : 0, id)
    return toInfo(this.row(merchantId, id))
  }

  /** The key's API secret, to check a signature with; null when it has none. */
  signingSecret(id: string): string | null {
    const sealed = get<{ secret_sealed: string | null }>(this.db, 'SELECT secret_sealed FROM api_keys WHERE id = ?', id)?.secret_sealed
    return sealed ? this.secretBox().open(sealed) : null
  }

  /**
   * Marks a signed request's nonce as used by this key; false when it already was within the last
   * NONCE_TTL_SECONDS (a replay). Call inside the request's transaction.
   */
  spendNonce(id: string, nonce: string, now: number): boolean {
    const seen = get<{ seen_at: number }>(this.db, 'SELECT seen_at FROM api_nonces WHERE api_key_id = ? AND nonce = ?', id, nonce)
    if (seen && seen.seen_at > now - NONCE_TTL_SECONDS) return false
    run(
      this.db,
      'INSERT INTO api_nonces (api_key_id, nonce, seen_at) VALUES (?, ?, ?) ON CONFLICT (api_key_id, nonce) DO UPDATE SET seen_at = excluded.seen_at',
      id,
      nonce,
      now,
    )
    return true
  }

  pruneNonces(now: number): number {
    return run(this.db, 'DELETE FROM api_nonces WHERE seen_at <= ?', now - NONCE_TTL_SECONDS).changes
  }

  private row(merchantId: string, id: string): ApiKeyRow {
    const row = get<ApiKeyRow>(this.db, 'SELECT * FROM api_keys WHERE id = ? AND merchant_id = ?', id, merchantId)
    if (!row) throw notFound(`no API key "${id}"`, 'id')
    return row
  }

  private storeSecret(id: string, apiSecret: string): void {
    run(
      this.db,
      'UPDATE api_keys SET secret_sealed = ?, secret_created_at = ? WHERE id = ?',
      this.secretBox().seal(apiSecret),
      nowSeconds(this.clock),
      id,
    )
  }

  /**
   * A key named in the config file. Applying it again changes nothing, and a
   * key the owner revoked stays revoked.
   */
  importKey(merchantId: string, secret: string, apiSecret?: string): ApiKeyInfo {
    if (!KEY_FORMAT.test(secret))
      throw invalid('parameter_invalid', 'API key must be sk_test_… or sk_live_… followed by at least 16 letters or digits', 'apiKeys')
    // Never echo the secret itself in the message: config errors are printed and logged.
    if (apiSecret !== undefined && !SECRET_FORMAT.test(apiSecret))
      throw invalid('parameter_invalid', 'an API key\'s secret must be 32-200 printable characters without spaces', 'apiKeys.secret')
    const existing = get<ApiKeyRow>(this.db, 'SELECT * FROM api_keys WHERE key_sha256 = ?', sha256(secret))
    if (existing) {
      if (existing.merchant_id !== merchantId)
        throw invalid('parameter_invalid', `API key ${existing.hint} already belongs to merchant "${existing.merchant_id}"`, 'apiKeys')
      // The file rules what it names: a different secret replaces the stored one (the same one changes nothing).
      if (apiSecret !== undefined && existing.revoked_at === null && this.signingSecret(existing.id) !== apiSecret)
        this.storeSecret(existing.id, apiSecret)
      return toInfo(this.row(merchantId, existing.id))
    }
    return this.insert(merchantId, secret, apiSecret)
  }

  private insert(merchantId: string, secret: string, apiSecret?: string): ApiKeyInfo {
    const row: ApiKeyRow = {
      id: newId('key'),
      merchant_id: merchantId,
      key_sha256: sha256(secret),
      livemode: secret.startsWith('sk_live_') ? 1 : 0,
      hint: hintOf(secret),
      created_at: nowSeconds(this.clock),
      revoked_at: null,
      secret_sealed: apiSecret === undefined ? null : this.secretBox().seal(apiSecret),
      secret_created_at: apiSecret === undefined ? null : nowSeconds(this.clock),
      signed_only: 0,
    }
    run(
      this.db,
      `INSERT INTO api_keys (id, merchant_id, key_sha256, livemode, hint, created_at, secret_sealed, secret_created_at)
       VALUES (@id, @merchant_id, @key_sha256, @livemode, @hint, @created_at, @secret_sealed, @secret_created_at)`,
      { ...row, signed_only: undefined },
    )
    return toInfo(row)
  }

  /** Returns the key's owner and mode, or null for an unknown or revoked key. */
  authenticate(secret: string): AuthenticatedKey | null {
    if (!KEY_FORMAT.test(secret)) return null
    const row = get<ApiKeyRow>(this.db, 'SELECT * FROM api_keys WHERE key_sha256 = ? AND revoked_at IS NULL', sha256(secret))
    return row ? { id: row.id, merchantId: row.merchant_id, livemode: row.livemode === 1, signedOnly: row.signed_only === 1 } : null
  }

  list(merchantId: string): ApiKeyInfo[] {
    return all<ApiKeyRow>(this.db, 'SELECT * FROM api_keys WHERE merchant_id = ? ORDER BY created_at DESC, id', merchantId).map(toInfo)
  }

  revoke(merchantId: string, id: string): ApiKeyInfo {
    run(
      this.db,
      'UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND merchant_id = ?',
      nowSeconds(this.clock),
      id,
      merchantId,
    )
    const row = get<ApiKeyRow>(this.db, 'SELECT * FROM api_keys WHERE id = ? AND merchant_id = ?', id, merchantId)
    if (!row) throw notFound(`no API key "${id}"`, 'id')
    return toInfo(row)
  }
}

function toInfo(row: ApiKeyRow): ApiKeyInfo {
  return {
    id: row.id,
    merchant_id: row.merchant_id,
    livemode: row.livemode === 1,
    hint: row.hint,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
    has_secret: row.secret_sealed !== null,
    secret_created_at: row.secret_created_at,
    signed_only: row.signed_only === 1,
  }
}
