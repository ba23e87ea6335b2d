import type { Transaction } from 'better-sqlite3'
import type { Db } from './index'
import { errorFields, log } from '../log'

interface Pending {
  key: string | undefined
  run: () => void
}

interface State {
  /** One wrapper per connection: better-sqlite3 builds five functions per `db.transaction()`. */
  wrapper: Transaction<(fn: () => unknown) => unknown>
  /** Work waiting for the outermost commit; null while no transaction of ours is open. */
  pending: Pending[] | null
  keys: Set<string>
  /**
   * Set when SQLite itself ended the whole outer transaction under a savepoint (on SQLITE_FULL or
   * an I/O error it may roll back everything, not just the statement). Until the outermost call
   * returns, every further nested call fails with it: run on the bare connection it would begin and
   * commit a transaction of its own, stored while its batch is reported failed.
   */
  ended: unknown
}

const states = new WeakMap<Db, State>()

function stateOf(db: Db): State {
  let state = states.get(db)
  if (!state)
    states.set(db, (state = { wrapper: db.transaction((fn: () => unknown) => fn()), pending: null, keys: new Set(), ended: null }))
  return state
}

/**
 * Runs `fn` in one write transaction and returns what it returns. A nested
 * call becomes a savepoint: if it throws, only its own writes roll back and
 * the outer transaction carries on (the REST API's group commit relies on
 * this). Work queued with `afterCommit` runs once the outermost transaction
 * has committed, and is dropped with whatever part of it rolls back.
 * Never `await` inside `fn`.
 */
export function transaction<T>(db: Db, fn: () => T): T {
  const state = stateOf(db)
  const outermost = state.pending === null
  if (!outermost && state.ended !== null) throw state.ended
  const pending = (state.pending ??= [])
  const mark = pending.length
  let result: T
  try {
    // IMMEDIATE: the write lock is taken up front, so a transaction that reads and then writes never has to
    // upgrade its lock, which fails at once (busy_timeout cannot help) if another connection wrote meanwhile.
    result = state.wrapper.immediate(fn) as T
  } catch (error) {
    for (const dropped of pending.splice(mark)) if (dropped.key !== undefined) state.keys.delete(dropped.key)
    if (!outermost) {
      if (!db.inTransaction) state.ended ??= error
      throw error
    }
    state.pending = null
    const ended = state.ended
    state.ended = null
    // When a savepoint's failure ended it all, the outer commit fails with "no transaction is active": the
    // reason is what ended it.
    throw ended ?? error
  }
  if (!outermost) return result
  state.pending = null
  state.keys.clear()
  for (const work of pending) {
    try {
      work.run()
    } catch (error) {
      // Already committed: a push that fails is logged, and the UI refetches on its next look.
      log('db').error(errorFields(error), 'after-commit work failed')
    }
  }
  return result
}

/**
 * Queues `run` for after the current transaction's outermost commit (at once
 * when no transaction is open). With a `key`, it is queued once per
 * transaction however often it is asked for, in the place it was first asked.
 */
export function afterCommit(db: Db, key: string | undefined, run: () => void): void {
  const state = stateOf(db)
  if (state.pending === null) return run()
  if (key !== undefined) {
    if (state.keys.has(key)) return
    state.keys.add(key)
  }
  state.pending.push({ key, run })
}
