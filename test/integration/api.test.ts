/**
 * The REST API over real HTTP on a real SQLite file: the server runs
 * in-process on 127.0.0.1:0 with a temp data dir. Every refusal is checked for
 * the error shape AND for having changed nothing (row counts before/after).
 */
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PaymentSession, SessionPage } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { ManualClock } from '../../src-main/engine'
import type { ConfigFile } from '../../src-main/engine/config'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { demoTokens, NOWHERE, SHOP_ADDRESS, shopConfig, USDC6, USDT18 } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'
import { ANVIL_ADDRESSES, ANVIL_XPUB } from '../unit/fixtures-xpub'
import { assertDocumented } from '../support/openapi'

const TEST_KEY = 'sk_test_apitest_corner_cafe_000000000001'
const LIVE_KEY = 'sk_live_apitest_corner_cafe_000000000001'
const OTHER_KEY = 'sk_test_apitest_other_shop_0000000000001'
const LIST_KEY = 'sk_test_apitest_list_shop_00000000000001'
const REVOKED_KEY = 'sk_test_apitest_revoked_000000000000001'

const config: ConfigFile = shopConfig({
  otherMerchants: [
    { id: 'merchant_other', name: 'Other Shop', currency: 'EUR', receive: { mode: 'xpub', xpub: ANVIL_XPUB } },
    { id: 'merchant_list', name: 'List Shop', currency: 'USD', receive: { mode: 'address', address: ANVIL_ADDRESSES[1] } },
  ],
  keys: [
    TEST_KEY,
    LIVE_KEY,
    { key: OTHER_KEY, merchantId: 'merchant_other' },
    { key: LIST_KEY, merchantId: 'merchant_list' },
    REVOKED_KEY,
  ],
  chain: { confirmations: 1, tokens: demoTokens() },
  otherChains: [{ chainId: 8453, rpcUrls: [NOWHERE] }],
  rates: { manual: { EUR: '1.08' } },
})

const TABLES = [
  'merchants',
  'api_keys',
  'chains',
  'tokens',
  'sessions',
  'payment_options',
  'session_timeline',
  'events',
  'idempotency_keys',
]

interface ErrorBody {
  error: { type: string; code: string; message: string; param: string | null }
}
interface Reply<T> {
  status: number
  headers: Headers
  json: T
}

let dir: TempDir
let clock: ManualClock
let app: App
let server: HttpServerHandle
const cleanups: Array<() => Promise<void>> = []

beforeAll(async () => {
  dir = makeTempDir('stablepay-api')
  cleanups.push(() => dir.cleanup())
  clock = new ManualClock()
  app = await startApp({ dataDir: dir.path, config, clock })
  cleanups.push(() => app.stop())
  app.engine.apiKeys.revoke('merchant_123', app.engine.apiKeys.authenticate(REVOKED_KEY)!.id)
  server = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: dir.path })
  cleanups.push(() => server.close())
})

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

async function call<T = ErrorBody>(
  method: string,
  path: string,
  opts: { key?: string | null; body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers }
  const key = opts.key === undefined ? TEST_KEY : opts.key
  if (key !== null) headers.authorization = `Bearer ${key}`
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body))
  const res = await fetch(`${server.url}${path}`, { method, headers, body })
  const text = await res.text()
  const json = (text ? JSON.parse(text) : null) as T
  // #12: every answer is one the OpenAPI document describes.
  assertDocumented(method, path, res.status, json)
  return { status: res.status, headers: res.headers, json }
}

const create = (body: Record<string, unknown>, opts: { key?: string | null; headers?: Record<string, string> } = {}) =>
  call<PaymentSession>('POST', '/v1/payment/sessions/create', { ...opts, body })

const order = (() => {
  let n = 0
  return (prefix = 'order') => `${prefix}_${++n}`
})()

const sale = (extra: Record<string, unknown> = {}) => ({
  merchant_id: 'merchant_123',
  order_id: order(),
  amount: '12.34',
  currency: 'USD',
  ...extra,
})

function counts(): Record<string, number> {
  return Object.fromEntries(TABLES.map((t) => [t, (app.engine.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]))
}

function expectError(reply: Reply<unknown>, status: number, type: string, code: string, param: string | null = null): void {
  expect({ status: reply.status, code: (reply.json as ErrorBody)?.error?.code }).toEqual({ status, code })
  const error = (reply.json as ErrorBody).error
  expect(Object.keys(reply.json as object)).toEqual(['error'])
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type'])
  expect(error.type).toBe(type)
  expect(error.param).toBe(param)
  expect(typeof error.message).toBe('string')
  expect(error.message.length).toBeGreaterThan(5)
  expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8')
}

/** Runs a request that must be refused, and proves it changed nothing. */
async function refused(send: () => Promise<Reply<unknown>>, status: number, type: string, code: string, param: string | null = null) {
  const before = counts()
  const reply = await send()
  expectError(reply, status, type, code, param)
  expect(counts()).toEqual(before)
  return reply
}

function complete(id: string): void {
  const seq = app.engine.sessions.rowById(id)!.seq
  app.engine.sessions.transaction(() => {
    app.engine.sessions.transition(seq, 'PROCESSING', 'test: transfer seen')
    app.engine.sessions.transition(seq, 'COMPLETED', 'test: confirmed')
  })
}

describe('POST /v1/payment/sessions/create', () => {
  it('creates a session (201) with every field of the PaymentSession object, exactly as the engine returns it', async () => {
    const before = counts()
    const reply = await create({ merchant_id: 'merchant_123', order_id: 'order_001', amount: '100.50', currency: 'USD' })
    expect(reply.status).toBe(201)
    const s = reply.json
    expect(Object.keys(s).sort()).toEqual(
      [
        'id',
        'object',
        'status',
        'livemode',
        'merchant_id',
        'order_id',
        'amount',
        'currency',
        'metadata',
        'created_at',
        'expires_at',
        'exchange_rate',
        'rate_locked_at',
        'amount_usd',
        'payment_options',
        'remainder_option',
        'amount_paid_base_units',
        'amount_remaining_base_units',
        'confirmations',
        'required_confirmations',
        'transactions',
        'exceptions',
        'completed_at',
        'pending_tx',
        'pending_tx_dropped',
        'receipt_url',
        'amount_refunded',
        'refunds',
        // #13: the till the sale was taken at (an API sale is on Till 1).
        'till',
        // #12, #17: what the sale is made of, and the customer's payment page.
        'line_items',
        'tax_amount',
        'shipping_amount',
        'tip_amount',
        'discount_amount',
        'payment_url',
        'success_url',
        'cancel_url',
        // #15: what the cashier calls out ("A-0001": the day's first sale at Till 1).
        'order_number',
      ].sort(),
    )
    const now = Math.floor(clock.now() / 1000)
    expect(s).toMatchObject({
      object: 'payment_session',
      status: 'PENDING',
      livemode: false,
      merchant_id: 'merchant_123',
      order_id: 'order_001',
      till: 'till_1',
      order_number: 'A-0001',
      amount: '100.50',
      currency: 'USD',
      metadata: {},
      created_at: now,
      expires_at: now + 900,
      exchange_rate: null,
      rate_locked_at: null,
      amount_usd: '100.50',
      remainder_option: null,
      amount_paid_base_units: '0',
      amount_remaining_base_units: '100500000',
      confirmations: 0,
      required_confirmations: 1,
      transactions: [],
      exceptions: [],
      completed_at: null,
      pending_tx: null,
      pending_tx_dropped: null,
      receipt_url: null,
    })
    expect(s.id).toMatch(/^ps_[0-9A-Za-z]{24}$/)
    expect(s.payment_options).toEqual([
      {
        chain_id: 31337,
        network: 'Local',
        token: 'USDC',
        token_address: USDC6,
        decimals: 6,
        address: SHOP_ADDRESS,
        amount: '100.50',
        amount_base_units: '100500000',
        payment_uri: `ethereum:${USDC6}@31337/transfer?address=${SHOP_ADDRESS}&uint256=100500000`,
      },
      {
        chain_id: 31337,
        network: 'Local',
        token: 'USDT',
        token_address: USDT18,
        decimals: 18,
        address: SHOP_ADDRESS,
        amount: '100.50',
        amount_base_units: '100500000000000000000',
        payment_uri: `ethereum:${USDT18}@31337/transfer?address=${SHOP_ADDRESS}&uint256=100500000000000000000`,
      },
    ])
    // Not reshaped: byte for byte what the engine (and so the UI and webhooks) shows.
    expect(s).toEqual(app.engine.sessions.get(s.id, { merchantId: 'merchant_123', livemode: false }))
    expect(counts().sessions).toBe(before.sessions! + 1)
    expect(reply.headers.get('cache-control')).toBe('no-store')
  })

  it('takes line items with tax and shipping, and refuses an amount that is not their sum, changing nothing', async () => {
    const lines = [
      { name: 'Mug', unit_amount: '9.00', quantity: 2 },
      { name: 'Gift wrap', description: 'red', unit_amount: '1.50', quantity: 1 },
    ]
    const ok = await create(sale({ amount: '25.00', line_items: lines, tax_amount: '1.56', shipping_amount: '3.94' }))
    expect(ok.status).toBe(201)
    expect(ok.json).toMatchObject({
      amount: '25.00',
      tax_amount: '1.56',
      shipping_amount: '3.94',
      line_items: [
        { name: 'Mug', unit_amount: '9.00', quantity: 2, amount: '18.00', description: null, product_id: null },
        { name: 'Gift wrap', unit_amount: '1.50', quantity: 1, amount: '1.50', description: 'red', product_id: null },
      ],
    })
    expect(ok.json.payment_url).toBe(`${server.url}/pay/${ok.json.id}`)
    await refused(() => create(sale({ amount: '25.01', line_items: lines, tax_amount: '1.56', shipping_amount: '3.94' })), 400, 'invalid_request_error', 'amount_mismatch', 'amount')
    await refused(() => create(sale({ line_items: [{ name: 'Mug', unit_amount: 9, quantity: 1 }] })), 400, 'invalid_request_error', 'parameter_invalid', 'line_items[0][unit_amount]')
    await refused(() => create(sale({ line_items: [{ name: 'Mug', unit_amount: '9.00', quantity: 0 }] })), 400, 'invalid_request_error', 'parameter_invalid', 'line_items[0][quantity]')
    await refused(() => create(sale({ line_items: [{ name: 'Mug', unit_amount: '9.001', quantity: 1 }] })), 400, 'invalid_request_error', 'parameter_invalid', 'line_items[0][unit_amount]')
    await refused(() => create(sale({ success_url: 'javascript:alert(1)' })), 400, 'invalid_request_error', 'parameter_invalid', 'success_url')
  })

  it('returns the live session of the same order with 200, creating nothing', async () => {
    const first = await create(sale({ order_id: 'order_same' }))
    expect(first.status).toBe(201)
    const before = counts()
    const again = await create(sale({ order_id: 'order_same' }))
    expect(again.status).toBe(200)
    expect(again.json.id).toBe(first.json.id)
    expect(again.json.amount).toBe('12.34')
    expect(counts()).toEqual(before)
  })

  it('refuses the same order with other terms (amount, currency, chain, token): 409 order_conflict naming the session (#12; chain: api-dialect.test.ts)', async () => {
    const first = await create(sale({ order_id: 'order_terms', chain_id: 31337, token: 'USDC' }))
    expect(first.status).toBe(201)
    for (const [change, param] of [
      [{ amount: '99.00' }, 'amount'],
      [{ currency: 'EUR' }, 'currency'],
      [{ token: 'USDT' }, 'token'],
    ] as const) {
      const reply = await refused(() => create(sale({ order_id: 'order_terms', chain_id: 31337, token: 'USDC', ...change })), 409, 'conflict_error', 'order_conflict', param)
      expect((reply.json as ErrorBody).error.message).toContain(first.json.id)
    }
    expect((await create(sale({ order_id: 'order_terms', chain_id: 31337, token: 'USDC' }))).json.id).toBe(first.json.id)
  })

  it('takes chain_id, token, metadata and expires_in, and converts EUR at the locked rate', async () => {
    const reply = await create(
      sale({ amount: '100.50', currency: 'EUR', chain_id: 31337, token: 'USDT', metadata: { till: '2', cashier: 'Ana' }, expires_in: 120 }),
    )
    expect(reply.status).toBe(201)
    const s = reply.json
    expect(s.currency).toBe('EUR')
    expect(s.exchange_rate).toBe('1.08')
    expect(s.rate_locked_at).toBe(s.created_at)
    expect(s.amount_usd).toBe('108.54')
    expect(s.metadata).toEqual({ till: '2', cashier: 'Ana' })
    expect(s.expires_at - s.created_at).toBe(120)
    expect(s.payment_options.map((o) => [o.chain_id, o.token, o.amount_base_units])).toEqual([[31337, 'USDT', '108540000000000000000']])
  })

  it('accepts null for optional fields, the largest amount, a 128-character and a non-Latin order id', async () => {
    expect((await create(sale({ chain_id: null, token: null, metadata: null, expires_in: null }))).status).toBe(201)
    const big = await create(sale({ amount: '999999999999.99' }))
    expect(big.status).toBe(201)
    expect(big.json.payment_options[1]!.amount_base_units).toBe('999999999999990000000000000000')
    expect((await create(sale({ order_id: 'x'.repeat(128) }))).status).toBe(201)
    expect((await create(sale({ order_id: '订单-☕-42' }))).json.order_id).toBe('订单-☕-42')
  })

  it('parses the body as JSON whatever the Content-Type (the seed curl sends none)', async () => {
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded']) {
      const reply = await call<PaymentSession>('POST', '/v1/payment/sessions/create', {
        raw: JSON.stringify(sale()),
        headers: type ? { 'content-type': type } : {},
      })
      expect(reply.status).toBe(201)
    }
  })

  it('lets a live key create mainnet sessions only', async () => {
    const reply = await create(sale(), { key: LIVE_KEY })
    expect(reply.status).toBe(201)
    expect(reply.json.livemode).toBe(true)
    expect(new Set(reply.json.payment_options.map((o) => o.chain_id))).toEqual(new Set([8453]))
  })
})

describe('bad input is refused with the error shape and changes nothing', () => {
  const post = (raw: string | Uint8Array) => () => call('POST', '/v1/payment/sessions/create', { raw })
  const body = (b: Record<string, unknown>) => () => create(b)

  it('malformed JSON, invalid UTF-8, and bodies that are not objects → 400 json_invalid', async () => {
    await refused(post('{"merchant_id": "merchant_123", "order_id":'), 400, 'invalid_request_error', 'json_invalid')
    await refused(post("{'single': 'quotes'}"), 400, 'invalid_request_error', 'json_invalid')
    await refused(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, 'invalid_request_error', 'json_invalid')
    for (const raw of ['', '   ', 'null', '[]', '"order"', '42', 'true'])
      await refused(post(raw), 400, 'invalid_request_error', 'json_invalid')
  })

  it('missing fields → 400 parameter_missing naming the field', async () => {
    for (const field of ['merchant_id', 'order_id', 'amount', 'currency']) {
      const b: Record<string, unknown> = sale()
      delete b[field]
      await refused(body(b), 400, 'invalid_request_error', 'parameter_missing', field)
    }
  })

  it('wrong types → 400 parameter_invalid naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ amount: 100.5 }, 'amount'],
      [{ amount: null }, 'amount'],
      [{ currency: 840 }, 'currency'],
      [{ order_id: 42 }, 'order_id'],
      [{ merchant_id: ['merchant_123'] }, 'merchant_id'],
      [{ chain_id: '31337' }, 'chain_id'],
      [{ chain_id: 1.5 }, 'chain_id'],
      [{ token: 1 }, 'token'],
      [{ metadata: [] }, 'metadata'],
      [{ metadata: 'till=2' }, 'metadata'],
      [{ metadata: { till: 2 } }, 'metadata[till]'],
      [{ metadata: { nested: { a: 'b' } } }, 'metadata[nested]'],
      [{ expires_in: '900' }, 'expires_in'],
      [{ expires_in: 90.5 }, 'expires_in'],
    ]
    for (const [patch, param] of cases) await refused(body(sale(patch)), 400, 'invalid_request_error', 'parameter_invalid', param)
  })

  it('negative, zero, too precise, huge and malformed amounts → 400 parameter_invalid amount', async () => {
    for (const amount of [
      '-1.00',
      '-0.01',
      '0',
      '0.00',
      '0.001',
      '1.001',
      '1.5e3',
      '1e400',
      '1234567890123',
      '9'.repeat(40),
      '',
      ' 1.00',
      '1,00',
      '1.',
      '.',
      '0x10',
      'NaN',
      'Infinity',
      '１２',
    ])
      await refused(body(sale({ amount })), 400, 'invalid_request_error', 'parameter_invalid', 'amount')
    // JPY has no minor unit: "1.5" is too precise there.
    await refused(body(sale({ amount: '1500.5', currency: 'JPY' })), 400, 'invalid_request_error', 'parameter_invalid', 'amount')
    // A JSON number too large for a double becomes Infinity: still the same refusal, never a 5xx.
    await refused(post(JSON.stringify(sale()).replace('"12.34"', '1e400')), 400, 'invalid_request_error', 'parameter_invalid', 'amount')
  })

  it('unknown or malformed currencies → 400 parameter_invalid currency', async () => {
    for (const currency of ['XYZ', 'usd', 'US', 'USDC', '', 'toString', '__proto__'])
      await refused(body(sale({ currency })), 400, 'invalid_request_error', 'parameter_invalid', 'currency')
  })

  it('oversized or odd order ids → 400 parameter_invalid order_id', async () => {
    for (const orderId of ['', 'x'.repeat(129), 'a\u0000b', 'line\nbreak', 'tab\there', 'del\u007f', 'c1\u0085', 'esc\u001b[31m'])
      await refused(body(sale({ order_id: orderId })), 400, 'invalid_request_error', 'parameter_invalid', 'order_id')
  })

  it('metadata over the limits → 400 parameter_invalid', async () => {
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']))
    await refused(body(sale({ metadata: many })), 400, 'invalid_request_error', 'parameter_invalid', 'metadata')
    await refused(body(sale({ metadata: { ['k'.repeat(41)]: 'v' } })), 400, 'invalid_request_error', 'parameter_invalid', 'metadata')
    await refused(body(sale({ metadata: { '': 'v' } })), 400, 'invalid_request_error', 'parameter_invalid', 'metadata')
    await refused(body(sale({ metadata: { note: 'v'.repeat(501) } })), 400, 'invalid_request_error', 'parameter_invalid', 'metadata[note]')
    await refused(
      post(JSON.stringify(sale()).replace('{', '{"metadata":{"__proto__":"x"},')),
      400,
      'invalid_request_error',
      'parameter_invalid',
      'metadata',
    )
    expect((await create(sale({ metadata: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'])) }))).status).toBe(201)
  })

  it('expires_in out of range, unknown chain or token, and unknown parameters → 400', async () => {
    for (const expires of [0, 59, 86401, -60, 1e20])
      await refused(body(sale({ expires_in: expires })), 400, 'invalid_request_error', 'parameter_invalid', 'expires_in')
    await refused(body(sale({ chain_id: 999999 })), 400, 'invalid_request_error', 'parameter_invalid', 'chain_id')
    await refused(body(sale({ chain_id: -1 })), 400, 'invalid_request_error', 'parameter_invalid', 'chain_id')
    await refused(body(sale({ token: 'DAI' })), 400, 'invalid_request_error', 'parameter_invalid', 'token')
    await refused(body(sale({ amount_cents: 1234 })), 400, 'invalid_request_error', 'parameter_unknown', 'amount_cents')
    await refused(
      post(JSON.stringify(sale()).replace('{', '{"__proto__":{"admin":true},')),
      400,
      'invalid_request_error',
      'parameter_unknown',
      '__proto__',
    )
  })

  it('a body over 64 KB → 413, whether declared up front or streamed in chunks', async () => {
    const huge = JSON.stringify(sale({ metadata: { note: 'x'.repeat(70 * 1024) } }))
    await refused(post(huge), 413, 'invalid_request_error', 'body_too_large')
    const before = counts()
    const streamed = await new Promise<{ status: number; body: ErrorBody }>((resolve, reject) => {
      const req = request(
        `${server.url}/v1/payment/sessions/create`,
        { method: 'POST', headers: { authorization: `Bearer ${TEST_KEY}` } },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (c: string) => (text += c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as ErrorBody }))
        },
      )
      req.on('error', reject)
      // No Content-Length: chunked, so the limit is found while reading.
      for (let i = 0; i < 10; i++) req.write('x'.repeat(10 * 1024))
      req.end()
    })
    expect(streamed.status).toBe(413)
    expect(streamed.body.error.code).toBe('body_too_large')
    expect(counts()).toEqual(before)
  })

  it('missing, malformed, unknown and revoked keys → 401', async () => {
    await refused(() => create(sale(), { key: null }), 401, 'authentication_error', 'api_key_missing')
    for (const key of ['sk_test_unknown_but_well_formed_00000000', 'garbage', REVOKED_KEY])
      await refused(() => create(sale(), { key }), 401, 'authentication_error', 'api_key_invalid')
    await refused(
      () => create(sale(), { key: null, headers: { authorization: 'Token abc' } }),
      401,
      'authentication_error',
      'api_key_invalid',
    )
    const reply = await create(sale(), { key: null })
    expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="StablePay POS"')
  })

  it('a merchant_id other than the key’s → 403', async () => {
    await refused(() => create(sale({ merchant_id: 'merchant_other' })), 403, 'permission_error', 'merchant_mismatch', 'merchant_id')
    await refused(() => create(sale({ merchant_id: 'nobody' })), 403, 'permission_error', 'merchant_mismatch', 'merchant_id')
  })

  it('a test key asking for a mainnet, or a live key for a testnet → 403', async () => {
    await refused(() => create(sale({ chain_id: 8453 })), 403, 'permission_error', 'livemode_mismatch', 'chain_id')
    await refused(() => create(sale({ chain_id: 31337 }), { key: LIVE_KEY }), 403, 'permission_error', 'livemode_mismatch', 'chain_id')
  })

  it('accepts HTTP Basic with the key as user name, like Stripe', async () => {
    const basic = Buffer.from(`${TEST_KEY}:`).toString('base64')
    expect((await create(sale(), { key: null, headers: { authorization: `Basic ${basic}` } })).status).toBe(201)
  })
})

describe('concurrent writes (committed together, refused one by one)', () => {
  it('a refused request in a burst rolls back only itself', async () => {
    const before = counts()
    const bodies = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? sale({ amount: '-1' }) : sale()))
    const replies = await Promise.all(bodies.map((b) => create(b)))
    expect(replies.map((r) => r.status)).toEqual(bodies.map((_, i) => (i % 3 === 0 ? 400 : 201)))
    expect(counts().sessions).toBe(before.sessions! + 16)
    for (const r of replies.filter((x) => x.status === 201))
      expect((await call<PaymentSession>('GET', `/v1/payment/sessions/${r.json.id}`)).status).toBe(200)
  })

  it('the same order sent many times at once gets one session: one 201, the rest 200', async () => {
    const b = sale()
    const before = counts()
    const replies = await Promise.all(Array.from({ length: 12 }, () => create(b)))
    expect(replies.map((r) => r.status).sort()).toEqual([...Array.from({ length: 11 }, () => 200), 201])
    expect(new Set(replies.map((r) => r.json.id)).size).toBe(1)
    expect(counts().sessions).toBe(before.sessions! + 1)
  })
})

describe('conflicts (409)', () => {
  it('order_completed: an order that was paid cannot get a new session', async () => {
    const s = (await create(sale({ order_id: 'order_paid' }))).json
    complete(s.id)
    await refused(() => create(sale({ order_id: 'order_paid' })), 409, 'conflict_error', 'order_completed', 'order_id')
  })

  it('session_not_cancellable: only a PENDING session can be cancelled', async () => {
    const s = (await create(sale())).json
    const cancelled = await call<PaymentSession>('POST', `/v1/payment/sessions/${s.id}/cancel`)
    expect(cancelled.status).toBe(200)
    expect(cancelled.json.status).toBe('CANCELLED')
    await refused(() => call('POST', `/v1/payment/sessions/${s.id}/cancel`), 409, 'conflict_error', 'session_not_cancellable', 'id')
    // A cancelled order can be sold again.
    expect((await create(sale({ order_id: s.order_id }))).status).toBe(201)
  })

  it('rate_stale: a price in a currency whose only rate is too old is refused', async () => {
    const old = Math.floor(clock.now() / 1000) - 30 * 86400
    app.engine.db
      .prepare("INSERT INTO rates (currency, source, usd_per_unit, as_of, fetched_at) VALUES ('GBP', 'provider', '1.27', ?, ?)")
      .run(old, old)
    await refused(() => create(sale({ currency: 'GBP' })), 409, 'conflict_error', 'rate_stale', 'currency')
  })
})

describe('GET and cancel', () => {
  it('reads a session; another merchant’s, another mode’s or an unknown one is 404 resource_missing', async () => {
    const mine = (await create(sale())).json
    const got = await call<PaymentSession>('GET', `/v1/payment/sessions/${mine.id}`)
    expect(got.status).toBe(200)
    expect(got.json).toEqual(mine)
    await refused(
      () => call('GET', `/v1/payment/sessions/${mine.id}`, { key: OTHER_KEY }),
      404,
      'not_found_error',
      'resource_missing',
      'id',
    )
    await refused(() => call('GET', `/v1/payment/sessions/${mine.id}`, { key: LIVE_KEY }), 404, 'not_found_error', 'resource_missing', 'id')
    await refused(() => call('GET', '/v1/payment/sessions/ps_000000000000000000000000'), 404, 'not_found_error', 'resource_missing', 'id')
    await refused(() => call('GET', '/v1/payment/sessions/%E0%A4%A'), 404, 'not_found_error', 'resource_missing')
    await refused(
      () => call('POST', `/v1/payment/sessions/${mine.id}/cancel`, { key: OTHER_KEY }),
      404,
      'not_found_error',
      'resource_missing',
      'id',
    )
    expect((await call<PaymentSession>('GET', `/v1/payment/sessions/${mine.id}`)).json.status).toBe('PENDING')
  })

  it('cancel takes no parameters', async () => {
    const s = (await create(sale())).json
    await refused(
      () => call('POST', `/v1/payment/sessions/${s.id}/cancel`, { body: { reason: 'x' } }),
      400,
      'invalid_request_error',
      'parameter_unknown',
      'reason',
    )
    await refused(() => call('POST', `/v1/payment/sessions/${s.id}/cancel`, { raw: '{' }), 400, 'invalid_request_error', 'json_invalid')
    expect((await call('POST', `/v1/payment/sessions/${s.id}/cancel`, { body: {} })).status).toBe(200)
  })

  it('a route that takes no query refuses one (400 parameter_unknown) instead of ignoring it', async () => {
    const mine = (await create(sale())).json
    await refused(() => call('GET', `/v1/payment/sessions/${mine.id}?foo=1`), 400, 'invalid_request_error', 'parameter_unknown', 'foo')
    // Even one that names another merchant's session: the query is refused, not read nor ignored.
    await refused(
      () => call('POST', `/v1/payment/sessions/${mine.id}/cancel?id=ps_000000000000000000000000`, { body: {} }),
      400,
      'invalid_request_error',
      'parameter_unknown',
      'id',
    )
    expect((await call<PaymentSession>('GET', `/v1/payment/sessions/${mine.id}`)).json.status).toBe('PENDING')
  })

  it('unknown routes → 404, wrong methods → 405 with Allow', async () => {
    await refused(() => call('GET', '/v1/payment/nothing'), 404, 'not_found_error', 'resource_missing')
    await refused(() => call('GET', '/v1'), 404, 'not_found_error', 'resource_missing')
    await refused(() => call('POST', '/v1/payment/sessions/ps_x/refund'), 404, 'not_found_error', 'resource_missing')
    const wrong = await refused(() => call('GET', '/v1/payment/sessions/create'), 405, 'invalid_request_error', 'method_not_allowed')
    expect(wrong.headers.get('allow')).toBe('POST')
    await refused(() => call('POST', '/v1/payment/sessions'), 405, 'invalid_request_error', 'method_not_allowed')
    await refused(() => call('DELETE', '/v1/payment/sessions/ps_x'), 405, 'invalid_request_error', 'method_not_allowed')
    await refused(() => call('GET', '/v1/payment/sessions/ps_x/cancel'), 405, 'invalid_request_error', 'method_not_allowed')
    await refused(() => call('PUT', '/v1/payment/sessions/create', { body: sale() }), 405, 'invalid_request_error', 'method_not_allowed')
  })
})

describe('Idempotency-Key', () => {
  it('replays the stored response for the same key and body, even re-serialised', async () => {
    const b = sale()
    const first = await create(b, { headers: { 'idempotency-key': 'idem-1' } })
    expect(first.status).toBe(201)
    const before = counts()
    const reordered = `{ "currency": "USD", "amount": "12.34",\n "order_id": ${JSON.stringify(b.order_id)}, "merchant_id": "merchant_123" }`
    const replay = await call<PaymentSession>('POST', '/v1/payment/sessions/create', {
      raw: reordered,
      headers: { 'idempotency-key': 'idem-1' },
    })
    // The stored 201 itself, not a fresh "existing session" 200.
    expect(replay.status).toBe(201)
    expect(replay.json).toEqual(first.json)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(counts()).toEqual(before)
  })

  it('refuses the same key with a different body or on another endpoint (409 idempotency_key_reused)', async () => {
    await create(sale(), { headers: { 'idempotency-key': 'idem-2' } })
    await refused(
      () => create(sale(), { headers: { 'idempotency-key': 'idem-2' } }),
      409,
      'conflict_error',
      'idempotency_key_reused',
      'Idempotency-Key',
    )
    const s = (await create(sale())).json
    await refused(
      () => call('POST', `/v1/payment/sessions/${s.id}/cancel`, { headers: { 'idempotency-key': 'idem-2' } }),
      409,
      'conflict_error',
      'idempotency_key_reused',
      'Idempotency-Key',
    )
  })

  it('scopes keys per API key', async () => {
    await create(sale(), { headers: { 'idempotency-key': 'shared-key' } })
    const other = await create(
      { merchant_id: 'merchant_other', order_id: order(), amount: '5.00', currency: 'EUR' },
      {
        key: OTHER_KEY,
        headers: { 'idempotency-key': 'shared-key' },
      },
    )
    expect(other.status).toBe(201)
    expect(other.json.merchant_id).toBe('merchant_other')
  })

  it('makes cancel safe to retry', async () => {
    const s = (await create(sale())).json
    const path = `/v1/payment/sessions/${s.id}/cancel`
    const first = await call<PaymentSession>('POST', path, { headers: { 'idempotency-key': 'cancel-1' } })
    const second = await call<PaymentSession>('POST', path, { headers: { 'idempotency-key': 'cancel-1' } })
    expect([first.status, second.status]).toEqual([200, 200])
    expect(second.json).toEqual(first.json)
  })

  it('does not store failures: a corrected retry with the same key runs', async () => {
    const b = sale()
    await refused(
      () => create({ ...b, amount: '-1' }, { headers: { 'idempotency-key': 'fix-me' } }),
      400,
      'invalid_request_error',
      'parameter_invalid',
      'amount',
    )
    expect((await create(b, { headers: { 'idempotency-key': 'fix-me' } })).status).toBe(201)
  })

  it('refuses malformed keys', async () => {
    for (const key of ['k'.repeat(256), 'with space', 'naïve'])
      await refused(
        () => create(sale(), { headers: { 'idempotency-key': key } }),
        400,
        'invalid_request_error',
        'parameter_invalid',
        'Idempotency-Key',
      )
  })

  it('answers concurrent retries with one session', async () => {
    const b = sale()
    const before = counts()
    const replies = await Promise.all(Array.from({ length: 8 }, () => create(b, { headers: { 'idempotency-key': 'burst-1' } })))
    expect(new Set(replies.map((r) => r.json.id)).size).toBe(1)
    expect(replies.every((r) => r.status === 201)).toBe(true)
    expect(counts().sessions).toBe(before.sessions! + 1)
  })
})

describe('GET /v1/payment/sessions (list)', () => {
  const list = (query: string, key = LIST_KEY) => call<SessionPage>('GET', `/v1/payment/sessions${query}`, { key })
  let made: PaymentSession[] = []
  let t0 = 0

  beforeAll(async () => {
    t0 = Math.floor(clock.now() / 1000)
    made = []
    for (let i = 0; i < 25; i++) {
      const reply = await create(
        { merchant_id: 'merchant_list', order_id: `list_${i % 5 === 0 ? 'dup' : i}`, amount: `${i + 1}.00`, currency: 'USD' },
        { key: LIST_KEY },
      )
      if (reply.status === 201) made.push(reply.json)
      // "list_dup" is live once; cancel it so the next "list_dup" is a new session.
      if (i % 5 === 0) await call('POST', `/v1/payment/sessions/${reply.json.id}/cancel`, { key: LIST_KEY })
      clock.advance(10_000)
    }
    // 250 s later, earlier tests' short-lived sessions are past expiry: expire them now, not on the app's next
    // tick in the middle of a test that checks nothing was written.
    app.engine.sessions.expireDue()
  })

  it('pages newest first, 20 by default, with a cursor', async () => {
    expect(made).toHaveLength(25)
    const page1 = await list('')
    expect(page1.status).toBe(200)
    expect(Object.keys(page1.json).sort()).toEqual(['data', 'has_more', 'next_cursor'])
    expect(page1.json.data.map((s) => s.id)).toEqual(
      made
        .slice(5)
        .reverse()
        .map((s) => s.id),
    )
    expect(page1.json.has_more).toBe(true)
    expect(page1.json.next_cursor).toBe(made[5]!.id)
    const page2 = await list(`?starting_after=${page1.json.next_cursor}`)
    expect(page2.json.data.map((s) => s.id)).toEqual(
      made
        .slice(0, 5)
        .reverse()
        .map((s) => s.id),
    )
    expect(page2.json).toMatchObject({ has_more: false, next_cursor: null })
  })

  it('walks every page exactly once with a small limit', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: Reply<SessionPage> = await list(`?limit=7${cursor ? `&starting_after=${cursor}` : ''}`)
      expect(page.json.data.length).toBeLessThanOrEqual(7)
      seen.push(...page.json.data.map((s) => s.id))
      cursor = page.json.next_cursor
      pages++
    } while (cursor)
    expect(pages).toBe(4)
    expect(seen).toEqual(made.map((s) => s.id).reverse())
  })

  it('filters by status, order_id and creation time (gte inclusive, lt exclusive), with cursors', async () => {
    const cancelled = await list('?status=CANCELLED')
    expect(cancelled.json.data.map((s) => s.order_id)).toEqual(['list_dup', 'list_dup', 'list_dup', 'list_dup', 'list_dup'])
    const dup = await list('?order_id=list_dup&limit=2')
    expect(dup.json.data).toHaveLength(2)
    expect(dup.json.has_more).toBe(true)
    const rest = await list(`?order_id=list_dup&limit=10&starting_after=${dup.json.next_cursor}`)
    expect(rest.json.data).toHaveLength(3)
    const window = await list(`?created_gte=${t0 + 50}&created_lt=${t0 + 100}`)
    expect(window.json.data.map((s) => s.created_at)).toEqual([t0 + 90, t0 + 80, t0 + 70, t0 + 60, t0 + 50])
    const pending = await list(`?status=PENDING&created_gte=${t0 + 200}`)
    expect(pending.json.data.every((s) => s.status === 'PENDING' && s.created_at >= t0 + 200)).toBe(true)
    // list_dup at t0+200 was cancelled.
    expect(pending.json.data.map((s) => s.created_at)).toEqual([t0 + 240, t0 + 230, t0 + 220, t0 + 210])
    const byChain = await list('?chain_id=31337&token=USDC&limit=1')
    expect(byChain.json.data).toHaveLength(1)
  })

  it('shows only the key’s own merchant and mode', async () => {
    const page = await list('?limit=100', TEST_KEY)
    expect(page.json.data.length).toBeGreaterThan(0)
    expect(page.json.data.every((s) => s.merchant_id === 'merchant_123' && !s.livemode)).toBe(true)
    const live = await list('?limit=100', LIVE_KEY)
    expect(live.json.data.every((s) => s.livemode)).toBe(true)
    await refused(
      () => list(`?starting_after=${made[3]!.id}`, TEST_KEY),
      400,
      'invalid_request_error',
      'parameter_invalid',
      'starting_after',
    )
  })

  it('refuses bad query parameters with 400', async () => {
    const cases: Array<[string, string, string]> = [
      ['?limit=0', 'parameter_invalid', 'limit'],
      ['?limit=101', 'parameter_invalid', 'limit'],
      ['?limit=abc', 'parameter_invalid', 'limit'],
      ['?limit=-1', 'parameter_invalid', 'limit'],
      ['?limit=5&limit=6', 'parameter_invalid', 'limit'],
      ['?status=paid', 'parameter_invalid', 'status'],
      ['?created_gte=yesterday', 'parameter_invalid', 'created_gte'],
      ['?created_lt=1.5', 'parameter_invalid', 'created_lt'],
      ['?starting_after=ps_unknown', 'parameter_invalid', 'starting_after'],
      ['?sort=asc', 'parameter_unknown', 'sort'],
    ]
    for (const [query, code, param] of cases) await refused(() => list(query), 400, 'invalid_request_error', code, param)
    await refused(() => list('', 'sk_test_nope_nope_nope_nope_nope'), 401, 'authentication_error', 'api_key_invalid')
  })
})

describe('a shop that sells on mainnets only', () => {
  let shop: { dir: TempDir; app: App; server: HttpServerHandle }

  beforeAll(async () => {
    const shopDir = makeTempDir('stablepay-api-mainnet')
    cleanups.push(() => shopDir.cleanup())
    const mainnetOnly: ConfigFile = {
      merchants: [config.merchants![0]!],
      apiKeys: [
        { key: TEST_KEY, merchantId: 'merchant_123' },
        { key: LIVE_KEY, merchantId: 'merchant_123' },
      ],
      chains: [{ chainId: 8453, rpcUrls: [NOWHERE] }],
    }
    const shopApp = await startApp({ dataDir: shopDir.path, config: mainnetOnly })
    cleanups.push(() => shopApp.stop())
    const shopServer = await startHttpServer({ app: shopApp, port: 0, rendererDir: shopDir.path })
    cleanups.push(() => shopServer.close())
    shop = { dir: shopDir, app: shopApp, server: shopServer }
  })

  it('refuses a test key with 403 and writes nothing', async () => {
    const before = TABLES.map((t) => (shop.app.engine.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n)
    const res = await fetch(`${shop.server.url}/v1/payment/sessions/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify(sale()),
    })
    const json = (await res.json()) as ErrorBody
    expect(res.status).toBe(403)
    expect(json.error).toMatchObject({ type: 'permission_error', code: 'livemode_mismatch', param: null })
    expect(json.error.message).toMatch(/test keys only reach testnets/)
    expect(TABLES.map((t) => (shop.app.engine.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n)).toEqual(before)
    const live = await fetch(`${shop.server.url}/v1/payment/sessions/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LIVE_KEY}` },
      body: JSON.stringify(sale()),
    })
    expect(live.status).toBe(201)
  })
})

describe('unique amounts under concurrency', () => {
  it('thirty creates at one price sent at once get thirty different amounts on every token', async () => {
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => create(sale({ order_id: `same-price-${i}`, amount: '19.99' }))))
    expect(replies.every((r) => r.status === 201)).toBe(true)
    const tokens = new Set(replies.flatMap((r) => r.json.payment_options.map((o) => o.token)))
    for (const token of tokens) {
      const amounts = replies.map((r) => r.json.payment_options.find((o) => o.token === token)!.amount_base_units)
      expect(new Set(amounts).size, token).toBe(30)
    }
  })
})
