/**
 * StablePay's reference dialect (/api/v1, #12) beside the seed's (/v1), over
 * real HTTP on a real SQLite file, with the client written from StablePay's
 * reference (test/support/stablepayClient.ts). Both dialects answer from the
 * same rows: a session made in one is read in the other. Payments are handed
 * to the payments module as the watcher would report them (the chain itself
 * is exercised in the watcher and refunds suites).
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PaymentSession } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { ManualClock } from '../../src-main/engine'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { dump } from '../support/dump'
import { assertDocumented } from '../support/openapi'
import { startHttpReceiver } from '../support/httpReceiver'
import { demoTokens, NOWHERE, SHOP_ADDRESS, shopConfig, USDC6 } from '../support/shopConfig'
import type { Refund, RequestOptions, StablePayError, StablePayReply } from '../support/stablepayClient'
import { StablePayClient } from '../support/stablepayClient'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'
import { ANVIL_ADDRESSES } from '../unit/fixtures-xpub'

const KEY = 'sk_test_dialect_corner_cafe_00000000000001'
const SECRET = 'sps_dialect_corner_cafe_secret_0123456789abcdef'
const OTHER_KEY = 'sk_test_dialect_other_shop_00000000000001'
const OTHER_SECRET = 'sps_dialect_other_shop_secret_0123456789abcdef'
const CUSTOMER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const SEPOLIA = 11155111

const config = shopConfig({
  keys: [
    { key: KEY, merchantId: 'merchant_123', secret: SECRET },
    { key: OTHER_KEY, merchantId: 'merchant_other', secret: OTHER_SECRET },
  ],
  otherMerchants: [
    { id: 'merchant_other', name: 'Other Shop', currency: 'USD', receive: { mode: 'address', address: ANVIL_ADDRESSES[1]! } },
  ],
  chain: { confirmations: 2, tokens: demoTokens() },
  otherChains: [
    { chainId: SEPOLIA, name: 'Sepolia', testnet: true, rpcUrls: [NOWHERE], tokens: [{ symbol: 'USDC', address: USDC6, decimals: 6 }] },
  ],
  rates: { manual: { JPY: '0.0067', KWD: '3.25' } },
})

/**
 * The reference client, checked against the OpenAPI document (#12): every answer either dialect gives here is one
 * /v1/openapi.json describes. The check lives in the test, so the client stays written from the reference alone.
 */
class DocumentedClient extends StablePayClient {
  override async request<T = unknown>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<StablePayReply<T>> {
    const reply = await super.request<T>(method, path, body, options)
    const isJson = reply.headers.get('content-type')?.startsWith('application/json') ?? false
    assertDocumented(method, path, reply.status, isJson ? reply.json : reply.text || null)
    return reply
  }
}

let dir: TempDir
let clock: ManualClock
let app: App
let server: HttpServerHandle
let sp: StablePayClient
let other: StablePayClient
let block = 100

beforeAll(async () => {
  dir = makeTempDir('stablepay-dialect')
  clock = new ManualClock()
  app = await startApp({ dataDir: dir.path, config, clock })
  server = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: dir.path })
  const now = () => Math.floor(clock.now() / 1000)
  sp = new DocumentedClient(server.url, KEY, SECRET, now)
  other = new DocumentedClient(server.url, OTHER_KEY, OTHER_SECRET, now)
})
afterAll(async () => {
  await server.close()
  await app.stop()
  dir.cleanup()
})

let orders = 0
const order = () => `sp-order-${++orders}`
const state = () => {
  const { api_nonces: _spent, ...rest } = dump(dir.path)
  return rest
}

function expectError(reply: StablePayReply<unknown>, status: number, code: string, param?: string | null): StablePayError['error'] {
  const body = reply.json as StablePayError
  expect({ status: reply.status, code: body.error?.code }).toEqual({ status, code })
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type'])
  if (param !== undefined) expect(body.error.param).toBe(param)
  return body.error
}

async function refused<T>(send: () => Promise<StablePayReply<T>>, status: number, code: string, param?: string | null) {
  const before = state()
  const reply = await send()
  const error = expectError(reply, status, code, param)
  expect(state()).toEqual(before)
  return error
}

/** The customer's transfer of the sale's USDC amount (each sale's is its own, to the last digit), in block `at`. */
function pay(session: { id: string }, head: number, at = head): void {
  const option = app.engine.sessions
    .get(session.id, { merchantId: 'merchant_123' })
    .payment_options.find((o) => o.token === 'USDC' && o.chain_id === 31337)!
  const hash = `0x${randomBytes(32).toString('hex')}`
  app.watchers.payments.observe({
    chainId: 31337,
    head,
    transfers: [
      {
        chainId: 31337,
        txHash: `0x${randomBytes(32).toString('hex')}`,
        logIndex: 0,
        tokenAddress: USDC6,
        from: CUSTOMER,
        to: option.address,
        amount: BigInt(option.amount_base_units),
        blockNumber: at,
        blockHash: hash,
        blockTimestamp: Math.floor(clock.now() / 1000),
      },
    ],
    canonical: new Map([[at, hash]]),
  })
}

describe('/api/v1/checkout/sessions', () => {
  it('creates a session with line items, tax and shipping in minor units, answered in the reference shape', async () => {
    const body = {
      amount: 2500,
      currency: 'USD',
      order_id: order(),
      description: 'Two mugs, wrapped',
      email: 'ana@example.com',
      line_items: [
        { price_data: { currency: 'USD', unit_amount: 900, product_data: { name: 'Mug', description: 'blue' } }, quantity: 2 },
        { price_data: { currency: 'usd', unit_amount: 150, product_data: { name: 'Gift wrap' } }, quantity: 1 },
      ],
      tax_amount: 156,
      shipping_amount: 394,
      success_url: 'https://shop.example/thanks',
      cancel_url: 'https://shop.example/cart',
      metadata: { ticket: 7, gift: true, note: 'front door' },
      token: 'USDC',
    }
    const reply = await sp.createCheckoutSession(body)
    expect(reply.status).toBe(201)
    const s = reply.json
    expect(s).toMatchObject({
      amount_total: 2500,
      currency: 'usd',
      payment_status: 'pending',
      url: `${server.url}/pay/${s.id}`,
      line_items: [
        { price_data: { currency: 'usd', unit_amount: 900, product_data: { name: 'Mug', description: 'blue' } }, quantity: 2 },
        { price_data: { currency: 'usd', unit_amount: 150, product_data: { name: 'Gift wrap', description: null } }, quantity: 1 },
      ],
      tax_amount: 156,
      shipping_amount: 394,
      exchange_rate: null,
      target_currency: 'USDC',
      target_amount_total: '25.00',
      rate_locked_at: null,
      metadata: { ticket: '7', gift: 'true', note: 'front door', description: 'Two mugs, wrapped', email: 'ana@example.com' },
      success_url: 'https://shop.example/thanks',
      cancel_url: 'https://shop.example/cart',
    })
    expect(s.created).toBe(Math.floor(clock.now() / 1000))
    expect(s.expires_at).toBeGreaterThan(s.created)
    // The same row, read in the seed's dialect.
    const v1 = await sp.request<PaymentSession>('GET', `/v1/payment/sessions/${s.id}`)
    expect(v1.json).toMatchObject({ amount: '25.00', currency: 'USD', status: 'PENDING', tax_amount: '1.56', shipping_amount: '3.94' })
    // The same request again: the same session (200), as with /v1.
    const again = await sp.createCheckoutSession(body)
    expect({ status: again.status, id: again.json.id }).toEqual({ status: 200, id: s.id })
  })

  it('refuses an amount that is not items + tax + shipping, and a line in another currency, changing nothing', async () => {
    const lines = [{ price_data: { currency: 'USD', unit_amount: 900, product_data: { name: 'Mug' } }, quantity: 2 }]
    await refused(
      () => sp.createCheckoutSession({ amount: 1999, currency: 'USD', order_id: order(), line_items: lines, tax_amount: 100 }),
      400,
      'amount_mismatch',
      'amount',
    )
    await refused(
      () =>
        sp.createCheckoutSession({
          amount: 1800,
          currency: 'USD',
          order_id: order(),
          line_items: [{ ...lines[0]!, price_data: { ...lines[0]!.price_data, currency: 'EUR' } }],
        }),
      400,
      'parameter_invalid',
      'line_items[0][price_data][currency]',
    )
    await refused(
      () => sp.createCheckoutSession({ amount: '25.00', currency: 'USD', order_id: order() }),
      400,
      'parameter_invalid',
      'amount',
    )
    await refused(() => sp.createCheckoutSession({ amount: 10.5, currency: 'USD', order_id: order() }), 400, 'parameter_invalid', 'amount')
    await refused(() => sp.createCheckoutSession({ amount: 0, currency: 'USD', order_id: order() }), 400, 'parameter_invalid', 'amount')
    await refused(() => sp.createCheckoutSession({ currency: 'USD', order_id: order() }), 400, 'parameter_missing', 'amount')
    await refused(
      () => sp.createCheckoutSession({ amount: 100, currency: 'USD', order_id: order(), colour: 'red' }),
      400,
      'parameter_unknown',
      'colour',
    )
  })

  it('minor units follow the one currency table: USD 2 digits, JPY none, KWD 3', async () => {
    for (const [currency, amount, decimal] of [
      ['USD', 1050, '10.50'],
      ['JPY', 1500, '1500'],
      ['KWD', 1234, '1.234'],
    ] as const) {
      const reply = await sp.createCheckoutSession({ amount, currency, order_id: order() })
      expect(reply.status, currency).toBe(201)
      expect({ amount_total: reply.json.amount_total, currency: reply.json.currency }).toEqual({
        amount_total: amount,
        currency: currency.toLowerCase(),
      })
      const v1 = await sp.request<PaymentSession>('GET', `/v1/payment/sessions/${reply.json.id}`)
      expect(v1.json.amount).toBe(decimal)
      if (currency !== 'USD') expect(reply.json.exchange_rate).not.toBeNull()
      if (currency !== 'USD') expect(reply.json.rate_locked_at).toBe(Math.floor(clock.now() / 1000))
    }
    // A JPY line item of 1500 yen is 1500, not 15.00.
    const jpy = await sp.createCheckoutSession({
      amount: 3300,
      currency: 'JPY',
      order_id: order(),
      line_items: [{ price_data: { currency: 'JPY', unit_amount: 1500, product_data: { name: 'Bento' } }, quantity: 2 }],
      tax_amount: 300,
    })
    expect(jpy.status).toBe(201)
    expect(jpy.json.line_items[0]!.price_data.unit_amount).toBe(1500)
  })

  it('maps the statuses: pending, processing, paid, canceled, expired; lists and filters by payment_status', async () => {
    const a = (await sp.createCheckoutSession({ amount: 1000, currency: 'USD', order_id: order(), token: 'USDC', chain_id: 31337 })).json
    expect(a.payment_status).toBe('pending')
    // One confirmation of the two the chain needs: "confirming", reported as processing.
    block += 1
    pay(a, block)
    expect((await sp.getCheckoutSession(a.id)).json.payment_status).toBe('processing')
    const a2 = (await sp.createCheckoutSession({ amount: 1000, currency: 'USD', order_id: order(), token: 'USDC', chain_id: 31337 })).json
    block += 2
    pay(a2, block, block - 1)
    expect((await sp.getCheckoutSession(a2.id)).json.payment_status).toBe('paid')

    const b = (await sp.createCheckoutSession({ amount: 1000, currency: 'USD', order_id: order() })).json
    const canceled = await sp.cancelCheckoutSession(b.id)
    expect({ status: canceled.status, payment_status: canceled.json.payment_status }).toEqual({ status: 200, payment_status: 'canceled' })

    const c = (await sp.createCheckoutSession({ amount: 1000, currency: 'USD', order_id: order(), expires_in: 60 })).json
    clock.advance(61_000)
    app.engine.sessions.expireDue()
    expect((await sp.getCheckoutSession(c.id)).json.payment_status).toBe('expired')

    const paid = await sp.listCheckoutSessions('?payment_status=paid')
    expect(paid.status).toBe(200)
    expect(paid.json.data.map((s) => s.id)).toContain(a2.id)
    expect(paid.json.data.every((s) => s.payment_status === 'paid')).toBe(true)
    expect((await sp.listCheckoutSessions('?payment_status=failed')).json.data).toEqual([])
    expectError(await sp.listCheckoutSessions('?payment_status=PAID'), 400, 'parameter_invalid', 'payment_status')
  })

  it('order_id reused with other terms is 409 order_conflict naming the session; chain and token count when given', async () => {
    const id = order()
    const first = await sp.createCheckoutSession({ amount: 1000, currency: 'USD', order_id: id, chain_id: 31337, token: 'USDC' })
    expect(first.status).toBe(201)
    for (const [change, param] of [
      [{ amount: 1001 }, 'amount'],
      [{ currency: 'JPY' }, 'currency'],
      [{ chain_id: SEPOLIA }, 'chain_id'],
      [{ token: 'USDT' }, 'token'],
    ] as const) {
      const error = await refused(
        () => sp.createCheckoutSession({ ...{ amount: 1000, currency: 'USD', order_id: id, chain_id: 31337, token: 'USDC' }, ...change }),
        409,
        'order_conflict',
        param,
      )
      expect(error.message).toContain(first.json.id)
    }
    // The same terms, in either dialect: the existing session.
    const same = await sp.request<PaymentSession>('POST', '/v1/payment/sessions/create', {
      merchant_id: 'merchant_123',
      order_id: id,
      amount: '10.00',
      currency: 'USD',
      chain_id: 31337,
      token: 'USDC',
    })
    expect({ status: same.status, id: same.json.id }).toEqual({ status: 200, id: first.json.id })
  })

  it('every /api/v1 request must be signed; Idempotency-Key and the error shape are those of /v1', async () => {
    const unsigned = new DocumentedClient(server.url, KEY)
    await refused(() => unsigned.createCheckoutSession({ amount: 1000, currency: 'USD', order_id: order() }), 401, 'signature_missing')
    await refused(() => unsigned.listCheckoutSessions(), 401, 'signature_missing')
    const body = { amount: 1000, currency: 'USD', order_id: order() }
    const first = await sp.createCheckoutSession(body, { headers: { 'Idempotency-Key': 'idem-sp-1' } })
    const replay = await sp.createCheckoutSession(body, { headers: { 'Idempotency-Key': 'idem-sp-1' } })
    expect(first.status).toBe(201)
    expect(replay.status).toBe(201)
    expect(replay.text).toBe(first.text)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    await refused(
      () => sp.createCheckoutSession({ ...body, amount: 1001 }, { headers: { 'Idempotency-Key': 'idem-sp-1' } }),
      409,
      'idempotency_key_reused',
    )
    await refused(() => sp.getCheckoutSession('ps_nope'), 404, 'resource_missing')
    // Another merchant's key cannot see it.
    await refused(() => other.getCheckoutSession(first.json.id), 404, 'resource_missing')
  })

  it('refuses a body with a key given twice, or a lone surrogate, even when signed', async () => {
    const dup = `{"amount":1000,"currency":"USD","order_id":"${order()}","amount":1}`
    await refused(() => sp.request('POST', '/api/v1/checkout/sessions/create', undefined, { rawBody: dup }), 400, 'json_invalid', 'amount')
    const lone = `{"amount":1000,"currency":"USD","order_id":"x\\ud800y"}`
    await refused(() => sp.request('POST', '/api/v1/checkout/sessions/create', undefined, { rawBody: lone }), 400, 'json_invalid')
    await refused(
      () =>
        sp.request('POST', '/v1/payment/sessions/create', undefined, {
          rawBody: `{"merchant_id":"merchant_123","order_id":"o","amount":"1.00","currency":"USD","currency":"JPY"}`,
        }),
      400,
      'json_invalid',
      'currency',
    )
  })
})

describe('/api/v1/refunds', () => {
  it('create (charge, refund_id, cents of the token), the same again, get by refund_id, cancel', async () => {
    const s = (await sp.createCheckoutSession({ amount: 1000, currency: 'USD', order_id: order(), token: 'USDC', chain_id: 31337 })).json
    block += 2
    pay(s, block, block - 1)
    expect((await sp.getCheckoutSession(s.id)).json.payment_status).toBe('paid')
    const body = {
      charge: s.id,
      refund_id: 'sp-refund-1',
      amount: 400,
      currency: 'USDC',
      reason: 'requested_by_customer',
      description: 'chipped',
      address: CUSTOMER,
      metadata: { ticket: 9 },
    }
    const created = await sp.createRefund(body)
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject<Partial<Refund>>({
      refund_id: 'sp-refund-1',
      payment_id: s.id,
      order_id: s.order_id!,
      amount: 400,
      currency: 'USDC',
      status: 'pending',
      reason: 'requested_by_customer',
      description: 'chipped',
      metadata: { ticket: '9' },
    })
    expect((await sp.createRefund(body)).status).toBe(200)
    await refused(() => sp.createRefund({ ...body, amount: 401 }), 409, 'refund_conflict')
    await refused(() => sp.createRefund({ ...body, refund_id: 'sp-refund-2', amount: 10_000 }), 409, 'refund_exceeds_received')
    const read = await sp.getRefund('sp-refund-1')
    expect({ status: read.status, amount: read.json.amount, status_: read.json.status }).toEqual({
      status: 200,
      amount: 400,
      status_: 'pending',
    })
    await refused(() => other.getRefund('sp-refund-1'), 404, 'resource_missing')
    const canceled = await sp.cancelRefund('sp-refund-1')
    expect(canceled.status).toBe(200)
    expect(canceled.json).toEqual({ refund_id: 'sp-refund-1', status: 'canceled', canceled_at: Math.floor(clock.now() / 1000) })
    expect((await sp.getRefund('sp-refund-1')).json.status).toBe('canceled')
    // Canceled is final.
    expect((await sp.cancelRefund('sp-refund-1')).status).toBeGreaterThanOrEqual(400)
  })
})

describe('webhook endpoints and reports with a key (/v1)', () => {
  it('a back office registers, lists, changes, re-keys and deletes its webhook endpoint', async () => {
    const receiver = await startHttpReceiver()
    try {
      const made = await sp.request<{ id: string; url: string; secret: string; events: string[] }>('POST', '/v1/webhook_endpoints', {
        url: `${receiver.url}/hook`,
        events: ['payment.completed'],
      })
      expect(made.status).toBe(201)
      expect(made.json.secret).toMatch(/^whsec_/)
      const listed = await sp.request<{ data: Array<{ id: string; secret?: string }> }>('GET', '/v1/webhook_endpoints')
      expect(listed.json.data.map((e) => e.id)).toContain(made.json.id)
      expect(JSON.stringify(listed.json)).not.toContain(made.json.secret)
      expect((await other.request<{ data: unknown[] }>('GET', '/v1/webhook_endpoints')).json.data).toEqual([])
      await refused(() => other.request('POST', `/v1/webhook_endpoints/${made.json.id}`, { enabled: false }), 404, 'resource_missing')
      const changed = await sp.request<{ enabled: boolean; events: string[] }>('POST', `/v1/webhook_endpoints/${made.json.id}`, {
        events: ['*'],
        enabled: false,
      })
      expect(changed.json).toMatchObject({ enabled: false, events: ['*'] })
      const rekeyed = await sp.request<{ secret: string }>('POST', `/v1/webhook_endpoints/${made.json.id}/rotate_secret`)
      expect(rekeyed.json.secret).not.toBe(made.json.secret)
      const deleted = await sp.request('DELETE', `/v1/webhook_endpoints/${made.json.id}`)
      expect(deleted.json).toEqual({ id: made.json.id, deleted: true })
      await refused(() => sp.request('GET', `/v1/webhook_endpoints/${made.json.id}`), 404, 'resource_missing')
      // The owner's audit log names the key that did it.
      const audit = await app.handlers.invoke('audit:list', { limit: 50 }, { device: 'local' })
      if (!audit.ok) throw new Error(audit.error.message)
      expect(audit.value.data.some((e) => e.device.startsWith('api:key_') && e.kind === 'webhook.created')).toBe(true)
    } finally {
      await receiver.down()
    }
  })

  it("the sales CSV, refunds CSV and daily totals of the key's merchant and mode", async () => {
    const csv = await sp.request('GET', '/v1/reports/sales.csv?status=COMPLETED')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const rows = (text: string) => text.split(/\r?\n/).filter(Boolean).length
    // The header and the paid sales of this merchant's test mode; the other shop's key sees its header only.
    expect(rows(csv.text)).toBeGreaterThanOrEqual(3)
    expect(rows((await other.request('GET', '/v1/reports/sales.csv')).text)).toBe(1)
    const refunds = await sp.request('GET', '/v1/reports/refunds.csv')
    expect(refunds.text).toContain('sp-refund-1')
    const totals = await sp.request<{ data: Array<{ amount_minor: string }> }>('GET', '/v1/reports/daily_totals')
    expect(totals.status).toBe(200)
    expect(totals.json.data.length).toBeGreaterThan(0)
    expectError(await sp.request('GET', '/v1/reports/daily_totals?colour=red'), 400, 'parameter_unknown', 'colour')
    expect(SHOP_ADDRESS).toMatch(/^0x/)
  })
})
