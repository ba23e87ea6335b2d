/**
 * A loopback HTTP load generator in a worker thread, so the client has its
 * own event loop (the machine's second core) and the server under test keeps
 * the main thread to itself, the same for the product and for its baseline.
 */
import { Worker } from 'node:worker_threads'

export interface LoadOptions {
  url: string
  method: 'POST' | 'GET'
  headers: Record<string, string>
  /**
   * Request body; every `{{n}}` becomes the request's sequence number (unique order ids) and `{{price}}`
   * a café price derived from it (1.00-99.99, so prices recur as at a real till; see `benchPrice`).
   */
  bodyTemplate: string
  requests: number
  /** Requests in flight at once, each on its own keep-alive connection. */
  concurrency: number
  /** Numbering starts here (so warm-up and measured runs never repeat an order id). */
  firstN?: number
}

export interface LoadResult {
  requests: number
  seconds: number
  perSecond: number
  statuses: Record<string, number>
  latencyMs: { p50: number; p95: number; p99: number; max: number }
}

const benchPriceSource = '(i) => `${1 + ((i * 7919) % 99)}.${String((i * 31) % 100).padStart(2, "0")}`'

/** The price of sale number `i` (the same formula runs inside the load worker). */
export const benchPrice = (i: number): string => `${1 + ((i * 7919) % 99)}.${String((i * 31) % 100).padStart(2, '0')}`

const WORKER = `
const { parentPort, workerData: o } = require('node:worker_threads')
const http = require('node:http')
const price = ${benchPriceSource}
const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency })
const target = new URL(o.url)
const statuses = {}
const latencies = []
let next = 0
const one = () => new Promise((resolve, reject) => {
  const n = (o.firstN || 0) + next++
  const body = o.bodyTemplate.split('{{n}}').join(String(n)).split('{{price}}').join(price(n))
  const started = performance.now()
  const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: o.method,
    headers: { ...o.headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.on('data', () => {})
    res.on('end', () => {
      latencies.push(performance.now() - started)
      statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1
      resolve()
    })
  })
  req.on('error', reject)
  req.end(body)
})
const lane = async () => { while (next < o.requests) await one() }
const t0 = performance.now()
Promise.all(Array.from({ length: o.concurrency }, lane)).then(() => {
  const seconds = (performance.now() - t0) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]
  agent.destroy()
  parentPort.postMessage({ requests: o.requests, seconds, perSecond: o.requests / seconds, statuses,
    latencyMs: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: latencies[latencies.length - 1] } })
}, (error) => parentPort.postMessage({ error: String(error && error.stack || error) }))
`

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: options })
    worker.once('message', (m: LoadResult | { error: string }) => {
      void worker.terminate()
      if ('error' in m) reject(new Error(m.error))
      else resolve(m)
    })
    worker.once('error', reject)
  })
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
