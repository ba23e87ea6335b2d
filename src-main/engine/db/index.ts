import { statfsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { Migration } from './migrations'
import { MIGRATIONS } from './migrations'
import { transaction } from './transaction'
import { sqliteOptions } from './nativeBinding'

export type Db = Database.Database

export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `This data file was written by a newer StablePay POS (schema ${found}; this version knows up to ${supported}). ` +
        'Refusing to open it so nothing is lost; update the app.',
    )
  }
}

/**
 * The shop's file is there but is no shop's database (today: it is empty).
 * Refused rather than opened: SQLite would take an empty file for a new
 * database, and the till would start over as a new shop.
 */
export class DatabaseFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DatabaseFileError'
  }
}

/**
 * Opens (creating if needed) the shop's database and brings its schema up to date.
 * Before anyone is told it started, it proves the file can be used: not empty,
 * every table readable, and one write committed (a read-only file or folder, or
 * a full disk, fails here instead of on the first sale).
 *
 * WAL + synchronous=NORMAL: a committed transaction survives a process crash
 * (kill -9); only a power cut may lose the last few commits, which is the
 * promise this app makes. `steps` are the migrations (tests add a later one of their own).
 */
export function openDatabase(file: string, steps: readonly Migration[] = MIGRATIONS): Db {
  refuseEmptyFile(file)
  let db = connect(file)
  try {
    const before = schemaVersion(db)
    refuseDevelopmentSchema(db)
    migrate(db, steps.length, steps)
    if (schemaVersion(db) !== before) {
      // A migration may leave the connection with its temp database open (table rebuilds use it), and from then on
      // every transaction, every sale, also begins and commits that one. The shop gets a connection of its own.
      db.close()
      db = connect(file)
    }
    probe(db)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

function refuseEmptyFile(file: string): void {
  const size = statSync(file, { throwIfNoEntry: false })?.size
  if (size !== 0) return // absent (a new shop) or a database
  // A database whose first commits still sit in its WAL (a crash before the first checkpoint) is not empty.
  if ((statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) return
  throw new DatabaseFileError(
    `the shop's database ${file} is empty (0 bytes): it is not a database, so it is not opened as a new shop. ` +
      `Put a backup in its place (see ${dirname(file)}/backups), or move the empty file away to start a new shop there.`,
  )
}

/**
 * Reads the first row of every table (a damaged root page fails here, not on a
 * sale) and commits one write: rewriting `user_version` with its own value
 * appends a page to the WAL, so a read-only file or folder, or a full disk,
 * answers now. Not a full `PRAGMA quick_check`: that reads the whole file, which
 * takes seconds once a shop has years of sales; backups are checked in full.
 */
function probe(db: Db): void {
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[]
  for (const table of tables) db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}" LIMIT 1`).get()
  db.pragma(`user_version = ${schemaVersion(db)}`)
}

/**
 * Why the shop's database cannot be used, in words for whoever starts the
 * till, or null when `error` is not about the database file or its disk.
 */
export function databaseProblem(error: unknown, file: string): string | null {
  if (error instanceof DatabaseFileError || error instanceof DatabaseTooNewError) return error.message
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return null
  const why = error instanceof Error ? error.message : String(error)
  const folder = dirname(file)
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS')
    return (
      `the shop's database ${file} cannot be written (${why}). StablePay POS must be able to write to it and to its folder: ` +
      `check that they belong to the user running it and that the disk is not read-only.`
    )
  // With not a byte left, SQLite cannot even make its shared-memory file, and says "disk I/O error".
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || (code.startsWith('SQLITE_IOERR') && diskNearlyFull(folder)))
    return `the disk holding ${folder} is full (${why}). Free some space on it, then start StablePay POS again.`
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return (
      `the shop's database ${file} is damaged (${why}). Put a backup in its place (see ${folder}/backups) ` +
      `and start again; keep the damaged file for support.`
    )
  if (code.startsWith('SQLITE_') || /^E[A-Z]+$/.test(code)) return `cannot open the data folder ${folder}: ${why}`
  return null
}

/**
 * Development builds before the baseline schema numbered their own migrations 1-6: their files would pass
 * for this schema's versions. They are told apart by tables the baseline does not have.
 */
function refuseDevelopmentSchema(db: Db): void {
  const old = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ('session_legacy_ids', 'shop_keys')").get()
  if (!old) return
  db.close()
  throw new DatabaseFileError(
    'This data folder was made by a development build of StablePay POS (before its first release) and cannot be opened. ' +
      'Start with a new data folder (--data-dir, or STABLEPAY_DATA_DIR).',
  )
}

function connect(file: string): Db {
  const db = new Database(file, sqliteOptions())
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // A burst of writes can grow the WAL to hundreds of MB (see checkpointer.ts); when it restarts, it is cut back to 64 MB.
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`)
  return db
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Applies every migration above `user_version`, each in its own transaction. */
export function migrate(db: Db, upTo: number = MIGRATIONS.length, steps: readonly Migration[] = MIGRATIONS): void {
  const current = schemaVersion(db)
  if (current > steps.length) throw new DatabaseTooNewError(current, steps.length)
  if (current >= upTo) return
  // Off while migrating, as SQLite's procedure for rebuilding a table asks (a DROP TABLE would
  // otherwise act on the rows pointing at it). Each step is checked before its commit instead: it may
  // not add a broken reference (one a damaged file already had is not the step's doing).
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1
  db.pragma('foreign_keys = OFF')
  try {
    for (let version = current + 1; version <= upTo; version++) {
      const step = steps[version - 1]
      if (!step) throw new Error(`missing migration ${version}`)
      transaction(db, () => {
        const before = (db.pragma('foreign_key_check') as unknown[]).length
        step(db)
        const broken = db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>
        if (broken.length > before)
          throw new Error(
            `migration ${version} left ${broken.length - before} broken references (e.g. ${broken[0]!.table} → ${broken[0]!.parent})`,
          )
        db.pragma(`user_version = ${version}`)
      })
    }
  } finally {
    if (enforced) db.pragma('foreign_keys = ON')
  }
}

export const LATEST_SCHEMA = MIGRATIONS.length

/** Less than 1 MB left for this app on the folder's disk: room for a few WAL pages at most. */
function diskNearlyFull(folder: string): boolean {
  try {
    const disk = statfsSync(folder)
    return disk.bavail * disk.bsize < 1024 * 1024
  } catch {
    return false
  }
}
