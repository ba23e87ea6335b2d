/**
 * Sales during a backup: a create's latency, the create rate and the till
 * thread's CPU time per create while the database is being copied, beside
 * the same with no backup running, in alternating rounds in one process.
 * Two ways of copying: the till's (backupDatabase: SQLite's backup API from
 * the till's own connection, a few pages a turn) and, as the baseline, the
 * way it was first written: a second connection in a worker thread copying
 * one snapshot in one go (then the same check).
 *
 *   npx tsx bench/backup.ts [--sales 50000] [--rounds 4] [--every-ms 2]
 *
 * Sales arrive on a fixed schedule (one every --every-ms, default 2 ms: 500 a
 * second, far above a busy shop), as requests would; a sale's answer time is
 * from its arrival to its commit, so it includes any wait for the backup's
 * turn. With --every-ms 0 sales come back to back, as fast as the till takes
 * them: the rate is then its throughput during a backup beside without one.
 * Target: sales during a backup answered as fast as without one.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createEngine } from '../src-main/engine'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { backupDatabase, checkBackup, PAGES_PER_STEP } from '../src-main/engine/backup'
import { nativeBinding } from '../src-main/engine/db/nativeBinding'
import { demoTokens, seedEngine, shopConfig } from '../test/support/shopConfig'
import { stats } from './lib/stats'

const { values } = parseArgs({
  options: { sales: { type: 'string', default: '50000' }, rounds: { type: 'string', default: '4' }, 'every-ms': { type: 'string', default: '2' } },
})
const SALES = Number(values.sales)
const ROUNDS = Number(values.rounds)
const EVERY_MS = Number(values['every-ms'])

const dir = mkdtempSync(join(tmpdir(), 'bench-backup-'))
const engine = createEngine({ dataDir: dir })
// The tests' usual shop: one merchant on a local chain taking a 6- and an 18-decimal token (offline RPC).
seedEngine(engine, shopConfig({ chain: { confirmations: 1, tokens: demoTokens() } }))
const MERCHANT = engine.merchants.first()!.id
let n = 0
const sale = () =>
  engine.sessions.create({ merchantId: MERCHANT, livemode: false, currency: 'USD', orderId: `o${n}`, amount: `${(n++ % 5000) + 1}.00` })

// A shop with history, so the copy takes a while: the sessions expire as they would.
for (let i = 0; i < SALES; i++) {
  sale()
  if (i % 1000 === 999) engine.db.exec(`UPDATE sessions SET status = 'EXPIRED', ended_at = created_at WHERE status = 'PENDING'`)
}
engine.db.exec(`UPDATE sessions SET status = 'EXPIRED', ended_at = created_at WHERE status = 'PENDING'; UPDATE payment_options SET active = 0`)
interface Round {
  creates: number
  seconds: number
  latenciesUs: number[]
  /** The till thread's time on a CPU (Linux), µs; NaN elsewhere. */
  cpuUs: number
}

/** This thread's time on a CPU so far, in µs (Linux: /proc/thread-self/schedstat, in ns); NaN elsewhere. */
function threadCpuUs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000
  } catch {
    return NaN
  }
}

/** Sales arriving every EVERY_MS until `until()` (and at least `minCreates`); each answered in its own turn of the event loop. */
function createsWhile(until: () => boolean, minCreates: number): Promise<Round> {
  const latenciesUs: number[] = []
  const t0 = performance.now()
  const cpu0 = threadCpuUs()
  let due = t0
  return new Promise((resolve) => {
    const next = () => {
      if ((until() && latenciesUs.length >= minCreates) || latenciesUs.length >= 200_000) {
        resolve({ creates: latenciesUs.length, seconds: (performance.now() - t0) / 1000, latenciesUs, cpuUs: threadCpuUs() - cpu0 })
        return
      }
      // Back to back (--every-ms 0): each sale arrives as the last is answered, so the rate is the till's throughput.
      due = EVERY_MS === 0 ? performance.now() : due + EVERY_MS
      setTimeout(() => {
        sale()
        // From when the sale was due (its request arrived) to its commit.
        latenciesUs.push((performance.now() - due) * 1000)
        next()
      }, Math.max(0, due - performance.now()))
    }
    next()
  })
}


/** The baseline: a second connection copies one snapshot in one go, in a worker thread (as first written). */
function snapshotInOneGo(file: string): Promise<void> {
  const source = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.source, { readonly: true, fileMustExist: true, nativeBinding: workerData.nativeBinding })
db.backup(workerData.file, { progress: () => 0x7fffffff }).then(() => { db.close(); parentPort.postMessage('done') })
`
  const worker = new Worker(source, {
    eval: true,
    workerData: { source: engine.db.name, file, driver: createRequire(__filename).resolve('better-sqlite3'), nativeBinding: nativeBinding() },
  })
  return new Promise<void>((resolve, reject) => {
    worker.once('message', () => void worker.terminate().then(() => resolve()))
    worker.once('error', reject)
  }).then(() => checkBackup(file))
}

type Variant = { name: string; backup: (day: number) => Promise<number> }
// Each beside a round of sales with no backup right after it, all alternating in one process: the machine's
// noise (other programs on a 2-core box) falls on every variant alike.
const VARIANTS: Variant[] = [
  {
    name: `the till's (its own connection, ${PAGES_PER_STEP} pages a step)`,
    backup: async (day) => {
      const res = await backupDatabase(engine.db, {
        dir: join(dir, 'backups'),
        now: 1_800_000_000 + day * 86_400,
        dayOf: (s) => new Date(s * 1000).toISOString().slice(0, 10),
      })
      return res.backup.bytes
    },
  },
  {
    name: 'baseline (a second connection, one snapshot in one go)',
    backup: async (day) => {
      const file = join(dir, `snapshot-${day}.sqlite`)
      await snapshotInOneGo(file)
      const bytes = statSync(file).size
      rmSync(file)
      return bytes
    },
  },
]

async function main(): Promise<void> {
  const during = new Map<string, Round[]>(VARIANTS.map((v) => [v.name, []]))
  const without = new Map<string, Round[]>(VARIANTS.map((v) => [v.name, []]))
  const backupMs = new Map<string, number>(VARIANTS.map((v) => [v.name, 0]))
  let bytes = 0
  let day = 0
  for (let r = 0; r < ROUNDS; r++) {
    // Which goes first alternates too.
    for (const v of r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      let done = false
      const t = Date.now()
      const running = v.backup(day++).then((size) => {
        done = true
        backupMs.set(v.name, backupMs.get(v.name)! + Date.now() - t)
        bytes = size
      })
      const round = await createsWhile(() => done, 500)
      during.get(v.name)!.push(round)
      await running
      // The same number of creates with nothing else running.
      without.get(v.name)!.push(await createsWhile(() => true, round.creates))
      engine.db.exec(`UPDATE sessions SET status = 'EXPIRED', ended_at = created_at WHERE status = 'PENDING'; UPDATE payment_options SET active = 0`)
    }
  }
  const sum = (rs: Round[]) => {
    const { p50, p95, p99 } = stats(rs.flatMap((x) => x.latenciesUs))
    const creates = rs.reduce((a, x) => a + x.creates, 0)
    const secs = rs.reduce((a, x) => a + x.seconds, 0)
    const cpuPerCreate = rs.reduce((a, x) => a + x.cpuUs, 0) / creates
    return { perSec: creates / secs, p50, p95, p99, creates, cpuPerCreate }
  }
  const f = (x: number) => Math.round(x).toLocaleString('en-US')
  console.log(`backup: ${f(SALES)} sales in the shop, database ${(bytes / 1e6).toFixed(1)} MB, ${ROUNDS} rounds of each variant, sales every ${EVERY_MS} ms`)
  for (const v of VARIANTS) {
    const a = sum(during.get(v.name)!)
    const b = sum(without.get(v.name)!)
    console.log(`backup ${v.name}: ${f(backupMs.get(v.name)! / ROUNDS)} ms per backup while selling`)
    console.log(`  during a backup   ${f(a.perSec).padStart(7)} sales/s   answered p50 ${a.p50.toFixed(0)} µs  p95 ${a.p95.toFixed(0)} µs  p99 ${a.p99.toFixed(0)} µs   CPU ${f(a.cpuPerCreate)} µs/create  (${f(a.creates)} creates)`)
    console.log(`  no backup (base)  ${f(b.perSec).padStart(7)} sales/s   answered p50 ${b.p50.toFixed(0)} µs  p95 ${b.p95.toFixed(0)} µs  p99 ${b.p99.toFixed(0)} µs   CPU ${f(b.cpuPerCreate)} µs/create  (${f(b.creates)} creates)`)
    console.log(`  ratio during/without: answer time p50 ${(a.p50 / b.p50).toFixed(3)}, p95 ${(a.p95 / b.p95).toFixed(3)}, p99 ${(a.p99 / b.p99).toFixed(3)}; rate ${(a.perSec / b.perSec).toFixed(3)}; CPU per create ${(a.cpuPerCreate / b.cpuPerCreate).toFixed(3)}`)
  }
  engine.close()
  rmSync(dir, { recursive: true, force: true })
}

void main()
