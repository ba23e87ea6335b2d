import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from './index'
import { nativeBinding } from './nativeBinding'

// Runs in a worker thread: its own connection to the same file, checkpointing the WAL.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file, { fileMustExist: true, nativeBinding: workerData.nativeBinding })
db.pragma('busy_timeout = 1000')
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch {}
}, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.postMessage('closed')
})
`

/**
 * The main connection's own checkpoint only as a safety net (~400 MB of WAL).
 * A WAL restarts only when a write begins with every frame already copied, so
 * under a sustained burst of sales it keeps growing however fast the worker
 * copies; an in-commit checkpoint then stalls a sale for tens of ms. At 20,000
 * pages that happened every ~1,600 creates and cost 8% of a burst's time.
 * Once writes pause the worker catches up, the WAL restarts, and
 * `journal_size_limit` (openDatabase) cuts the file back.
 */
export const SAFETY_NET_PAGES = 100_000
const DEFAULT_AUTOCHECKPOINT = 1000

/**
 * Moves WAL checkpoints off the request path. SQLite's automatic checkpoint
 * runs inside whichever commit crosses the threshold, copying pages and
 * syncing the database file while a cashier waits. A PASSIVE checkpoint from
 * another connection does the same work without blocking writers; commits are
 * exactly as durable. Returns stop().
 */
export function startCheckpointer(db: Db, intervalMs = 200): () => Promise<void> {
  const requireHere = createRequire(__filename)
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file: db.name, driver: requireHere.resolve('better-sqlite3'), nativeBinding: nativeBinding(), intervalMs },
  })
  worker.unref()
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`)
  let stopped: Promise<void> | null = null
  return () =>
    (stopped ??= new Promise<void>((resolve) => {
      worker.once('message', () => void worker.terminate().then(() => resolve()))
      worker.once('error', () => resolve())
      worker.once('exit', () => resolve())
      worker.postMessage('stop')
    }).finally(() => {
      if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`)
    }))
}
