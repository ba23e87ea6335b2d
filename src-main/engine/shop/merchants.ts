import type { Merchant, ReceiveSetup } from '../../../src-preload/contract'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { get, run, value } from '../db/sql'
import { invalid, notFound } from '../errors'
import { isCurrency } from '../money'
import { parseXpub } from '../receive'
import { validateAddress } from '../chains'

interface MerchantRow {
  id: string
  name: string
  currency: string
  receive_mode: 'address' | 'xpub'
  receive_address: string | null
  receive_xpub: string | null
  next_child_index: number
  session_ttl_seconds: number
  time_zone: string
}

export interface MerchantInput {
  id: string
  name: string
  currency: string
  receive: ReceiveSetup
  sessionTtlSeconds?: number
  timeZone?: string
  /** Receipts (#16): printed under the name; null removes it, undefined keeps it. Already checked (schemas.ts shopAddress). */
  address?: string | null
}

/**
 * Receipts (#16): the shop's address lives in the settings table (key per merchant), not in a merchants column:
 * an optional line of print needs no schema change.
 */
const addressKey = (merchantId: string) => `merchant.${merchantId}.address`

/** Receipts (#16): the shop's address as stored, or null. */
export function storedAddress(db: Db, merchantId: string): string | null {
  const stored = value<string>(db, 'SELECT value FROM settings WHERE key = ?', addressKey(merchantId))
  return stored === undefined ? null : (JSON.parse(stored) as string | null)
}

const MERCHANT_ID = /^[A-Za-z0-9_-]{1,64}$/

/** Checks a receiving setup and returns it normalised (checksummed address). */
export function validateReceive(receive: ReceiveSetup): ReceiveSetup {
  if (receive.mode === 'address') {
    const checked = validateAddress(receive.address ?? '')
    if (!checked.ok) throw invalid('parameter_invalid', checked.message, 'receive.address')
    return { mode: 'address', address: checked.address }
  }
  if (receive.mode === 'xpub') {
    const checked = parseXpub(receive.xpub ?? '')
    if (!checked.ok) throw invalid('parameter_invalid', checked.message, 'receive.xpub')
    return { mode: 'xpub', xpub: checked.xpub }
  }
  throw invalid('parameter_invalid', 'receive.mode must be "address" or "xpub"', 'receive.mode')
}

export function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

export class Merchants {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Validates everything first; writes nothing when anything is wrong. */
  upsert(input: MerchantInput): Merchant {
    if (!MERCHANT_ID.test(input.id)) throw invalid('parameter_invalid', 'merchant id must be 1-64 letters, digits, "_" or "-"', 'id')
    const name = input.name.trim()
    if (name.length === 0 || name.length > 200) throw invalid('parameter_invalid', 'shop name must be 1-200 characters', 'name')
    if (!isCurrency(input.currency)) throw invalid('parameter_invalid', `unsupported currency "${input.currency}"`, 'currency')
    const receive = validateReceive(input.receive)
    const ttl = input.sessionTtlSeconds
    if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 60 || ttl > 86400))
      throw invalid('parameter_invalid', 'sessionTtlSeconds must be an integer from 60 to 86400', 'sessionTtlSeconds')
    if (input.timeZone !== undefined && !validTimeZone(input.timeZone))
      throw invalid('parameter_invalid', `unknown time zone "${input.timeZone}"`, 'timeZone')

    run(
      this.db,
      `INSERT INTO merchants (id, name, currency, receive_mode, receive_address, receive_xpub, session_ttl_seconds, time_zone, created_at)
         VALUES (@id, @name, @currency, @mode, @address, @xpub, @ttl, @tz, @now)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, currency = excluded.currency,
           receive_mode = excluded.receive_mode, receive_address = excluded.receive_address,
           receive_xpub = excluded.receive_xpub,
           session_ttl_seconds = coalesce(@ttlGiven, merchants.session_ttl_seconds),
           time_zone = coalesce(@tzGiven, merchants.time_zone)`,
      {
        id: input.id,
        name,
        currency: input.currency,
        mode: receive.mode,
        address: receive.address ?? null,
        xpub: receive.xpub ?? null,
        ttl: ttl ?? 900,
        tz: input.timeZone ?? 'UTC',
        ttlGiven: ttl ?? null,
        tzGiven: input.timeZone ?? null,
        now: nowSeconds(this.clock),
      },
    )
    if (input.address !== undefined)
      run(
        this.db,
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        addressKey(input.id),
        JSON.stringify(input.address),
      )
    return this.get(input.id)
  }

  find(id: string): Merchant | null {
    const row = get<MerchantRow>(this.db, 'SELECT * FROM merchants WHERE id = ?', id)
    return row ? toMerchant(row, this.address(row.id)) : null
  }

  get(id: string): Merchant {
    const merchant = this.find(id)
    if (!merchant) throw notFound(`no merchant "${id}"`, 'merchant_id')
    return merchant
  }

  first(): Merchant | null {
    const row = get<MerchantRow>(this.db, 'SELECT * FROM merchants ORDER BY created_at, id LIMIT 1')
    return row ? toMerchant(row, this.address(row.id)) : null
  }

  private address(id: string): string | null {
    return storedAddress(this.db, id)
  }

  /** xpub mode: hands out the next child index; never the same one twice (call inside the session's transaction). */
  takeChildIndex(id: string): number {
    const index = value<number>(
      this.db,
      'UPDATE merchants SET next_child_index = next_child_index + 1 WHERE id = ? RETURNING next_child_index - 1',
      id,
    )
    if (index === undefined) throw notFound(`no merchant "${id}"`, 'merchant_id')
    return index
  }
}

function toMerchant(row: MerchantRow, address: string | null): Merchant {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    receive:
      row.receive_mode === 'address'
        ? { mode: 'address', address: row.receive_address ?? '' }
        : { mode: 'xpub', xpub: row.receive_xpub ?? '' },
    session_ttl_seconds: row.session_ttl_seconds,
    time_zone: row.time_zone,
    address,
  }
}
