/**
 * Signed requests (#12): what checking a request's signature and spending its
 * nonce (a write, in the request's own group commit) costs a create, beside the
 * same create unsigned, on the same server in the same process:
 *
 *   1. `POST /v1/payment/sessions/create` unsigned (the baseline);
 *   2. the same request signed (X-StablePay-Timestamp/Nonce/Signature: HMAC-SHA256 check, nonce kept in SQLite);
 *   3. `POST /api/v1/checkout/sessions/create` signed (the reference dialect: minor units, its own answer shape).
 *
 * Real HTTP on loopback, keep-alive, `--concurrency` in flight; each request is
 * signed by the client as it is sent (the client's HMAC is in every signed figure).
 *
 *   npx tsx bench/api-signing.ts [--requests 3000] [--concurrency 8] [--rounds 3]
 */
import { createHmac, randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApp } from '../src-main/app'
import { startHttpServer } from '../src-main/http'
import { benchPrice, fmt } from './lib/api-load'
import { benchArgs } from './lib/args'
import { ms, stats } from './lib/stats'

const args = benchArgs({ requests: 3000, concurrency: 8, rounds: 3 })
const MERCHANT = 'merchant_bench'
const KEY = 'sk_test_bench_signing_key_000000000000001'
const SECRET = 'sps_bench_signing_secret_0123456789abcdef0123456789'
const config = {
  merchants: [
    {
      id: MERCHANT,
      name: 'Bench Cafe',
      currency: 'USD',
      receive: { mode: 'address' as const, address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc' },
    },
  ],
  apiKeys: [{ key: KEY, merchantId: MERCHANT, secret: SECRET }],
  chains: [
    {
      chainId: 31337,
      name: 'Local',
      testnet: true,
      rpcUrls: ['http://127.0.0.1:9'],
      tokens: [{ symbol: 'USDC', address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', decimals: 6 }],
    },
  ],
}

type Mode = 'unsigned' | 'signed' | 'api-v1'

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-api-signing-'))
  const app = await startApp({ dataDir: dir, config })
  const server = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: dir })
  const target = new URL(server.url)
  let order = 0

  async function load(mode: Mode, n: number): Promise<{ perSecond: number; latencies: number[]; statuses: Record<number, number> }> {
    const agent = new Agent({ keepAlive: true, maxSockets: args.concurrency })
    const latencies: number[] = []
    const statuses: Record<number, number> = {}
    let sent = 0
    const one = () =>
      new Promise<void>((resolve, reject) => {
        const i = order++
        const path = mode === 'api-v1' ? '/api/v1/checkout/sessions/create' : '/v1/payment/sessions/create'
        const price = benchPrice(i)
        const body =
          mode === 'api-v1'
            ? JSON.stringify({ amount: Math.round(Number(price) * 100), currency: 'USD', order_id: `bench-${i}` })
            : JSON.stringify({ merchant_id: MERCHANT, order_id: `bench-${i}`, amount: price, currency: 'USD' })
        const started = performance.now()
        const headers: Record<string, string | number> = {
          authorization: `Bearer ${KEY}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        }
        if (mode !== 'unsigned') {
          const timestamp = Math.floor(Date.now() / 1000)
          const nonce = randomUUID()
          headers['x-stablepay-timestamp'] = timestamp
          headers['x-stablepay-nonce'] = nonce
          headers['x-stablepay-signature'] = createHmac('sha256', SECRET).update(`${timestamp}.${nonce}.${body}`).digest('hex')
        }
        const req = request({ agent, host: target.hostname, port: target.port, path, method: 'POST', headers }, (res) => {
          res.resume()
          res.on('end', () => {
            latencies.push(performance.now() - started)
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1
            resolve()
          })
        })
        req.on('error', reject)
        req.end(body)
      })
    const lane = async () => {
      while (sent < n) {
        sent++
        await one()
      }
    }
    const t0 = performance.now()
    await Promise.all(Array.from({ length: args.concurrency }, lane))
    const seconds = (performance.now() - t0) / 1000
    agent.destroy()
    return { perSecond: n / seconds, latencies, statuses }
  }

  const modes: Mode[] = ['unsigned', 'signed', 'api-v1']
  for (const mode of modes) await load(mode, Math.min(500, args.requests)) // warm-up
  const results = new Map<Mode, { perSecond: number[]; latencies: number[]; statuses: Record<number, number> }>()
  // Interleaved rounds, so a slow moment of the machine hits every mode alike.
  for (let round = 0; round < args.rounds; round++) {
    for (const mode of modes) {
      const r = await load(mode, args.requests)
      const acc = results.get(mode) ?? { perSecond: [], latencies: [], statuses: {} }
      acc.perSecond.push(r.perSecond)
      acc.latencies.push(...r.latencies)
      for (const [s, c] of Object.entries(r.statuses)) acc.statuses[Number(s)] = (acc.statuses[Number(s)] ?? 0) + c
      results.set(mode, acc)
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
  console.log(`signed vs unsigned creates over HTTP: ${args.requests} requests × ${args.rounds} rounds each, ${args.concurrency} in flight`)
  const base = results.get('unsigned')!
  const baseRate = median(base.perSecond)
  const baseStats = stats(base.latencies)
  for (const mode of modes) {
    const r = results.get(mode)!
    const s = stats(r.latencies)
    const rate = median(r.perSecond)
    const label = { unsigned: '/v1 unsigned (baseline)', signed: '/v1 signed', 'api-v1': '/api/v1 signed' }[mode]
    console.log(
      `  ${label.padEnd(24)}${fmt(rate).padStart(7)} /s   p50 ${ms(s.p50).padStart(9)}   p95 ${ms(s.p95).padStart(9)}` +
        `   ratio ${(rate / baseRate).toFixed(2)}× throughput, ${(s.p50 / baseStats.p50).toFixed(2)}× p50   statuses ${JSON.stringify(r.statuses)}`,
    )
  }
  await server.close()
  await app.stop()
  rmSync(dir, { recursive: true, force: true })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
