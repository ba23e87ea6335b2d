/**
 * Webhook sender benchmark: deliveries per second to a loopback receiver, and
 * the delay from a status change's commit to its request arriving, for the
 * product's sender beside a naive sequential sender in the same run.
 *
 *   npx tsx bench/webhooks.ts [--events 5000] [--paced 300]
 *
 * Targets: ≥ 1,000 deliveries/s; p50 commit-to-first-attempt ≤ 20 ms.
 *
 * The receiver runs in a worker thread (its own event loop, the machine's
 * second core) and timestamps arrivals with the shared wall clock
 * (performance.timeOrigin + performance.now()), so the delay measured is
 * commit → request received, which includes the first attempt starting.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { Engine } from '../src-main/engine'
import { createEngine } from '../src-main/engine'
import { FileKeySecretBox, Webhooks } from '../src-main/engine/webhooks'
import { benchArgs } from './lib/args'

const { events: BURST, paced: PACED } = benchArgs({ events: 5000, paced: 300 })
const PACE_MS = 5
const MERCHANT = 'merchant_bench'
const SECRET = 'whsec_bench_secret_0123456789abcdefghij'

// ------------------------------------------------------------------ receiver (worker thread)

const RECEIVER = `
const { parentPort } = require('node:worker_threads')
const http = require('node:http')
const arrivals = new Map()
let target = Infinity
const server = http.createServer((req, res) => {
  const id = req.headers['x-stablepay-event-id']
  req.on('data', () => {})
  req.on('end', () => {
    if (!arrivals.has(id)) arrivals.set(id, performance.timeOrigin + performance.now())
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('ok')
    if (arrivals.size >= target) { target = Infinity; parentPort.postMessage({ type: 'reached' }) }
  })
})
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }))
parentPort.on('message', (m) => {
  if (m.type === 'expect') { target = m.size; if (arrivals.size >= target) { target = Infinity; parentPort.postMessage({ type: 'reached' }) } }
  if (m.type === 'arrivals') parentPort.postMessage({ type: 'arrivals', arrivals: [...arrivals] })
  if (m.type === 'reset') arrivals.clear()
  if (m.type === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)) }
})
`

class Receiver {
  private constructor(
    private readonly worker: Worker,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    const worker = new Worker(RECEIVER, { eval: true })
    const port = await new Promise<number>((resolve) => worker.once('message', (m: { port: number }) => resolve(m.port)))
    return new Receiver(worker, `http://127.0.0.1:${port}/hooks`)
  }

  private ask<T>(message: object, reply: string): Promise<T> {
    return new Promise((resolve) => {
      const on = (m: { type: string }): void => {
        if (m.type !== reply) return
        this.worker.off('message', on)
        resolve(m as T)
      }
      this.worker.on('message', on)
      this.worker.postMessage(message)
    })
  }

  reached(size: number): Promise<void> {
    return this.ask({ type: 'expect', size }, 'reached')
  }

  async arrivals(): Promise<Map<string, number>> {
    return new Map((await this.ask<{ arrivals: Array<[string, number]> }>({ type: 'arrivals' }, 'arrivals')).arrivals)
  }

  reset(): void {
    this.worker.postMessage({ type: 'reset' })
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' })
    await new Promise((resolve) => this.worker.once('exit', resolve))
  }
}

// ------------------------------------------------------------------ shop

const wallNow = (): number => performance.timeOrigin + performance.now()

function openShop(): { engine: Engine; dir: string; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'stablepay-bench-webhooks-'))
  const engine = createEngine({ dataDir: dir })
  engine.merchants.upsert({
    id: MERCHANT,
    name: 'Bench Cafe',
    currency: 'USD',
    receive: { mode: 'address', address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc' },
  })
  engine.networks.update({
    chainId: 31337,
    name: 'Local',
    testnet: true,
    rpcUrls: ['http://127.0.0.1:8545'],
    confirmations: 1,
    tokens: [{ symbol: 'USDC', address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', decimals: 6 }],
  })
  return {
    engine,
    dir,
    close() {
      engine.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

let order = 0
/** One real status change (create, then cancel → `payment.cancelled`); returns its event id and commit time. */
function commitEvent(engine: Engine): { eventId: string; committedAt: number } {
  const n = ++order
  const amount = `${1 + Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`
  const { session } = engine.sessions.create({ merchantId: MERCHANT, livemode: false, orderId: `bench-${n}`, amount, currency: 'USD' })
  engine.sessions.cancel(session.id, { merchantId: MERCHANT })
  const committedAt = wallNow()
  const eventId = engine.db
    .prepare('SELECT id FROM events WHERE session_id = ? ORDER BY seq DESC LIMIT 1')
    .pluck()
    .get(session.id) as string
  return { eventId, committedAt }
}

// ------------------------------------------------------------------ the two senders

interface SenderUnderTest {
  name: string
  setup(engine: Engine, dir: string, url: string): void
  start(): () => Promise<void>
}

const ours: SenderUnderTest = (() => {
  let webhooks: Webhooks
  return {
    name: 'ours (outbox, keep-alive, concurrent)',
    setup(engine, dir, url) {
      webhooks = new Webhooks(engine, { secretBox: new FileKeySecretBox(dir) })
      webhooks.createEndpoint(MERCHANT, { url, secret: SECRET })
    },
    start: () => webhooks.start(),
  }
})()

/**
 * What a first version would look like: woken by the same outbox push, it
 * takes undelivered events oldest first and POSTs them one at a time with
 * global fetch, recording each result in its own transaction.
 */
const naive: SenderUnderTest = (() => {
  let engine: Engine
  let url: string
  return {
    name: 'naive sequential (fetch, one at a time)',
    setup(e, _dir, u) {
      engine = e
      url = u
      engine.db.exec('CREATE TABLE naive_sent (event_seq INTEGER PRIMARY KEY, status INTEGER, at INTEGER)')
    },
    start() {
      let running = true
      let busy = false
      const next = engine.db.prepare(
        'SELECT seq, id, type, body FROM events WHERE seq > coalesce((SELECT max(event_seq) FROM naive_sent), 0) ORDER BY seq LIMIT 1',
      )
      const mark = engine.db.prepare('INSERT INTO naive_sent (event_seq, status, at) VALUES (?, ?, ?)')
      const drain = async (): Promise<void> => {
        if (busy) return
        busy = true
        try {
          for (;;) {
            if (!running) return
            const row = next.get() as { seq: number; id: string; type: string; body: string } | undefined
            if (!row) return
            const ts = String(Math.floor(Date.now() / 1000))
            const nonce = randomBytes(16).toString('hex')
            const signature = createHmac('sha256', SECRET).update(`${ts}.${nonce}.${row.body}`).digest('hex')
            const res = await fetch(url, {
              method: 'POST',
              body: row.body,
              headers: {
                'content-type': 'application/json',
                'x-stablepay-signature': signature,
                'x-stablepay-timestamp': ts,
                'x-stablepay-nonce': nonce,
                'x-stablepay-event-type': row.type,
                'x-stablepay-event-id': row.id,
              },
            })
            await res.text()
            mark.run(row.seq, res.status, Date.now())
          }
        } finally {
          busy = false
        }
      }
      const off = engine.events.onInternal('outbox:written', () => void drain())
      void drain()
      return async () => {
        running = false
        off()
      }
    },
  }
})()

// ------------------------------------------------------------------ measurements

interface Figures {
  deliveriesPerSecond: number
  p50: number
  p95: number
  p99: number
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

async function measure(sender: SenderUnderTest, receiver: Receiver): Promise<Figures> {
  const shop = openShop()
  try {
    sender.setup(shop.engine, shop.dir, receiver.url)
    receiver.reset()

    // Throughput: a backlog (the shop was offline) drained by the sender, timed from start to the last arrival.
    for (let i = 0; i < BURST; i++) commitEvent(shop.engine)
    const started = wallNow()
    const stop = sender.start()
    await receiver.reached(BURST)
    const deliveriesPerSecond = BURST / ((wallNow() - started) / 1000)

    // Latency: one status change every few ms, as a busy shop makes them, each timed commit → arrival.
    receiver.reset()
    const commits: Array<{ eventId: string; committedAt: number }> = []
    for (let i = 0; i < PACED; i++) {
      commits.push(commitEvent(shop.engine))
      await new Promise((resolve) => setTimeout(resolve, PACE_MS))
    }
    await receiver.reached(PACED)
    const arrivals = await receiver.arrivals()
    await stop()
    const delays = commits.map((c) => arrivals.get(c.eventId)! - c.committedAt).sort((a, b) => a - b)
    return { deliveriesPerSecond, p50: percentile(delays, 50), p95: percentile(delays, 95), p99: percentile(delays, 99) }
  } finally {
    shop.close()
  }
}

async function main(): Promise<void> {
  const receiver = await Receiver.start()
  try {
    console.log(`webhooks bench: ${BURST} queued events, then ${PACED} events ${PACE_MS} ms apart; receiver in a worker thread on loopback`)
    const base = await measure(naive, receiver)
    const our = await measure(ours, receiver)
    const row = (name: string, f: Figures): string =>
      `${name.padEnd(42)} ${f.deliveriesPerSecond.toFixed(0).padStart(7)} deliveries/s   commit→arrival p50 ${f.p50.toFixed(2)} ms  p95 ${f.p95.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms`
    console.log(row(naive.name, base))
    console.log(row(ours.name, our))
    console.log(
      `ratio ours/baseline: throughput ×${(our.deliveriesPerSecond / base.deliveriesPerSecond).toFixed(2)}, ` +
        `p50 delay ×${(our.p50 / base.p50).toFixed(2)} (lower is better)`,
    )
    const okThroughput = our.deliveriesPerSecond >= 1000
    const okLatency = our.p50 <= 20
    console.log(`targets: ≥ 1000 deliveries/s ${okThroughput ? 'MET' : 'MISSED'}; p50 ≤ 20 ms ${okLatency ? 'MET' : 'MISSED'}`)
  } finally {
    await receiver.close()
  }
}

void main()
