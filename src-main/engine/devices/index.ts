import { createHash, randomBytes, randomInt } from 'node:crypto'
import type { DeviceInfo, DeviceRoleHint, PairingCode, Till } from '../../../src-preload/contract'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, get, run, value } from '../db/sql'
import { transaction } from '../db/transaction'
import { EngineError, invalid, notFound } from '../errors'
import { newId } from '../ids'
import { errorFields, log } from '../log'

/** A device that has not been seen for this long is signed out (it signs in again with a pairing code). */
export const DEVICE_IDLE_SECONDS = 12 * 3600
/** A pairing code shown on the owner's screen works this long, once. */
export const PAIRING_CODE_SECONDS = 10 * 60
/** `last_seen_at` is rewritten at most this often per device: not one write per bridge call. */
const TOUCH_EVERY_SECONDS = 60

/** The desktop window's device (seeded by migration 0005), on Till 1. */
export const LOCAL_DEVICE = 'local'
export const DEFAULT_TILL = 'till_1'

/**
 * The first till's name as the app gives it, in each language of the screens (#15): a Chinese shop's till
 * picker, reports and receipts say "收银台 1". It follows the shop's language until the owner names it.
 */
export const DEFAULT_TILL_NAMES = { en: 'Till 1', 'zh-CN': '收银台 1' } as const

/** Names the first till in `language`, unless the owner gave it a name of their own. */
export function nameDefaultTill(db: Db, language: keyof typeof DEFAULT_TILL_NAMES): void {
  const names = Object.values(DEFAULT_TILL_NAMES)
  run(
    db,
    `UPDATE tills SET name = ? WHERE id = ? AND name IN (${names.map(() => '?').join(', ')})`,
    DEFAULT_TILL_NAMES[language],
    DEFAULT_TILL,
    ...names,
  )
}

// Pairing codes are read aloud and typed on a tablet: no 0/O, 1/I/L.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const CODE_LENGTH = 10

interface DeviceRow {
  id: string
  name: string
  till_id: string
  till_name: string
  role_hint: DeviceRoleHint
  created_at: number
  last_seen_at: number
  address: string | null
  header_hash: string | null
  revoked_at: number | null
}

/** A signed-in device as the HTTP server learns it from a request. */
export interface SignedInDevice {
  id: string
  till: string
  name: string
  roleHint: DeviceRoleHint
}

/** What a new device takes home: the cookie's secret and the header token; only their hashes are kept. */
export interface NewDeviceSession {
  device: DeviceInfo
  secret: string
  headerToken: string
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')
const randomToken = () => randomBytes(32).toString('base64url')

const DEVICE_SELECT = `SELECT d.id, d.name, d.till_id, t.name AS till_name, d.role_hint, d.created_at, d.last_seen_at, d.address,
  d.header_hash, d.revoked_at FROM devices d JOIN tills t ON t.id = d.till_id`

/**
 * Devices (each browser, and the desktop window) and the tills they work at.
 * Server-side sessions: a device is signed in while its row is not revoked
 * and was seen within the last 12 hours.
 */
export class Devices {
  /** Told when a device's open event streams no longer fit it (revoked, or moved to another till). */
  private readonly streamsStaleListeners = new Set<(deviceId: string) => void>()
  /** Addresses other machines reach this till at (set by serve mode when it listens on the LAN). */
  private lanOrigins: string[] = []

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  // ------------------------------------------------------------ tills

  tills(): Till[] {
    return all<Till>(this.db, 'SELECT id, name, created_at FROM tills ORDER BY created_at, id')
  }

  createTill(name: string): Till {
    return transaction(this.db, () => {
      const taken = all<{ id: string }>(this.db, 'SELECT id FROM tills').map((r) => Number(/^till_(\d+)$/.exec(r.id)?.[1] ?? 0))
      const id = `till_${Math.max(0, ...taken) + 1}`
      run(this.db, 'INSERT INTO tills (id, name, created_at) VALUES (?, ?, ?)', id, name.trim(), nowSeconds(this.clock))
      return this.till(id)
    })
  }

  renameTill(id: string, name: string): Till {
    if (run(this.db, 'UPDATE tills SET name = ? WHERE id = ?', name.trim(), id).changes === 0) throw notFound(`no till "${id}"`, 'id')
    return this.till(id)
  }

  till(id: string): Till {
    const till = get<Till>(this.db, 'SELECT id, name, created_at FROM tills WHERE id = ?', id)
    if (!till) throw notFound(`no till "${id}"`, 'till')
    return till
  }

  /** The till a caller works at: its device's; an unknown device (a test's own caller) is on Till 1. */
  tillOf(deviceId: string): string {
    return value<string>(this.db, 'SELECT till_id FROM devices WHERE id = ?', deviceId) ?? DEFAULT_TILL
  }

  // ------------------------------------------------------------ devices

  list(): DeviceInfo[] {
    return all<DeviceRow>(this.db, `${DEVICE_SELECT} ORDER BY d.revoked_at IS NOT NULL, d.created_at, d.id`).map((r) => this.toInfo(r))
  }

  get(id: string): DeviceInfo {
    const row = get<DeviceRow>(this.db, `${DEVICE_SELECT} WHERE d.id = ?`, id)
    if (!row) throw notFound(`no device "${id}"`, 'id')
    return this.toInfo(row)
  }

  update(id: string, change: { name?: string; till?: string }): DeviceInfo {
    const { before, after } = transaction(this.db, () => {
      const before = this.get(id)
      if (change.till !== undefined) {
        this.till(change.till)
        run(this.db, 'UPDATE devices SET till_id = ? WHERE id = ?', change.till, id)
      }
      if (change.name !== undefined) run(this.db, 'UPDATE devices SET name = ? WHERE id = ?', change.name.trim(), id)
      return { before, after: this.get(id) }
    })
    // An open event stream was given the device's till when it opened: moved, it would go on carrying the old
    // till's sales (a display showing the other counter's QR). Ended, it reconnects at once with the new till.
    if (after.till !== before.till) for (const listener of this.streamsStaleListeners) listener(id)
    return after
  }

  /** Signs the device out everywhere at once: its next request is refused and its open event streams are closed. */
  revoke(id: string): DeviceInfo {
    if (id === LOCAL_DEVICE) throw invalid('device_local', 'the desktop window cannot be revoked', 'id')
    const device = this.get(id)
    if (device.revoked_at === null) {
      run(this.db, 'UPDATE devices SET revoked_at = ?, secret_hash = NULL, header_hash = NULL WHERE id = ?', nowSeconds(this.clock), id)
      log('devices').info({ device: id }, 'device revoked')
      for (const listener of this.streamsStaleListeners) listener(id)
    }
    return this.get(id)
  }

  /** Serve mode ends the device's open event streams: revoked, it is refused; moved to another till, it reconnects with that till. */
  onStreamsStale(listener: (deviceId: string) => void): () => void {
    this.streamsStaleListeners.add(listener)
    return () => this.streamsStaleListeners.delete(listener)
  }

  /** A new device with a fresh session (signed in with the master token, or by a pairing code). */
  create(input: { name?: string; till?: string; roleHint?: DeviceRoleHint; address?: string | null }): NewDeviceSession {
    const secret = randomToken()
    const headerToken = randomToken()
    const now = nowSeconds(this.clock)
    const id = newId('dev', 16)
    return transaction(this.db, () => {
      const till = input.till ?? DEFAULT_TILL
      this.till(till)
      const count = value<number>(this.db, 'SELECT count(*) FROM devices') ?? 0
      run(
        this.db,
        `INSERT INTO devices (id, name, till_id, role_hint, created_at, last_seen_at, address, secret_hash, header_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        id,
        input.name?.trim() || `Device ${count}`,
        till,
        input.roleHint ?? 'cashier',
        now,
        now,
        input.address ?? null,
        sha256(secret),
        sha256(headerToken),
      )
      return { device: this.get(id), secret, headerToken }
    })
  }

  /**
   * The device a request's cookie secret belongs to, if it is signed in; null
   * for an unknown, revoked or expired session. `headerToken` must match too
   * unless the caller checks it separately (`headerMatches`).
   */
  authenticate(secret: string | undefined, headerToken: string | undefined, address?: string | null): SignedInDevice | null {
    if (!secret || secret.length > 256 || !headerToken || headerToken.length > 256) return null
    const row = get<DeviceRow & { secret_hash: string }>(this.db, `${DEVICE_SELECT} WHERE d.secret_hash = ?`, sha256(secret))
    if (!row || row.revoked_at !== null || row.header_hash !== sha256(headerToken)) return null
    const now = nowSeconds(this.clock)
    if (now - row.last_seen_at > DEVICE_IDLE_SECONDS) return null
    if (now - row.last_seen_at >= TOUCH_EVERY_SECONDS || (address && address !== row.address)) this.touch(row.id, address ?? row.address)
    return { id: row.id, till: row.till_id, name: row.name, roleHint: row.role_hint }
  }

  /** Still signed in (an open event stream asks on each heartbeat); counts as activity. */
  stillSignedIn(id: string): boolean {
    const row = get<{ last_seen_at: number; revoked_at: number | null }>(
      this.db,
      'SELECT last_seen_at, revoked_at FROM devices WHERE id = ?',
      id,
    )
    if (!row || row.revoked_at !== null) return false
    const now = nowSeconds(this.clock)
    if (now - row.last_seen_at > DEVICE_IDLE_SECONDS) return false
    if (now - row.last_seen_at >= TOUCH_EVERY_SECONDS) this.touch(id, undefined)
    return true
  }

  private touch(id: string, address: string | null | undefined): void {
    try {
      if (address === undefined) run(this.db, 'UPDATE devices SET last_seen_at = ? WHERE id = ?', nowSeconds(this.clock), id)
      else run(this.db, 'UPDATE devices SET last_seen_at = ?, address = ? WHERE id = ?', nowSeconds(this.clock), address, id)
    } catch (error) {
      // A full disk refuses this write: the request still goes on (reads keep working); it is tried again next minute.
      log('devices').warn({ device: id, ...errorFields(error) }, 'could not record that the device was seen')
    }
  }

  // ------------------------------------------------------------ pairing

  /** A one-time code (10 minutes) for a new device at `till`; shown on the owner's screen with a QR. */
  pairingCode(input: { till?: string; roleHint?: DeviceRoleHint }, createdBy: string): PairingCode {
    const till = input.till ?? DEFAULT_TILL
    const roleHint = input.roleHint ?? 'cashier'
    let code = ''
    for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
    const now = nowSeconds(this.clock)
    transaction(this.db, () => {
      this.till(till)
      // Old codes go: the table never grows past the codes of the last ten minutes.
      run(this.db, 'DELETE FROM pairing_codes WHERE expires_at < ?', now - PAIRING_CODE_SECONDS)
      run(
        this.db,
        'INSERT INTO pairing_codes (code_hash, till_id, role_hint, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
        sha256(code),
        till,
        roleHint,
        createdBy,
        now,
        now + PAIRING_CODE_SECONDS,
      )
    })
    const origin = this.lanOrigins[0]
    return {
      code,
      till,
      role_hint: roleHint,
      expires_at: now + PAIRING_CODE_SECONDS,
      url: origin ? pairingUrl(origin, code, roleHint) : null,
    }
  }

  /** Spends a pairing code: a new device at the code's till. Unknown, used and expired codes are refused alike. */
  pair(code: string, input: { name?: string; address?: string | null }): NewDeviceSession {
    const normalised = code.toUpperCase().replace(/[^A-Z0-9]/g, '')
    const now = nowSeconds(this.clock)
    return transaction(this.db, () => {
      const row = get<{ till_id: string; role_hint: DeviceRoleHint; expires_at: number; used_at: number | null }>(
        this.db,
        'SELECT till_id, role_hint, expires_at, used_at FROM pairing_codes WHERE code_hash = ?',
        sha256(normalised),
      )
      if (!row || row.used_at !== null || row.expires_at <= now)
        throw new EngineError(
          'authentication_error',
          'pairing_code_invalid',
          'This pairing code is not valid: it was already used or is more than 10 minutes old. Ask the owner for a new one.',
          'code',
        )
      const made = this.create({ name: input.name, till: row.till_id, roleHint: row.role_hint, address: input.address })
      run(this.db, 'UPDATE pairing_codes SET used_at = ?, used_by = ? WHERE code_hash = ?', now, made.device.id, sha256(normalised))
      return made
    })
  }

  setLanOrigins(origins: readonly string[]): void {
    this.lanOrigins = [...origins]
  }

  get lan(): readonly string[] {
    return this.lanOrigins
  }

  private toInfo(r: DeviceRow): DeviceInfo {
    return {
      id: r.id,
      name: r.name,
      till: r.till_id,
      till_name: r.till_name,
      role_hint: r.role_hint,
      created_at: r.created_at,
      last_seen_at: r.last_seen_at,
      address: r.address,
      revoked_at: r.revoked_at,
    }
  }
}

/** The address a new device opens: a display lands on the customer screen. */
export function pairingUrl(origin: string, code: string, roleHint: DeviceRoleHint): string {
  return `${origin}/?pair=${code}${roleHint === 'display' ? '#/customer' : ''}`
}
