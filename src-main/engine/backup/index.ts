import Database from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Db } from '../db'
import { LATEST_SCHEMA } from '../db'
import { nativeBinding, sqliteOptions } from '../db/nativeBinding'

/**
 * Copies of the shop's database: the till is the shop's only record of its
 * sales. A copy counts only once SQLite's own integrity check passes on it,
 * so a backup that was cut short (full disk, a USB stick pulled out) is never
 * mistaken for a good one.
 *
 * Copies are made by SQLite's online backup API from the till's own
 * connection, a few pages a turn of the event loop, so each step reads for a
 * moment and sales are answered between steps; the sales made meanwhile are
 * written into the copy as they commit. Folding the copy's WAL in, the check
 * and the second copy run in a worker thread.
 */

export interface BackupFile {
  file: string
  /** When the copy was taken, unix seconds (from its name). */
  at: number
  bytes: number
}

export class BackupError extends Error {
  constructor(
    readonly code: 'backup_invalid' | 'backup_failed',
    message: string,
  ) {
    super(message)
  }
}

const NAME = /^stablepay-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.sqlite$/

/** `stablepay-20261203T095500Z.sqlite`: sorts by time, and says when it was taken. */
export function backupName(unixSeconds: number): string {
  const iso = new Date(unixSeconds * 1000).toISOString() // 2026-12-03T09:55:00.000Z
  return `stablepay-${iso.slice(0, 19).replace(/[-:]/g, '')}Z.sqlite`
}

function timeOfName(name: string): number | null {
  const m = NAME.exec(name)
  if (!m) return null
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[]
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) / 1000
}

/** The finished copies in `dir`, newest first (files being written end in `.partial` and are not listed). */
export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return []
  const found: BackupFile[] = []
  for (const name of readdirSync(dir)) {
    const at = timeOfName(name)
    if (at === null) continue
    const file = join(dir, name)
    found.push({ file, at, bytes: statSync(file).size })
  }
  return found.sort((a, b) => b.at - a.at)
}

/**
 * SQLite's full `PRAGMA integrity_check` on an open copy: null when it says "ok", else its findings. The one
 * definition of "the copy is sound": checkBackup calls it, and the backup worker runs this very function (its
 * source text goes into the worker's), so the two cannot drift apart. It must stay self-contained: no
 * imports, no outer names.
 */
function integrityProblem(db: { pragma(source: string): unknown }): string | null {
  const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>
  if (rows.length === 1 && rows[0]!.integrity_check === 'ok') return null
  return 'failed its integrity check: ' + rows.map((r) => r.integrity_check).join('; ')
}

/** Throws `backup_invalid` unless `file` is a SQLite database that passes `PRAGMA integrity_check`. */
export function checkBackup(file: string): void {
  let db: Database.Database | undefined
  try {
    db = new Database(file, sqliteOptions({ readonly: true, fileMustExist: true }))
    const problem = integrityProblem(db)
    if (problem !== null) throw new BackupError('backup_invalid', `${basename(file)} ${problem}`)
    // A sound SQLite file is not necessarily a shop: it must hold the shop's tables, in a schema this app knows.
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[])
    if (!tables.has('merchants') || !tables.has('sessions'))
      throw new BackupError('backup_invalid', `${basename(file)} is a database, but not a StablePay POS one`)
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > LATEST_SCHEMA)
      throw new BackupError('backup_invalid', `${basename(file)} was written by a newer StablePay POS (schema ${version}); update the app first`)
  } catch (error) {
    if (error instanceof BackupError) throw error
    throw new BackupError('backup_invalid', `${basename(file)} is not a readable StablePay database (${(error as Error).message})`)
  } finally {
    db?.close()
  }
}

/**
 * Which copies to keep: the newest copy of each of the last `daily` days that
 * have one, and the newest of each of the last `monthly` months. `dayOf` gives
 * a copy's day as `YYYY-MM-DD` (the shop's time zone); its first 7 characters
 * are the month.
 */
export function retention(
  backups: readonly BackupFile[],
  dayOf: (unixSeconds: number) => string,
  keep: { daily: number; monthly: number } = { daily: 14, monthly: 12 },
): { keep: BackupFile[]; remove: BackupFile[] } {
  const newestFirst = [...backups].sort((a, b) => b.at - a.at)
  const kept = new Set<BackupFile>()
  const days = new Set<string>()
  const months = new Set<string>()
  for (const b of newestFirst) {
    const day = dayOf(b.at)
    if (!days.has(day) && days.size < keep.daily) kept.add(b)
    days.add(day)
    const month = day.slice(0, 7)
    if (!months.has(month) && months.size < keep.monthly) kept.add(b)
    months.add(month)
  }
  return { keep: newestFirst.filter((b) => kept.has(b)), remove: newestFirst.filter((b) => !kept.has(b)) }
}

export interface BackupOptions {
  /** The data folder's `backups/`. */
  dir: string
  /** A second folder (a USB stick, a synced folder); a failure there is reported, not fatal to the first copy. */
  copyTo?: string | null
  /** Unix seconds: the copy's name. */
  now: number
  dayOf: (unixSeconds: number) => string
  /** Pages copied per turn of the event loop (PAGES_PER_STEP); tests take smaller steps to get many of them. */
  pagesPerStep?: number
}

export interface BackupResult {
  backup: BackupFile
  /** The copy in `copyTo`, or why it could not be made. */
  copy: { file: string } | { error: string } | null
  removed: string[]
}

/**
 * Pages (4 KiB each) copied per turn of the event loop: about a quarter of a millisecond of the till's
 * thread, so a sale that arrives meanwhile waits no longer than that.
 */
export const PAGES_PER_STEP = 64

// The worker thread beside a backup. First it makes the empty copy a WAL database and holds a read
// transaction on it, then says { holding }: the till's connection then writes the copy into that WAL, where
// a commit needs no fsync (WAL at synchronous NORMAL, the driver's default) and, with a reader present, closing
// the copy does not fold the WAL in. Both are slow disk work, a few hundred ms for 50 MB, that would otherwise
// happen in the backup's last step, on the till's thread. On { copied } the worker folds the WAL in, makes the
// copy a single file and checks it in full (integrityProblem, the same check as checkBackup's), then copies it
// to the second folder and checks that; on { abandon } it lets go. Reading and comparing every page of tens of
// MB takes a second or more of CPU, so it runs at the lowest priority: a till's box has few cores, and a
// sale's thread must get them first. Answers: { holding }, then { ok, bytes, copy } or { ok: false, error }.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { closeSync, constants, copyFileSync, fsyncSync, openSync, readlinkSync, renameSync, rmSync, statSync } = require('node:fs')
const { setPriority } = require('node:os')
const Database = require(workerData.driver)
const integrityProblem = ${integrityProblem.toString()}
function check(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding })
  try {
    const problem = integrityProblem(db)
    if (problem !== null) throw new Error(problem)
  } finally { db.close() }
}
// Linux: this thread's own id (/proc/thread-self → PID/task/TID) takes a nice value of its own, so only the
// backup yields, not the sales. Elsewhere the id is not at hand and the backup runs at normal priority.
function lowestPriority() {
  try { setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19) } catch {}
}
// On disk before it counts: a copy on a USB stick can otherwise be renamed, counted, and older ones pruned,
// while its pages are still in the OS cache (the check reads them from there).
function flush(file) {
  const fd = openSync(file, 'r+')
  try { fsyncSync(fd) } finally { closeSync(fd) }
}
function finish(copy, pages) {
  copy.exec('COMMIT')
  copy.pragma('wal_checkpoint(TRUNCATE)')
  copy.pragma('journal_mode = DELETE')
  // Every page the till's connection sent: a backup step that met a lock can report "done" with nothing
  // copied, and an empty database passes the integrity check.
  const copied = copy.pragma('page_count', { simple: true })
  if (!(pages > 0) || copied !== pages) throw new Error('the copy is incomplete (' + copied + ' of ' + pages + ' pages)')
  copy.close()
  check(workerData.partial)
  renameSync(workerData.partial, workerData.file)
  let second = null
  if (workerData.copyPartial) {
    try {
      // Never through a link someone left in a shared folder: the partial file is removed, then created anew.
      rmSync(workerData.copyPartial, { force: true })
      copyFileSync(workerData.file, workerData.copyPartial, constants.COPYFILE_EXCL)
      flush(workerData.copyPartial)
      check(workerData.copyPartial)
      renameSync(workerData.copyPartial, workerData.copyFile)
      second = { file: workerData.copyFile }
    } catch (error) { second = { error: error.message } }
  }
  return { bytes: statSync(workerData.file).size, copy: second }
}
// Whatever went wrong, the copy's files are let go, so that they can be removed (Windows will not delete an
// open file).
function letGo() {
  try { if (copy && copy.open) copy.close() } catch {}
}
let copy
try {
  lowestPriority()
  copy = new Database(workerData.partial, { nativeBinding: workerData.nativeBinding })
  // The backup API writes into a WAL copy only with the source's page size; and without WAL (a file system
  // that cannot share memory) the reader held below would block the copy instead of letting it be written.
  copy.pragma('page_size = ' + workerData.pageSize)
  if (copy.pragma('journal_mode = WAL', { simple: true }) !== 'wal') throw new Error('the copy cannot use a WAL here')
  copy.exec('BEGIN')
  copy.prepare('SELECT count(*) FROM sqlite_schema').get()
  parentPort.postMessage({ holding: true })
} catch (error) {
  letGo()
  parentPort.postMessage({ ok: false, error: error.message })
}
parentPort.on('message', (message) => {
  if (message.abandon) {
    letGo()
    return parentPort.postMessage({ ok: false, error: 'abandoned' })
  }
  try { parentPort.postMessage({ ok: true, ...finish(copy, message.pages) }) }
  catch (error) {
    letGo()
    parentPort.postMessage({ ok: false, error: error.message })
  }
})
`

/**
 * Takes a checked copy of the live database into `dir` (and `copyTo`), then
 * drops copies the retention rule no longer keeps, in each folder.
 *
 * Why the till's own connection copies, a step at a time: a copy read by a
 * second connection must hold one snapshot from first page to last (SQLite
 * restarts it whenever another connection commits), and while a snapshot is
 * held the WAL can be neither copied back nor restarted, which doubled the
 * till's CPU time per sale for as long as the copy took (bench/backup.ts).
 * Steps from the writing connection itself are never restarted: SQLite writes
 * each commit into the copy as it happens.
 */
export async function backupDatabase(db: Db, options: BackupOptions): Promise<BackupResult> {
  mkdirSync(options.dir, { recursive: true })
  const name = backupName(options.now)
  const file = join(options.dir, name)
  const partial = `${file}.partial`
  let copyFile: string | null = null
  let copyError = ''
  if (options.copyTo) {
    try {
      mkdirSync(options.copyTo, { recursive: true })
      copyFile = join(options.copyTo, name)
    } catch (error) {
      copyError = (error as Error).message
    }
  }
  // A copy cut short earlier (a crash, a power cut) left its partial files under their own time's name.
  removeLeftovers(options.dir)
  if (copyFile && options.copyTo) removeLeftovers(options.copyTo)
  const worker = backupWorker({
    partial,
    file,
    copyFile,
    copyPartial: copyFile && `${copyFile}.partial`,
    driver: createRequire(__filename).resolve('better-sqlite3'),
    nativeBinding: nativeBinding(),
    pageSize: db.pragma('page_size', { simple: true }),
  })
  let outcome: WorkerOutcome
  try {
    outcome = await worker.next()
    if ('holding' in outcome) {
      let failed: string | null = null
      let pages = 0
      try {
        pages = (await db.backup(partial, { progress: stepsUnlessStuck(options.pagesPerStep ?? PAGES_PER_STEP) })).totalPages
      } catch (error) {
        failed = (error as Error).message
      }
      // Abandoned, the worker lets go of the copy before it is removed.
      worker.send(failed === null ? { pages } : { abandon: true })
      outcome = await worker.next()
      if (failed !== null) outcome = { ok: false, error: failed }
    }
  } finally {
    await worker.stop()
  }
  if (!('ok' in outcome)) outcome = { ok: false, error: 'the backup worker did not finish' }
  if (!outcome.ok) {
    removeQuietly(partial)
    throw new BackupError('backup_failed', `The backup could not be written to ${options.dir}: ${outcome.error}`)
  }
  const removed = prune(options.dir, options.dayOf)
  let copy: BackupResult['copy'] = null
  if (options.copyTo) {
    copy = outcome.copy ?? { error: copyError }
    if ('error' in copy && copyFile) removeQuietly(`${copyFile}.partial`)
    else if ('file' in copy) removed.push(...prune(options.copyTo, options.dayOf))
  }
  return { backup: { file, at: options.now, bytes: outcome.bytes }, copy, removed }
}

type WorkerOutcome =
  | { holding: true }
  | { ok: true; bytes: number; copy: { file: string } | { error: string } | null }
  | { ok: false; error: string }

/**
 * The backup's progress callback: `pages` a step, until no page has been copied for `STUCK_AFTER_MS` (the
 * driver retries a locked step without end, on the till's thread); then it throws, which ends the backup.
 */
export function stepsUnlessStuck(pages: number): (progress: { remainingPages: number }) => number {
  let remaining = Infinity
  let movedAt = Date.now()
  return (progress) => {
    if (progress.remainingPages < remaining) {
      remaining = progress.remainingPages
      movedAt = Date.now()
    } else if (Date.now() - movedAt > STUCK_AFTER_MS) throw new Error(`no page copied for ${STUCK_AFTER_MS / 1000} s`)
    return pages
  }
}
const STUCK_AFTER_MS = 10_000

/** The worker beside one backup: its answers in order (a stop or crash is an error answer), and a way to tell it. */
function backupWorker(workerData: Record<string, unknown>): {
  next(): Promise<WorkerOutcome>
  send(message: { pages: number } | { abandon: true }): void
  /** Resolves once the thread is gone, with every file it had open closed. */
  stop(): Promise<void>
} {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData })
  const answers: WorkerOutcome[] = []
  const waiting: Array<(answer: WorkerOutcome) => void> = []
  const answer = (outcome: WorkerOutcome) => {
    const waiter = waiting.shift()
    if (waiter) waiter(outcome)
    else answers.push(outcome)
  }
  worker.on('message', answer)
  worker.once('error', (error) => answer({ ok: false, error: error.message }))
  worker.once('exit', () => answer({ ok: false, error: 'the backup worker stopped unexpectedly' }))
  return {
    next: () => new Promise((resolve) => (answers.length ? resolve(answers.shift()!) : waiting.push(resolve))),
    send: (message) => worker.postMessage(message),
    stop: async () => {
      worker.removeAllListeners()
      await worker.terminate()
    },
  }
}

function removeQuietly(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`])
    try {
      rmSync(f, { force: true })
    } catch {
      // An unwritable second folder: the error that matters was already caught.
    }
}

/**
 * Removes the partial files of copies cut short in `dir` (one backup runs at a time: none is being written).
 * A folder that cannot be listed is left alone: writing the copy there will say what is wrong with it.
 */
function removeLeftovers(dir: string): void {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) if (/^stablepay-\d{8}T\d{6}Z\.sqlite\.partial(-wal|-shm|-journal)?$/.test(name)) removeQuietly(join(dir, name))
}

function prune(dir: string, dayOf: (unixSeconds: number) => string): string[] {
  const { remove } = retention(listBackups(dir), dayOf)
  for (const b of remove) rmSync(b.file, { force: true })
  return remove.map((b) => b.file)
}

/**
 * Puts a checked copy in place of the database file `dbFile`, which must be
 * closed (services stopped). The current file is first saved beside the
 * backups as `before-restore-….sqlite`, so a restore can itself be undone.
 * Returns that file.
 */
export function restoreDatabase(options: { dbFile: string; from: string; backupsDir: string; now: number }): string {
  checkBackup(options.from)
  mkdirSync(options.backupsDir, { recursive: true })
  const stamp = backupName(options.now).slice('stablepay-'.length, -'.sqlite'.length)
  // Never over an earlier safety copy (two restores in one second): it may hold the only record of some sales.
  let saved = join(options.backupsDir, `before-restore-${stamp}.sqlite`)
  for (let n = 2; existsSync(saved); n++) saved = join(options.backupsDir, `before-restore-${stamp}-${n}.sqlite`)
  if (existsSync(options.dbFile)) {
    try {
      // A closed database has had its WAL folded in by its last connection; a WAL left by a crash is folded in here.
      const current = new Database(options.dbFile, sqliteOptions())
      try {
        current.pragma('wal_checkpoint(TRUNCATE)')
      } finally {
        current.close()
      }
    } catch {
      // A damaged database (the reason for many a restore) cannot be opened: it is kept as it is, WAL and all.
      for (const side of ['-wal', '-shm']) if (existsSync(`${options.dbFile}${side}`)) copyFileSync(`${options.dbFile}${side}`, `${saved}${side}`)
    }
    copyFileSync(options.dbFile, saved)
  }
  const incoming = `${options.dbFile}.restoring`
  copyFileSync(options.from, incoming)
  for (const side of ['-wal', '-shm']) rmSync(`${options.dbFile}${side}`, { force: true })
  renameSync(incoming, options.dbFile)
  return saved
}

/** What the owner sees: the newest good copy, and a warning when it is older than `staleAfterSeconds` (2 days) or missing. */
export function backupStatus(dir: string, now: number, staleAfterSeconds = 2 * 86400): { last: BackupFile | null; stale: boolean } {
  const last = listBackups(dir)[0] ?? null
  return { last, stale: isStale(last, now, staleAfterSeconds) }
}

/** No newest copy, or one older than `staleAfterSeconds`, or one dated in the future (the clock was wrong when it was taken). */
export function isStale(last: BackupFile | null, now: number, staleAfterSeconds = 2 * 86400): boolean {
  return last === null || now - last.at > staleAfterSeconds || last.at > now
}

/**
 * Is the daily backup due? Once the shop's clock has passed `at` ("HH:MM") on a
 * day that has no copy yet. A till switched off at that time backs up when it
 * is next on, the same day.
 */
export function dailyBackupDue(args: {
  now: number
  last: number | null
  at: string
  dayOf: (unixSeconds: number) => string
  minuteOfDay: (unixSeconds: number) => number
}): boolean {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(args.at)
  if (!m) return false
  if (args.minuteOfDay(args.now) < Number(m[1]) * 60 + Number(m[2])) return false
  // Days compare as text (YYYY-MM-DD). A copy dated after today (the clock was once set ahead) does not make
  // every minute's check take another one: it counts as today's.
  return args.last === null || args.dayOf(args.last) < args.dayOf(args.now)
}
