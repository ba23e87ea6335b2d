/**
 * Sales during a backup: a create's latency and the create rate while the
 * database is being copied (SQLite's online backup API in a worker thread:
 * paced, as the till takes it, and in one go, as it first did), each beside
 * the same with no backup running, in alternating rounds in one process.
 *
 *   npx tsx bench/backup.ts [--sales 50000] [--rounds 4]
 *
 * Sales arrive on a fixed schedule (one every --every-ms, default 2 ms: 500 a
 * second, far above a busy shop), as requests would; a sale's answer time is
 * from its arrival to its commit, so it includes any wait for the backup's
 * turn. Target: sales during a backup answered as fast as without one.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createEngine } from '../src-main/engine'
import type { BackupPace } from '../src-main/engine/backup'
import { backupDatabase, DEFAULT_PACE } from '../src-main/engine/backup'
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
}

/** Sales arriving every EVERY_MS until `until()` (and at least `minCreates`); each answered in its own turn of the event loop. */
function createsWhile(until: () => boolean, minCreates: number): Promise<Round> {
  const latenciesUs: number[] = []
  const t0 = performance.now()
  let due = t0
  return new Promise((resolve) => {
    const next = () => {
      if ((until() && latenciesUs.length >= minCreates) || latenciesUs.length >= 200_000) {
        resolve({ creates: latenciesUs.length, seconds: (performance.now() - t0) / 1000, latenciesUs })
        return
      }
      due += EVERY_MS
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


type Variant = { name: string; pace: BackupPace | null }
// The backup as it is taken (paced), and the same copy in one go (how it was first written), each beside a
// round of sales with no backup right after it, all alternating in one process: the machine's noise (other
// programs on a 2-core box) falls on every variant alike.
const VARIANTS: Variant[] = [
  { name: `paced (${DEFAULT_PACE.pages} pages, rest x${DEFAULT_PACE.rest})`, pace: DEFAULT_PACE },
  { name: 'in one go', pace: null },
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
      const running = backupDatabase(engine.db, {
        dir: join(dir, 'backups'),
        now: 1_800_000_000 + day++ * 86_400,
        dayOf: (s) => new Date(s * 1000).toISOString().slice(0, 10),
        pace: v.pace,
      }).then((res) => {
        done = true
        backupMs.set(v.name, backupMs.get(v.name)! + Date.now() - t)
        bytes = res.backup.bytes
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
    return { perSec: creates / secs, p50, p95, p99, creates }
  }
  const f = (x: number) => Math.round(x).toLocaleString('en-US')
  console.log(`backup: ${f(SALES)} sales in the shop, database ${(bytes / 1e6).toFixed(1)} MB, ${ROUNDS} rounds of each variant, sales every ${EVERY_MS} ms`)
  for (const v of VARIANTS) {
    const a = sum(during.get(v.name)!)
    const b = sum(without.get(v.name)!)
    console.log(`backup ${v.name}: ${f(backupMs.get(v.name)! / ROUNDS)} ms per backup while selling`)
    console.log(`  during a backup   ${f(a.perSec).padStart(7)} sales/s   answered p50 ${a.p50.toFixed(0)} µs  p95 ${a.p95.toFixed(0)} µs  p99 ${a.p99.toFixed(0)} µs   (${f(a.creates)} creates)`)
    console.log(`  no backup (base)  ${f(b.perSec).padStart(7)} sales/s   answered p50 ${b.p50.toFixed(0)} µs  p95 ${b.p95.toFixed(0)} µs  p99 ${b.p99.toFixed(0)} µs   (${f(b.creates)} creates)`)
    console.log(`  ratio during/without: answer time p50 ${(a.p50 / b.p50).toFixed(3)}, p95 ${(a.p95 / b.p95).toFixed(3)}, p99 ${(a.p99 / b.p99).toFixed(3)}; rate ${(a.perSec / b.perSec).toFixed(3)}`)
  }
  engine.close()
  rmSync(dir, { recursive: true, force: true })
}

void main()
