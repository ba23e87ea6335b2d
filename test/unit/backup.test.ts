import Database from 'better-sqlite3'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  backupDatabase,
  BackupError,
  backupName,
  backupStatus,
  checkBackup,
  dailyBackupDue,
  listBackups,
  restoreDatabase,
  retention,
  stepsUnlessStuck,
} from '../../src-main/engine/backup'
import { createEngine, DATABASE_FILE } from '../../src-main/engine'
import { startCheckpointer } from '../../src-main/engine/db/checkpointer'
import { makeTempDir } from '../support/tempDir'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

const utcDay = (s: number): string => new Date(s * 1000).toISOString().slice(0, 10)
const T0 = Date.UTC(2026, 11, 3, 21, 0, 0) / 1000
const DAY = 86400

let shop: Shop | undefined
afterEach(() => {
  shop?.close()
  shop = undefined
})

const sale = (s: Shop, i: number) =>
  s.engine.sessions.create({ merchantId: 'merchant_123', livemode: false, currency: 'USD', orderId: `o${i}`, amount: `${(i % 900) + 1}.25` })

describe('backups', () => {
  it('takes a checked copy during a burst of 2,000 sales: every sale is kept, and the copy checks out and restores', async () => {
    shop = openShop()
    for (let i = 0; i < 500; i++) sale(shop, i)
    const dir = join(shop.dir, 'backups')
    let finished = false
    const running = backupDatabase(shop.engine.db, { dir, now: T0, dayOf: utcDay }).finally(() => (finished = true))
    // Sales go on while the copy is written: it is copied a few pages a turn, and checked by a worker thread.
    let during = 0
    for (let i = 500; i < 2500; i++) {
      sale(shop, i)
      if (!finished) during++
      if (i % 10 === 0) await new Promise((r) => setImmediate(r))
    }
    const result = await running
    expect(during).toBeGreaterThan(1)
    expect(result.backup.file).toBe(join(dir, backupName(T0)))
    expect(readdirSync(dir)).toEqual([backupName(T0)]) // no .partial, -wal or -shm left behind
    checkBackup(result.backup.file)
    // Every acknowledged sale is in the live database.
    expect(shop.engine.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(2500)
    // The copy is one consistent moment: every sale before the backup began, and only whole sales after.
    const copy = new Database(result.backup.file, { readonly: true })
    const ids = copy.prepare('SELECT order_id FROM sessions').pluck().all() as string[]
    const optionless = copy.prepare('SELECT count(*) FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM payment_options o WHERE o.session_seq = s.seq)').pluck().get()
    copy.close()
    for (let i = 0; i < 500; i++) expect(ids).toContain(`o${i}`)
    expect(optionless).toBe(0)
    // And it restores into a shop that opens.
    const other = makeTempDir('restored')
    try {
      restoreDatabase({ dbFile: join(other.path, DATABASE_FILE), from: result.backup.file, backupsDir: join(other.path, 'backups'), now: T0 })
      const restored = createEngine({ dataDir: other.path })
      expect(restored.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(ids.length)
      restored.close()
    } finally {
      await other.cleanup()
    }
  })

  it('a copy taken in small steps while sales go on between them is neither restarted nor torn', async () => {
    shop = openShop()
    for (let i = 0; i < 500; i++) sale(shop, i)
    const dir = join(shop.dir, 'backups')
    let finished = false
    // The till's checkpointer, copying the WAL back from its own connection every 5 ms: that must not restart the copy.
    const stopCheckpointer = startCheckpointer(shop.engine.db, 5)
    // 2 pages a step: hundreds of steps, with sales committed between them.
    const running = backupDatabase(shop.engine.db, { dir, now: T0, dayOf: utcDay, pagesPerStep: 2 }).finally(() => (finished = true))
    let n = 500
    // A copy that restarted at every commit would never end while sales go on. A bound instead of a hang.
    const giveUp = Date.now() + 30_000
    while (!finished && Date.now() < giveUp) {
      sale(shop, n++)
      await new Promise((r) => setImmediate(r))
    }
    await stopCheckpointer()
    expect(finished, 'the copy finished while sales went on').toBe(true)
    expect(n - 500, 'sales were made between the steps').toBeGreaterThan(20)
    const result = await running
    checkBackup(result.backup.file)
    const copy = new Database(result.backup.file, { readonly: true })
    const ids = new Set(copy.prepare('SELECT order_id FROM sessions').pluck().all() as string[])
    const optionless = copy.prepare('SELECT count(*) FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM payment_options o WHERE o.session_seq = s.seq)').pluck().get()
    copy.close()
    // Sales made while it copied are in it too: SQLite writes each commit of the till's connection into the copy.
    expect(ids.size).toBeGreaterThan(520)
    // One moment: the sales it holds are a run from the first, with no gap (a torn copy would miss some).
    for (let i = 0; i < ids.size; i++) expect(ids.has(`o${i}`), `o${i}`).toBe(true)
    expect(optionless).toBe(0)
  })

  it('a copy cut short (the database closed under it) fails as backup_failed and leaves no file behind', async () => {
    shop = openShop()
    for (let i = 0; i < 300; i++) sale(shop, i)
    const dir = join(shop.dir, 'backups')
    const running = backupDatabase(shop.engine.db, { dir, now: T0, dayOf: utcDay, pagesPerStep: 1 })
    // A few steps in, the till's connection goes away (the app quitting, a restore swapping the file).
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
    await new Promise((r) => setTimeout(r, 20))
    shop.engine.db.close()
    await expect(running).rejects.toMatchObject({ code: 'backup_failed' })
    expect(readdirSync(dir)).toEqual([])
  })

  it('clears the partial files a copy cut short by a crash left behind, and keeps everything else', async () => {
    shop = openShop()
    sale(shop, 1)
    const dir = join(shop.dir, 'backups')
    mkdirSync(dir, { recursive: true })
    const stale = backupName(T0 - 86_400) + '.partial'
    for (const name of [stale, `${stale}-wal`, `${stale}-shm`, 'notes.txt']) writeFileSync(join(dir, name), 'x')
    const result = await backupDatabase(shop.engine.db, { dir, now: T0, dayOf: utcDay })
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', backupName(T0)])
    checkBackup(result.backup.file)
  })

  it('gives up on a copy that has copied no page for 10 s (a locked step is otherwise retried without end)', () => {
    vi.useFakeTimers()
    try {
      const step = stepsUnlessStuck(8)
      expect(step({ remainingPages: 10 })).toBe(8)
      vi.advanceTimersByTime(11_000)
      // Slow but moving: fine.
      expect(step({ remainingPages: 9 })).toBe(8)
      vi.advanceTimersByTime(9_000)
      expect(step({ remainingPages: 9 })).toBe(8)
      vi.advanceTimersByTime(2_000)
      expect(() => step({ remainingPages: 9 })).toThrow(/no page copied for 10 s/)
    } finally {
      vi.useRealTimers()
    }
  })

  it('writes a second copy to another folder, and says so when that folder cannot be written', async () => {
    shop = openShop()
    sale(shop, 1)
    const usb = join(shop.dir, 'usb')
    const ok = await backupDatabase(shop.engine.db, { dir: join(shop.dir, 'backups'), copyTo: usb, now: T0, dayOf: utcDay })
    expect(ok.copy).toEqual({ file: join(usb, backupName(T0)) })
    checkBackup(join(usb, backupName(T0)))

    const notAFolder = join(shop.dir, 'a-file')
    writeFileSync(notAFolder, 'x')
    const bad = await backupDatabase(shop.engine.db, { dir: join(shop.dir, 'backups'), copyTo: notAFolder, now: T0 + 60, dayOf: utcDay })
    expect(bad.copy && 'error' in bad.copy).toBe(true)
    // The first folder's copy still counts.
    expect(listBackups(join(shop.dir, 'backups')).map((b) => b.at)).toEqual([T0 + 60])
  })

  it('never counts a damaged copy', () => {
    shop = openShop()
    const dir = join(shop.dir, 'backups')
    mkdirSync(dir)
    const torn = join(dir, backupName(T0))
    // A real database cut in half, as a pulled USB stick leaves it.
    shop.engine.db.pragma('wal_checkpoint(TRUNCATE)')
    const bytes = readFileSync(shop.engine.db.name)
    writeFileSync(torn, bytes.subarray(0, Math.floor(bytes.length / 2)))
    expect(() => checkBackup(torn)).toThrow(BackupError)
    writeFileSync(torn, 'not a database')
    expect(() => checkBackup(torn)).toThrow(/not a readable StablePay database/)
  })

  it('keeps the newest copy of each of the last 14 days and of the last 12 months', () => {
    // Two copies a day for 400 days.
    const all = []
    for (let d = 0; d < 400; d++) for (const h of [3, 15]) all.push({ file: `f${d}-${h}`, at: T0 - d * DAY - h * 3600, bytes: 1 })
    const { keep, remove } = retention(all, utcDay)
    expect(keep.length + remove.length).toBe(800)
    const keptDays = keep.map((b) => utcDay(b.at))
    expect(new Set(keptDays).size).toBe(keep.length) // one per day at most
    // The 14 newest days, each by its newest copy.
    const newestDays = [...new Set(all.map((b) => utcDay(b.at)))].slice(0, 14)
    for (const day of newestDays) {
      const newest = all.filter((b) => utcDay(b.at) === day).sort((a, b) => b.at - a.at)[0]!
      expect(keep).toContainEqual(newest)
    }
    // And 12 months: the months of the kept copies that are not among the 14 days.
    const months = new Set(keep.map((b) => utcDay(b.at).slice(0, 7)))
    expect(months.size).toBe(12)
    // December's and November's newest copies are among the 14 days already.
    expect(keep).toHaveLength(14 + 12 - 2)
    expect(Math.min(...keep.map((b) => b.at))).toBeGreaterThan(Math.max(...remove.filter((b) => !keep.includes(b)).map((b) => b.at)) - 400 * DAY)
  })

  it('prunes old copies after each backup', async () => {
    shop = openShop()
    const dir = join(shop.dir, 'backups')
    for (const d of [45, 33, 25, 20, 15, ...Array.from({ length: 14 }, (_, i) => 13 - i)])
      await backupDatabase(shop.engine.db, { dir, now: T0 - d * DAY, dayOf: utcDay })
    const left = listBackups(dir)
    // Dec 3 back to Nov 20, plus October's newest (Oct 31); November's newest (Nov 30) is one of the 14 days.
    expect(left.map((b) => utcDay(b.at))).toEqual([...Array.from({ length: 14 }, (_, d) => utcDay(T0 - d * DAY)), '2026-10-31'])
    expect(left[0]!.at).toBe(T0)
  })

  it('tells the owner when the newest good copy is older than two days', async () => {
    shop = openShop()
    const dir = join(shop.dir, 'backups')
    expect(backupStatus(dir, T0)).toEqual({ last: null, stale: true })
    await backupDatabase(shop.engine.db, { dir, now: T0, dayOf: utcDay })
    expect(backupStatus(dir, T0 + DAY).stale).toBe(false)
    expect(backupStatus(dir, T0 + 2 * DAY + 1).stale).toBe(true)
    expect(backupStatus(dir, T0 + DAY).last?.at).toBe(T0)
  })

  it('a copy dated in the future (the clock was once set ahead) is no reason to copy every minute, nor proof of a recent backup', async () => {
    const minuteOfDay = (s: number) => Math.floor((s % DAY) / 60)
    const now = T0 + 45 * 60 // 21:45, after a 21:30 backup time
    expect(dailyBackupDue({ now, last: now + 30 * DAY, at: '21:30', dayOf: utcDay, minuteOfDay })).toBe(false)
    shop = openShop()
    const dir = join(shop.dir, 'backups')
    await backupDatabase(shop.engine.db, { dir, now: T0 + 30 * DAY, dayOf: utcDay })
    expect(backupStatus(dir, T0).stale).toBe(true)
  })

  it('is due once a day, after the time the owner picked', () => {
    const minuteOfDay = (s: number) => Math.floor((s % DAY) / 60)
    const at = '21:30'
    const due = (now: number, last: number | null) => dailyBackupDue({ now, last, at, dayOf: utcDay, minuteOfDay })
    expect(due(T0, null)).toBe(false) // 21:00, before 21:30
    expect(due(T0 + 30 * 60, null)).toBe(true)
    expect(due(T0 + 31 * 60, T0 + 30 * 60)).toBe(false) // already taken today
    expect(due(T0 + DAY + 30 * 60, T0 + 30 * 60)).toBe(true)
    expect(due(T0 + 2 * 3600, T0 - DAY)).toBe(true) // 23:00, switched on late: same day still
    expect(dailyBackupDue({ now: T0 + 3600, last: null, at: '25:00', dayOf: utcDay, minuteOfDay })).toBe(false)
  })
})

describe('restore', () => {
  it('replaces a damaged database (the usual reason to restore), keeping it and its WAL as they were', async () => {
    shop = openShop()
    sale(shop, 1)
    const { backup } = await backupDatabase(shop.engine.db, { dir: join(shop.dir, 'backups'), now: T0, dayOf: utcDay })
    const dbFile = shop.engine.db.name
    shop.engine.close()
    writeFileSync(dbFile, Buffer.alloc(8192, 7))
    const saved = restoreDatabase({ dbFile, from: backup.file, backupsDir: join(shop.dir, 'backups'), now: T0 + 60 })
    expect(readFileSync(saved).equals(Buffer.alloc(8192, 7))).toBe(true)
    const engine = createEngine({ dataDir: shop.dir })
    expect(engine.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1)
    engine.close()
  })

  it('refuses a sound SQLite file that is not a shop, and one from a newer app', () => {
    shop = openShop()
    const dir = shop.dir
    const other = join(dir, 'other.sqlite')
    const db = new Database(other)
    db.exec('CREATE TABLE t (x)')
    db.close()
    expect(() => checkBackup(other)).toThrow(/not a StablePay POS one/)
    shop.engine.db.pragma('wal_checkpoint(TRUNCATE)')
    const newer = join(dir, 'newer.sqlite')
    writeFileSync(newer, readFileSync(shop.engine.db.name))
    const n = new Database(newer)
    n.pragma('user_version = 999')
    n.close()
    expect(() => checkBackup(newer)).toThrow(/newer StablePay POS/)
  })

  it('puts a checked copy in place and keeps the replaced database beside the backups', async () => {
    shop = openShop()
    for (let i = 0; i < 5; i++) sale(shop, i)
    const dir = join(shop.dir, 'backups')
    const { backup } = await backupDatabase(shop.engine.db, { dir, now: T0, dayOf: utcDay })
    for (let i = 5; i < 9; i++) sale(shop, i)
    const dbFile = shop.engine.db.name
    shop.engine.close()

    const saved = restoreDatabase({ dbFile, from: backup.file, backupsDir: dir, now: T0 + 600 })
    expect(existsSync(saved)).toBe(true)
    const engine = createEngine({ dataDir: shop.dir })
    try {
      expect(engine.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(5)
    } finally {
      engine.close()
    }
    // The replaced database, with its 9 sales, is not lost.
    const before = new Database(saved, { readonly: true })
    expect(before.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(9)
    before.close()
  })

  it('two restores in the same second keep both safety copies (the first holds the sales since the backup)', async () => {
    shop = openShop()
    sale(shop, 1)
    const dir = join(shop.dir, 'backups')
    const { backup } = await backupDatabase(shop.engine.db, { dir, now: T0, dayOf: utcDay })
    sale(shop, 2)
    const dbFile = shop.engine.db.name
    shop.engine.close()
    const first = restoreDatabase({ dbFile, from: backup.file, backupsDir: dir, now: T0 + 60 })
    const second = restoreDatabase({ dbFile, from: backup.file, backupsDir: dir, now: T0 + 60 })
    expect(second).not.toBe(first)
    const kept = new Database(first, { readonly: true })
    expect(kept.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(2)
    kept.close()
  })

  it('refuses a damaged copy and leaves the current database as it was', async () => {
    shop = openShop()
    sale(shop, 1)
    const dbFile = shop.engine.db.name
    shop.engine.close()
    const dir = shop.dir
    const bad = join(dir, 'bad.sqlite')
    writeFileSync(bad, 'garbage')
    const before = readFileSync(dbFile)
    expect(() => restoreDatabase({ dbFile, from: bad, backupsDir: join(dir, 'backups'), now: T0 })).toThrow(BackupError)
    expect(readFileSync(dbFile).equals(before)).toBe(true)
    expect(existsSync(join(dir, 'backups'))).toBe(false)
  })
})
