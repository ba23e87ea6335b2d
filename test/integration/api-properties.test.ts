/**
 * Property-based tests (fast-check) over every route of both dialects (#12),
 * in real HTTP: random methods, paths (every route of the table, with ids of
 * this shop, another shop and live sales), headers (keys, signatures good and
 * bad), query strings and bodies. Whatever is sent:
 * - the answer is never a 5xx;
 * - a 4xx changes nothing in the database (a signed request's spent nonce
 *   aside: it is spent once the signature holds, by design, so it is left out);
 * - one merchant's key, or a test key, never reads or changes another
 *   merchant's rows or live ones (the shop runs live, so its webhook endpoints
 *   are live data too): their rows stay identical and no answer names them.
 */
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { ManualClock } from '../../src-main/engine'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { API_ROUTES } from '../../src-main/http/apiRoutes'
import { dump } from '../support/dump'
import { demoTokens, NOWHERE, shopConfig, USDC6 } from '../support/shopConfig'
import { signature } from '../support/stablepayClient'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'
import { ANVIL_ADDRESSES } from '../unit/fixtures-xpub'

const KEY = 'sk_test_props_corner_cafe_000000000000001'
const SECRET = 'sps_props_corner_cafe_secret_0123456789abcdef'
const LIVE_KEY = 'sk_live_props_corner_cafe_000000000000001'
const LIVE_SECRET = 'sps_props_corner_cafe_live_0123456789abcdef0'
const OTHER_KEY = 'sk_test_props_other_shop_000000000000001'
const OTHER_SECRET = 'sps_props_other_shop_secret_0123456789abcdef'
const CUSTOMER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'

const config = shopConfig({
  keys: [
    { key: KEY, merchantId: 'merchant_123', secret: SECRET },
    { key: LIVE_KEY, merchantId: 'merchant_123', secret: LIVE_SECRET },
    { key: OTHER_KEY, merchantId: 'merchant_other', secret: OTHER_SECRET },
  ],
  otherMerchants: [
    { id: 'merchant_other', name: 'Other Shop', currency: 'USD', receive: { mode: 'address', address: ANVIL_ADDRESSES[1]! } },
  ],
  chain: { confirmations: 1, tokens: demoTokens() },
  otherChains: [{ chainId: 8453, rpcUrls: [NOWHERE] }],
  rates: { manual: { JPY: '0.0067' } },
  // The shop runs live: its webhook endpoints hear live payments, so no test key may touch them.
  settings: { livemode: true },
})

let dir: TempDir
let clock: ManualClock
let app: App
let server: HttpServerHandle
/** Each shop's test-mode ids, and the live ones (this shop's live sale and its endpoint): no test key may reach the latter. */
const own: string[] = []
const theirs: string[] = []
const live: string[] = []
/** What a key must never reach: the other shop's, and everything live. */
const guardedFor = (who: 'own' | 'other' | 'none' | 'garbage') =>
  who === 'own' ? [...theirs, ...live] : who === 'other' ? [...own, ...live] : [...own, ...theirs, ...live]
const merchantOf = { own: 'merchant_123', other: 'merchant_other', none: null, garbage: null } as const

async function send(
  method: string,
  path: string,
  key: string | null,
  secret: string | null,
  body?: string,
  extra: Record<string, string> = {},
) {
  const headers: Record<string, string> = { ...extra }
  if (key) headers.authorization = `Bearer ${key}`
  if (secret) {
    const timestamp = Math.floor(clock.now() / 1000)
    const nonce = randomBytes(12).toString('hex')
    headers['x-stablepay-timestamp'] = String(timestamp)
    headers['x-stablepay-nonce'] = nonce
    headers['x-stablepay-signature'] = signature(secret, timestamp, nonce, body ?? '')
  }
  const res = await fetch(`${server.url}${path}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body })
  return { status: res.status, text: await res.text() }
}

function paid(id: string): void {
  const session = app.engine.sessions.get(id, { merchantId: app.engine.sessions.rowById(id)!.merchant_id })
  const option = session.payment_options.find((o) => o.token === 'USDC' && o.chain_id === 31337)!
  const hash = `0x${randomBytes(32).toString('hex')}`
  app.watchers.payments.observe({
    chainId: 31337,
    head: 500 + theirs.length + own.length,
    transfers: [
      {
        chainId: 31337,
        txHash: `0x${randomBytes(32).toString('hex')}`,
        logIndex: 0,
        tokenAddress: USDC6,
        from: CUSTOMER,
        to: option.address,
        amount: BigInt(option.amount_base_units),
        blockNumber: 500 + theirs.length + own.length,
        blockHash: hash,
        blockTimestamp: Math.floor(clock.now() / 1000),
      },
    ],
    canonical: new Map([[500 + theirs.length + own.length, hash]]),
  })
}

beforeAll(async () => {
  dir = makeTempDir('stablepay-api-props')
  clock = new ManualClock()
  app = await startApp({ dataDir: dir.path, config, clock })
  server = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: dir.path })
  const create = async (key: string, secret: string, merchant: string, order: string) => {
    const reply = await send(
      'POST',
      '/v1/payment/sessions/create',
      key,
      secret,
      JSON.stringify({ merchant_id: merchant, order_id: order, amount: '10.00', currency: 'USD' }),
    )
    expect(reply.status, reply.text).toBe(201)
    return (JSON.parse(reply.text) as { id: string }).id
  }
  const mine = await create(KEY, SECRET, 'merchant_123', 'own-1')
  own.push(mine)
  paid(mine)
  const refund = await send(
    'POST',
    '/v1/refunds/create',
    KEY,
    SECRET,
    JSON.stringify({ session_id: mine, refund_id: 'own-refund', amount: '1.00', destination: CUSTOMER }),
  )
  expect(refund.status, refund.text).toBe(201)
  own.push('own-refund', (JSON.parse(refund.text) as { id: string }).id)
  const their = await create(OTHER_KEY, OTHER_SECRET, 'merchant_other', 'other-1')
  paid(their)
  const theirRefund = await send(
    'POST',
    '/v1/refunds/create',
    OTHER_KEY,
    OTHER_SECRET,
    JSON.stringify({ session_id: their, refund_id: 'other-refund', amount: '1.00', destination: CUSTOMER }),
  )
  expect(theirRefund.status, theirRefund.text).toBe(201)
  theirs.push(their, 'other-refund', (JSON.parse(theirRefund.text) as { id: string }).id)
  live.push(await create(LIVE_KEY, LIVE_SECRET, 'merchant_123', 'live-1'))
  const endpoint = await send('POST', '/v1/webhook_endpoints', LIVE_KEY, LIVE_SECRET, JSON.stringify({ url: 'http://127.0.0.1:9/hook' }))
  expect(endpoint.status, endpoint.text).toBe(201)
  live.push((JSON.parse(endpoint.text) as { id: string }).id)
}, 60_000)

afterAll(async () => {
  await server.close()
  await app.stop()
  dir.cleanup()
})

/** Everything but spent nonces. */
function database(): Record<string, unknown[]> {
  const { api_nonces: _spent, ...rest } = dump(dir.path)
  return rest
}

/** The rows a key must not change: another shop's, and everything live (sessions, refunds, endpoints, their events). */
function guardedRows(merchant: string | null, guarded: string[]): string {
  const all = dump(dir.path)
  const rows = Object.entries(all)
    .filter(([table]) => table !== 'api_nonces' && table !== 'audit_log')
    .flatMap(([table, list]) =>
      list
        .filter((row) => {
          const r = row as Record<string, unknown>
          return (
            (r.merchant_id !== undefined && r.merchant_id !== merchant) ||
            r.livemode === 1 ||
            table === 'webhook_endpoints' ||
            guarded.some((id) => Object.values(r).includes(id))
          )
        })
        .map((row) => `${table} ${JSON.stringify(row)}`),
    )
  return rows.sort().join('\n')
}

const idArb = fc.oneof(
  fc.constantFrom(...['ps_nope', 're_nope', 'we_nope', '%ZZ', '..', 'a'.repeat(300), '__proto__']),
  fc.constant('OWN'),
  fc.constant('GUARDED'),
  fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s) || 'x'),
)

const bodyArb = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc
    .record(
      {
        merchant_id: fc.constantFrom('merchant_123', 'merchant_other', ''),
        order_id: fc.constantFrom('own-1', 'other-1', 'live-1', 'new-order'),
        amount: fc.oneof(fc.constantFrom('10.00', '0', '-1', '1e3'), fc.integer({ min: -5, max: 5000 })),
        currency: fc.constantFrom('USD', 'usd', 'JPY', 'XXX'),
        session_id: fc.constant('GUARDED'),
        charge: fc.constantFrom('GUARDED', 'OWN'),
        refund_id: fc.constantFrom('other-refund', 'own-refund', 'new-refund'),
        url: fc.constantFrom('http://127.0.0.1:9/x', 'ftp://x'),
        enabled: fc.boolean(),
        line_items: fc.constant([{ price_data: { currency: 'USD', unit_amount: 500, product_data: { name: 'Tea' } }, quantity: 2 }]),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
)

const requestArb = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD'),
  route: fc.constantFrom(...API_ROUTES.map((r) => r.path), '/v1/nope', '/api/v1/', '/api/v1/checkout/sessions/a/b/c'),
  id: idArb,
  query: fc.option(
    fc.dictionary(
      fc.constantFrom('limit', 'status', 'payment_status', 'order_id', 'created_gte', 'colour', 'starting_after'),
      fc.string({ maxLength: 8 }),
      { maxKeys: 2 },
    ),
    { nil: undefined },
  ),
  who: fc.constantFrom('own', 'other', 'none', 'garbage'),
  signing: fc.constantFrom('good', 'good', 'none', 'wrong-secret'),
  body: bodyArb,
  idempotency: fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined }),
})

it('random requests over every route never give a 5xx, never change anything on a 4xx, never reach another shop or live data', async () => {
  const keys = {
    own: [KEY, SECRET],
    other: [OTHER_KEY, OTHER_SECRET],
    none: [null, null],
    garbage: ['sk_test_garbage_garbage_000000000', 'sps_garbage'],
  } as const
  await fc.assert(
    fc.asyncProperty(requestArb, async (r) => {
      const guarded = guardedFor(r.who)
      const pick = guarded[(r.body?.length ?? 0) % guarded.length] ?? guarded[0]!
      const fill = (text: string) => text.replaceAll('OWN', own[0]!).replaceAll('GUARDED', pick)
      const id = r.id === 'OWN' ? own[0]! : r.id === 'GUARDED' ? pick : r.id
      const rowsBefore = guardedRows(merchantOf[r.who], guarded)
      const path = r.route.replace(/\{[^}]+\}/g, id) + (r.query ? `?${new URLSearchParams(r.query).toString()}` : '')
      const [key, secret] = keys[r.who]
      const signWith = r.signing === 'none' ? null : r.signing === 'wrong-secret' ? OTHER_SECRET + 'x' : secret
      const body = r.body === undefined ? undefined : fill(r.body)
      const before = database()
      const reply = await send(r.method, path, key, signWith, body, r.idempotency ? { 'idempotency-key': r.idempotency } : {})
      expect(reply.status, `${r.method} ${path} ${body ?? ''} → ${reply.text}`).toBeLessThan(500)
      if (reply.status >= 400) expect(database(), `${r.method} ${path} changed the database with ${reply.status}`).toEqual(before)
      // An id the request named may be echoed in an error ("no payment session …"); anything else guarded, never.
      // A GET or HEAD is sent without its body (send() drops it), so only the path can name an id there.
      const asked = `${path} ${r.method === 'GET' || r.method === 'HEAD' ? '' : (body ?? '')}`
      for (const g of guarded) {
        if (asked.includes(g)) expect(reply.status, `${r.method} ${path} reached ${g}: ${reply.text}`).toBeGreaterThanOrEqual(400)
        else expect(reply.text.includes(g), `${r.method} ${path} answered with ${g}`).toBe(false)
      }
      const orders = r.who === 'own' ? ['other-1', 'live-1'] : r.who === 'other' ? ['own-1', 'live-1'] : ['own-1', 'other-1', 'live-1']
      for (const order of orders) if (!asked.includes(order)) expect(reply.text.includes(`"${order}"`)).toBe(false)
      expect(guardedRows(merchantOf[r.who], guarded), `${r.method} ${path} changed guarded rows`).toBe(rowsBefore)
    }),
    { numRuns: 250, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
  )
}, 240_000)
