import type Database from 'better-sqlite3'
import type { Db } from './index'

/**
 * The one way the engine talks to SQLite: each statement is prepared once per
 * connection and SQL text, and typed where it is called. Parameters are
 * positional (`?`) or one object for named ones (`@name`).
 *
 * `value`/`values` return the first column only; they use statements of their
 * own, because better-sqlite3's `pluck()` changes a statement for every caller.
 */
const caches = new WeakMap<Db, { rows: Map<string, Database.Statement>; column: Map<string, Database.Statement> }>()

function statement(db: Db, sql: string, firstColumn = false): Database.Statement {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = { rows: new Map(), column: new Map() }))
  const map = firstColumn ? cache.column : cache.rows
  let prepared = map.get(sql)
  if (!prepared) {
    prepared = db.prepare(sql)
    if (firstColumn) prepared.pluck()
    map.set(sql, prepared)
  }
  return prepared
}

/** The first row, or undefined. */
export function get<T>(db: Db, sql: string, ...params: unknown[]): T | undefined {
  return statement(db, sql).get(...params) as T | undefined
}

/** Every row. */
export function all<T>(db: Db, sql: string, ...params: unknown[]): T[] {
  return statement(db, sql).all(...params) as T[]
}

/** Rows one at a time, for result sets too big to hold (CSV export). */
export function each<T>(db: Db, sql: string, ...params: unknown[]): IterableIterator<T> {
  return statement(db, sql).iterate(...params) as IterableIterator<T>
}

/** The first column of the first row, or undefined. */
export function value<T>(db: Db, sql: string, ...params: unknown[]): T | undefined {
  return statement(db, sql, true).get(...params) as T | undefined
}

/** The first column of every row. */
export function values<T>(db: Db, sql: string, ...params: unknown[]): T[] {
  return statement(db, sql, true).all(...params) as T[]
}

/** A write: INSERT, UPDATE, DELETE. */
export function run(db: Db, sql: string, ...params: unknown[]): Database.RunResult {
  return statement(db, sql).run(...params)
}
