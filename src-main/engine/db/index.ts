import Database from 'better-sqlite3'
import type { Migration } from './migrations'
import { MIGRATIONS } from './migrations'
import { transaction } from './transaction'

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
 * Opens (creating if needed) the shop's database and brings its schema up to date.
 *
 * WAL + synchronous=NORMAL: a committed transaction survives a process crash
 * (kill -9); only a power cut may lose the last few commits, which is the
 * promise this app makes. `steps` are the migrations (tests add a later one of their own).
 */
export function openDatabase(file: string, steps: readonly Migration[] = MIGRATIONS): Db {
  const db = connect(file)
  const before = schemaVersion(db)
  refuseDevelopmentSchema(db)
  migrate(db, steps.length, steps)
  if (schemaVersion(db) === before) return db
  // A migration may leave the connection with its temp database open (table rebuilds use it), and from then on
  // every transaction, every sale, also begins and commits that one. The shop gets a connection of its own.
  db.close()
  return connect(file)
}

/**
 * Development builds before the baseline schema numbered their own migrations 1-6: their files would pass
 * for this schema's versions. They are told apart by tables the baseline does not have.
 */
function refuseDevelopmentSchema(db: Db): void {
  const old = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN ('session_legacy_ids', 'shop_keys')").get()
  if (!old) return
  db.close()
  throw new Error(
    'This data folder was made by a development build of StablePay POS (before its first release) and cannot be opened. ' +
      'Start with a new data folder (--data-dir, or STABLEPAY_DATA_DIR).',
  )
}

function connect(file: string): Db {
  const db = new Database(file)
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
