/**
 * The owner role (#13): which devices hold it, and the PIN that grants it.
 *
 * A device holds the role for 5 minutes after its last owner action, or until
 * it locks; kept in memory, so every device starts (and restarts) as cashier.
 * The PIN's wrong-try counter and lockout are in SQLite, so restarting the
 * app does not hand out fresh tries: 5 wrong PINs, then 30 s, and each
 * further wrong one doubles the wait (capped at a day).
 *
 * A shop without a PIN (one set up before the PIN existed, or by a config
 * file without `ownerPin`) has nothing to check against. Its owner role is
 * held only by the desktop window (`local`, on the machine itself), never by
 * a browser on the LAN, and the first PIN is set there, or by the first-run
 * wizard (no shop yet: nothing to take, and only a device that read the
 * printed token can be signed in), or with `ownerPin` in the config file. A
 * tablet that was paired, or that learnt the printed token, cannot take the
 * owner role by being the first to choose a PIN.
 */
import type { OwnerStatus, PinSetResult, Role } from '../../../src-preload/contract'
import type { Clock } from '../clock'
import type { Db } from '../db'
import { get, run } from '../db/sql'
import { transaction } from '../db/transaction'
import { conflict, EngineError, invalid } from '../errors'
import type { Actor, AuditLog } from './audit'
import { CONFIG_FILE_ACTOR } from './audit'
import { LOCAL_DEVICE } from '../devices'
import type { PinHash } from './pin'
import { hashSecret, hashSecretSync, newRecoveryCode, normaliseRecoveryCode, verifySecret, verifySecretSync } from './pin'

/** The owner role lapses after this long without an owner action. */
export const OWNER_IDLE_MS = 5 * 60_000
/** Wrong PINs allowed before the first lockout. */
export const PIN_TRIES = 5
export const FIRST_LOCKOUT_MS = 30_000
export const MAX_LOCKOUT_MS = 24 * 3600_000

interface PinRow {
  pin_hash: string | null
  pin_salt: string | null
  recovery_hash: string | null
  recovery_salt: string | null
  failed_attempts: number
  locked_until_ms: number | null
}

const lockedOut = (secondsLeft: number) =>
  new EngineError(
    'permission_error',
    'pin_locked_out',
    `Too many wrong PINs: try again in ${Math.max(1, secondsLeft)} s, or reset the PIN with the recovery code.`,
  )

export class OwnerAccess {
  /** Device → ms (by the clock) when its owner role lapses. */
  private readonly held = new Map<string, number>()

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
  ) {}

  pinSet(): boolean {
    return this.row().pin_hash !== null
  }

  holds(device: string): boolean {
    if (!this.pinSet()) return device === LOCAL_DEVICE
    const until = this.held.get(device)
    if (until === undefined) return false
    if (until <= this.clock.now()) {
      this.held.delete(device)
      return false
    }
    return true
  }

  role(device: string): Role {
    return this.holds(device) ? 'owner' : 'cashier'
  }

  /** Each owner action keeps the role for another 5 minutes. */
  touch(device: string): void {
    if (this.held.has(device)) this.held.set(device, this.clock.now() + OWNER_IDLE_MS)
  }

  status(device: string): OwnerStatus {
    const row = this.row()
    const now = this.clock.now()
    const locked = row.locked_until_ms !== null && row.locked_until_ms > now ? row.locked_until_ms : null
    const holds = this.holds(device)
    const until = this.held.get(device)
    return {
      role: holds ? 'owner' : 'cashier',
      pin_set: row.pin_hash !== null,
      locked_out_until: locked === null ? null : Math.ceil(locked / 1000),
      tries_left: Math.max(0, PIN_TRIES - row.failed_attempts),
      expires_at: holds && until !== undefined ? Math.floor(until / 1000) : null,
      recovery_code_set: row.recovery_hash !== null,
    }
  }

  async unlock(device: string, pin: string): Promise<OwnerStatus> {
    const row = this.row()
    if (row.pin_hash === null || row.pin_salt === null) return this.status(device)
    const tries = this.countTry()
    await this.check(pin, { hash: row.pin_hash, salt: row.pin_salt }, tries)
    this.grant(device)
    return this.status(device)
  }

  lock(device: string): OwnerStatus {
    this.held.delete(device)
    return this.status(device)
  }

  /** First PIN (no current one asked), or a change with the current PIN. */
  async setPin(device: string, input: { current?: string; pin: string }): Promise<PinSetResult> {
    const row = this.row()
    const actor: Actor = { device, role: this.role(device) }
    if (row.pin_hash === null || row.pin_salt === null) {
      if (device !== LOCAL_DEVICE && this.shopSetUp())
        throw new EngineError(
          'permission_error',
          'pin_set_on_machine',
          'The first owner PIN is set on the computer StablePay POS runs on: in its desktop window, or with "ownerPin" in the config file (then restart).',
        )
      const recovery = newRecoveryCode()
      const [pin, code] = await Promise.all([hashSecret(input.pin), hashSecret(normaliseRecoveryCode(recovery))])
      transaction(this.db, () => {
        // Set by another window meanwhile: the first one wins, this one must unlock with it.
        if (this.pinSet()) throw conflict('pin_already_set', 'An owner PIN was just set on another device: unlock with it.')
        this.write({ pin, recovery: code })
        this.audit.record({ ...actor, role: 'owner' }, 'pin.set', null, null, { pin: 'set', recovery_code: 'issued' })
      })
      this.grant(device)
      return { recovery_code: recovery, status: this.status(device) }
    }
    if (input.current === undefined) throw invalid('parameter_missing', 'Enter the current PIN to change it.', 'current')
    const tries = this.countTry()
    await this.check(input.current, { hash: row.pin_hash, salt: row.pin_salt }, tries, 'current')
    const pin = await hashSecret(input.pin)
    transaction(this.db, () => {
      this.write({ pin })
      this.audit.record(actor, 'pin.changed', null, null, { pin: 'changed' })
    })
    this.grant(device)
    return { recovery_code: null, status: this.status(device) }
  }

  /** A forgotten PIN: the recovery code sets a new one, and a new code replaces the used one. */
  async resetPin(device: string, input: { recovery_code: string; pin: string }): Promise<PinSetResult> {
    const row = this.row()
    this.refuseWhileLockedOut(row)
    if (row.recovery_hash === null || row.recovery_salt === null)
      throw conflict(
        'recovery_code_unavailable',
        'This shop has no recovery code (its PIN came from the config file): set "ownerPin" in the config file and restart.',
      )
    const tries = this.countTry()
    await this.check(normaliseRecoveryCode(input.recovery_code), { hash: row.recovery_hash, salt: row.recovery_salt }, tries, 'recovery_code')
    const actor: Actor = { device, role: this.role(device) }
    const recovery = newRecoveryCode()
    const [pin, code] = await Promise.all([hashSecret(input.pin), hashSecret(normaliseRecoveryCode(recovery))])
    transaction(this.db, () => {
      this.write({ pin, recovery: code })
      this.audit.record(actor, 'pin.reset', null, null, { pin: 'reset', recovery_code: 'issued', by: 'recovery code' })
    })
    this.grant(device)
    return { recovery_code: recovery, status: this.status(device) }
  }

  /**
   * `ownerPin` in the config file, applied at start: the PIN becomes that one
   * (the way back for an owner who lost both PIN and recovery code, with
   * access to the machine). The same PIN again changes nothing.
   */
  applyConfigPin(pin: string): void {
    const row = this.row()
    if (row.pin_hash !== null && row.pin_salt !== null && verifySecretSync(pin, { hash: row.pin_hash, salt: row.pin_salt })) return
    const hashed = hashSecretSync(pin)
    transaction(this.db, () => {
      this.write({ pin: hashed })
      this.audit.record(CONFIG_FILE_ACTOR, row.pin_hash === null ? 'pin.set' : 'pin.reset', null, null, { pin: 'set', by: 'config file' })
    })
  }

  /** A shop exists: the first-run wizard is over. */
  private shopSetUp(): boolean {
    return get(this.db, 'SELECT 1 FROM merchants LIMIT 1') !== undefined
  }

  private grant(device: string): void {
    this.held.set(device, this.clock.now() + OWNER_IDLE_MS)
  }

  private refuseWhileLockedOut(row: PinRow): void {
    if (row.locked_until_ms !== null && row.locked_until_ms > this.clock.now()) throw lockedOut(this.secondsLeft(row.locked_until_ms))
  }

  private secondsLeft(untilMs: number): number {
    return Math.ceil((untilMs - this.clock.now()) / 1000)
  }

  /**
   * Counts a try before its (slow, async) hash is compared, refusing it while
   * locked out: each try is counted as wrong up front, in one transaction with
   * the lockout check, and the 5th (and each later one) starts its lockout at
   * once. So tries sent at the same time cannot all pass the check while the
   * first ones are still being hashed; a right PIN then undoes the count (check).
   * Returns the count including this try.
   */
  private countTry(): number {
    return transaction(this.db, () => {
      const row = this.row()
      this.refuseWhileLockedOut(row)
      const failed = row.failed_attempts + 1
      const lockMs = failed >= PIN_TRIES ? Math.min(MAX_LOCKOUT_MS, FIRST_LOCKOUT_MS * 2 ** Math.min(30, failed - PIN_TRIES)) : null
      run(
        this.db,
        'UPDATE owner_pin SET failed_attempts = ?, locked_until_ms = ? WHERE id = 1',
        failed,
        lockMs === null ? null : this.clock.now() + lockMs,
      )
      return failed
    })
  }

  /** Right: the counter starts again. Wrong: already counted (countTry); from the 5th on, locked out for a doubling while. */
  private async check(secret: string, stored: PinHash, failed: number, param = 'pin'): Promise<void> {
    if (await verifySecret(secret, stored)) {
      run(this.db, 'UPDATE owner_pin SET failed_attempts = 0, locked_until_ms = NULL WHERE id = 1')
      return
    }
    const left = PIN_TRIES - failed
    if (left <= 0) throw lockedOut(this.secondsLeft(this.row().locked_until_ms ?? this.clock.now()))
    throw new EngineError(
      'permission_error',
      param === 'recovery_code' ? 'recovery_code_wrong' : 'pin_wrong',
      `${param === 'recovery_code' ? 'Wrong recovery code' : 'Wrong PIN'}: ${left} ${left === 1 ? 'try' : 'tries'} left before a lockout.`,
      param,
    )
  }

  private write(update: { pin: PinHash; recovery?: PinHash }): void {
    run(
      this.db,
      `INSERT INTO owner_pin (id, pin_hash, pin_salt, recovery_hash, recovery_salt, failed_attempts, locked_until_ms, updated_at)
         VALUES (1, @pinHash, @pinSalt, @recoveryHash, @recoverySalt, 0, NULL, @now)
       ON CONFLICT (id) DO UPDATE SET pin_hash = excluded.pin_hash, pin_salt = excluded.pin_salt,
         recovery_hash = coalesce(@recoveryHash, owner_pin.recovery_hash), recovery_salt = coalesce(@recoverySalt, owner_pin.recovery_salt),
         failed_attempts = 0, locked_until_ms = NULL, updated_at = excluded.updated_at`,
      {
        pinHash: update.pin.hash,
        pinSalt: update.pin.salt,
        recoveryHash: update.recovery?.hash ?? null,
        recoverySalt: update.recovery?.salt ?? null,
        now: this.clock.now(),
      },
    )
  }

  private row(): PinRow {
    return (
      get<PinRow>(this.db, 'SELECT pin_hash, pin_salt, recovery_hash, recovery_salt, failed_attempts, locked_until_ms FROM owner_pin WHERE id = 1') ?? {
        pin_hash: null,
        pin_salt: null,
        recovery_hash: null,
        recovery_salt: null,
        failed_attempts: 0,
        locked_until_ms: null,
      }
    )
  }
}
