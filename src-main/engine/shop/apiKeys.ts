import { createHash, randomBytes } from 'node:crypto'
import type { ApiKeyInfo } from '../../../src-preload/contract'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, get, run } from '../db/sql'
import { invalid, notFound } from '../errors'
import { newId } from '../ids'

interface ApiKeyRow {
  id: string
  merchant_id: string
  key_sha256: string
  livemode: number
  hint: string
  created_at: number
  revoked_at: number | null
}

export interface AuthenticatedKey {
  id: string
  merchantId: string
  livemode: boolean
}

/** `sk_test_` or `sk_live_`, then at least 16 URL-safe characters (generated keys carry 64 hex = 256 bits). */
const KEY_FORMAT = /^sk_(test|live)_[A-Za-z0-9_-]{16,200}$/

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex')
const hintOf = (key: string) => `${key.slice(0, 8)}…${key.slice(-4)}`

export class ApiKeys {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Creates a fresh 256-bit key. The returned `secret` is the only time it is ever seen. */
  create(merchantId: string, livemode: boolean): ApiKeyInfo & { secret: string } {
    const secret = `sk_${livemode ? 'live' : 'test'}_${randomBytes(32).toString('hex')}`
    return { ...this.insert(merchantId, secret), secret }
  }

  /**
   * A key named in the config file. Applying it again changes nothing, and a
   * key the owner revoked stays revoked.
   */
  importKey(merchantId: string, secret: string): ApiKeyInfo {
    if (!KEY_FORMAT.test(secret))
      throw invalid('parameter_invalid', 'API key must be sk_test_… or sk_live_… followed by at least 16 letters or digits', 'apiKeys')
    const existing = get<ApiKeyRow>(this.db, 'SELECT * FROM api_keys WHERE key_sha256 = ?', sha256(secret))
    if (existing) {
      if (existing.merchant_id !== merchantId)
        throw invalid('parameter_invalid', `API key ${existing.hint} already belongs to merchant "${existing.merchant_id}"`, 'apiKeys')
      return toInfo(existing)
    }
    return this.insert(merchantId, secret)
  }

  private insert(merchantId: string, secret: string): ApiKeyInfo {
    const row: ApiKeyRow = {
      id: newId('key'),
      merchant_id: merchantId,
      key_sha256: sha256(secret),
      livemode: secret.startsWith('sk_live_') ? 1 : 0,
      hint: hintOf(secret),
      created_at: nowSeconds(this.clock),
      revoked_at: null,
    }
    run(
      this.db,
      'INSERT INTO api_keys (id, merchant_id, key_sha256, livemode, hint, created_at) VALUES (@id, @merchant_id, @key_sha256, @livemode, @hint, @created_at)',
      row,
    )
    return toInfo(row)
  }

  /** Returns the key's owner and mode, or null for an unknown or revoked key. */
  authenticate(secret: string): AuthenticatedKey | null {
    if (!KEY_FORMAT.test(secret)) return null
    const row = get<ApiKeyRow>(this.db, 'SELECT * FROM api_keys WHERE key_sha256 = ? AND revoked_at IS NULL', sha256(secret))
    return row ? { id: row.id, merchantId: row.merchant_id, livemode: row.livemode === 1 } : null
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
  }
}
