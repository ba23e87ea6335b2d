import { isAbsolute, join, relative, resolve } from 'node:path'
import type { BackupState } from '../../../src-preload/contract'
import { safeTimeZone, shopDay, wallClock } from '../../../src-preload/shared/time'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { errorFields, log } from '../log'
import { invalid } from '../errors'
import type { Merchants, Settings } from '../shop'
import { backupDatabase, dailyBackupDue, isStale, listBackups } from './index'

const DEFAULT_DAILY_AT = '23:30'
const SETTING_DAILY_AT = 'backup.daily_at'
const SETTING_COPY_TO = 'backup.copy_to'
/** How often the schedule is looked at: a backup starts within a minute of its time. */
const TICK_MS = 60_000

/**
 * The shop's backups: a checked copy every day at the time the owner picked
 * (in the shop's time zone), and one on demand, into the data folder's
 * `backups/` and, if set, a second folder. Never more than one at a time.
 */
export class Backups {
  readonly dir: string
  private running: Promise<void> | null = null
  private lastError: string | null = null
  private readonly logger = log('backup')

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly merchants: Merchants,
    private readonly settings: Settings,
    dataDir: string,
  ) {
    this.dir = join(dataDir, 'backups')
  }

  state(): BackupState {
    // One look at the folder: the list, its newest copy and whether that is recent enough.
    const backups = listBackups(this.dir)
    const last = backups[0] ?? null
    return {
      dir: this.dir,
      copy_to: this.copyTo(),
      daily_at: this.dailyAt(),
      last,
      stale: isStale(last, nowSeconds(this.clock)),
      backups,
      last_error: this.lastError,
      running: this.running !== null,
    }
  }

  /** The owner's choices (their form checked by the channel's schema); `copy_to` null or "" turns the second folder off. */
  update(patch: { daily_at?: string; copy_to?: string | null }): BackupState {
    if (patch.daily_at !== undefined) this.settings.put(SETTING_DAILY_AT, patch.daily_at)
    if (patch.copy_to !== undefined) this.settings.put(SETTING_COPY_TO, patch.copy_to ? this.secondFolder(patch.copy_to) : null)
    return this.state()
  }

  /** A backup now (or the one already running). Resolves with the state after it; a failure is in `last_error` and thrown. */
  backupNow(): Promise<BackupState> {
    this.running ??= this.take().finally(() => {
      this.running = null
    })
    return this.running.then(() => this.state())
  }

  /** Looks at the schedule once a minute (and once right away, for a till switched on after its backup time). Returns stop(). */
  start(tickMs = TICK_MS): () => Promise<void> {
    const tick = () => {
      if (this.running || !this.due()) return
      this.backupNow().catch(() => undefined) // already logged and kept in last_error
    }
    const timer = setInterval(tick, tickMs)
    timer.unref()
    const first = setTimeout(tick, 1000)
    first.unref()
    return async () => {
      clearInterval(timer)
      clearTimeout(first)
      await this.running?.catch(() => undefined)
    }
  }

  private due(): boolean {
    const zone = this.timeZone()
    const now = nowSeconds(this.clock)
    const last = listBackups(this.dir)[0]?.at ?? null
    return dailyBackupDue({
      now,
      last,
      at: this.dailyAt(),
      dayOf: (s) => shopDay(s, zone),
      minuteOfDay: (s) => {
        const w = wallClock(s, zone)
        return w.hour * 60 + w.minute
      },
    })
  }

  private async take(): Promise<void> {
    const zone = this.timeZone()
    try {
      const result = await backupDatabase(this.db, {
        dir: this.dir,
        copyTo: this.copyTo(),
        now: nowSeconds(this.clock),
        dayOf: (s) => shopDay(s, zone),
      })
      this.lastError = result.copy && 'error' in result.copy ? `The copy to ${this.copyTo()} failed: ${result.copy.error}` : null
      if (this.lastError) this.logger.warn({ copyTo: this.copyTo() }, this.lastError)
      this.logger.info({ file: result.backup.file, bytes: result.backup.bytes, removed: result.removed.length }, 'backup taken')
    } catch (error) {
      this.lastError = (error as Error).message
      this.logger.error(errorFields(error), 'backup failed')
      throw error
    }
  }

  /**
   * The second folder must be a full path (a relative one would depend on where the app was started) and
   * outside the data folder (a copy there is no second copy).
   */
  private secondFolder(path: string): string {
    if (!isAbsolute(path)) throw invalid('parameter_invalid', 'copy_to must be a full folder path, like /media/usb/backups or D:\\Backups', 'copy_to')
    const folder = resolve(path)
    const data = resolve(this.dir, '..')
    const inside = relative(data, folder)
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside)))
      throw invalid('parameter_invalid', 'copy_to must be outside the data folder: a copy beside the database is no second copy', 'copy_to')
    return folder
  }

  private timeZone(): string {
    return safeTimeZone(this.merchants.first()?.time_zone)
  }

  private dailyAt(): string {
    return this.settings.read<string>(SETTING_DAILY_AT) ?? DEFAULT_DAILY_AT
  }

  private copyTo(): string | null {
    return this.settings.read<string>(SETTING_COPY_TO)
  }
}
