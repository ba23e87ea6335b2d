/**
 * The refunds endpoints of the REST API (#11), over real HTTP against a real
 * engine. A sale is paid by handing the payments module the observation the
 * watcher would make of its transfer (the chain itself is exercised in
 * refunds.test.ts).
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PaymentSession, Refund, RefundPage } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { ManualClock } from '../../src-main/engine'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { demoTokens, SHOP_ADDRESS, shopConfig, USDC6 } from '../support/shopConfig'
import { downloadTicketUrl, signInDevice } from '../support/signIn'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'
import { assertDocumented } from '../support/openapi'

const TEST_KEY = 'sk_test_refundapi_corner_cafe_0000000001'
const LIVE_KEY = 'sk_live_refundapi_corner_cafe_0000000001'
const CUSTOMER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

interface ErrorBody {
  error: { type: string; code: string; message: string; param: string | null }
}

let dir: TempDir
let clock: ManualClock
let app: App
let server: HttpServerHandle
const cleanups: Array<() => Promise<void>> = []
let block = 100

beforeAll(async () => {
  dir = makeTempDir('stablepay-refund-api')
  cleanups.push(() => dir.cleanup())
  clock = new ManualClock()
  const config = shopConfig({ keys: [TEST_KEY, LIVE_KEY], chain: { confirmations: 1, tokens: demoTokens() } })
  app = await startApp({ dataDir: dir.path, config, clock })
  cleanups.push(() => app.stop())
  server = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: dir.path })
  cleanups.push(() => server.close())
})

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

async function call<T = ErrorBody>(method: string, path: string, body?: unknown, key = TEST_KEY): Promise<{ status: number; json: T }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = (await res.json()) as T
  // #12: every answer is one the OpenAPI document describes.
  assertDocumented(method, path, res.status, json)
  return { status: res.status, json }
}

let orders = 0
/** A sale paid `amount` base units of USDC by the customer, as the watcher would report it. */
async function paidSale(price: string, amount: bigint): Promise<PaymentSession> {
  const created = await call<PaymentSession>('POST', '/v1/payment/sessions/create', {
    merchant_id: 'merchant_123',
    order_id: `refund-order-${++orders}`,
    amount: price,
    currency: 'USD',
    token: 'USDC',
  })
  expect(created.status).toBe(201)
  const n = ++block
  const hash = `0x${randomBytes(32).toString('hex')}`
  app.watchers.payments.observe({
    chainId: 31337,
    head: n,
    transfers: [
      {
        chainId: 31337,
        txHash: `0x${randomBytes(32).toString('hex')}`,
        logIndex: 0,
        tokenAddress: USDC6,
        from: CUSTOMER,
        to: SHOP_ADDRESS,
        amount,
        blockNumber: n,
        blockHash: hash,
        blockTimestamp: Math.floor(clock.now() / 1000),
      },
    ],
    canonical: new Map([[n, hash]]),
  })
  return (await call<PaymentSession>('GET', `/v1/payment/sessions/${created.json.id}`)).json
}

function expectError(reply: { status: number; json: unknown }, status: number, code: string): void {
  expect({ status: reply.status, code: (reply.json as ErrorBody).error?.code }).toEqual({ status, code })
}

describe('/v1/refunds', () => {
  it('create (201, then 200 for the same refund_id), get, list, cancel; the session shows its refunds', async () => {
    const sale = await paidSale('10.00', 10_000_000n)
    expect(sale.status).toBe('COMPLETED')
    const body = { session_id: sale.id, refund_id: 'api-r1', amount: '4.00', reason: 'requested_by_customer', metadata: { ticket: '7' } }
    const first = await call<Refund>('POST', '/v1/refunds/create', body)
    expect(first.status).toBe(201)
    expect(first.json).toMatchObject({
      object: 'refund',
      livemode: false,
      session_id: sale.id,
      refund_id: 'api-r1',
      amount: '4.00',
      amount_base_units: '4000000',
      token: 'USDC',
      chain_id: 31337,
      destination: CUSTOMER,
      status: 'pending',
      metadata: { ticket: '7' },
      tx_hash: null,
    })
    expect(first.json.id).toMatch(/^re_[0-9A-Za-z]{24}$/)
    const again = await call<Refund>('POST', '/v1/refunds/create', body)
    expect(again).toMatchObject({ status: 200, json: { id: first.json.id } })
    expectError(await call('POST', '/v1/refunds/create', { ...body, amount: '4.50' }), 409, 'refund_conflict')

    expect(await call<Refund>('GET', `/v1/refunds/${first.json.id}`)).toMatchObject({ status: 200, json: first.json })
    const second = await call<Refund>('POST', '/v1/refunds/create', { session_id: sale.id, refund_id: 'api-r2', amount: '1.00' })
    const list = await call<RefundPage>('GET', `/v1/refunds?session_id=${sale.id}&limit=1`)
    expect(list.json).toMatchObject({ has_more: true, next_cursor: second.json.id, data: [{ id: second.json.id }] })
    const next = await call<RefundPage>('GET', `/v1/refunds?session_id=${sale.id}&limit=1&starting_after=${second.json.id}`)
    expect(next.json).toMatchObject({ has_more: false, data: [{ id: first.json.id }] })
    expect((await call<PaymentSession>('GET', `/v1/payment/sessions/${sale.id}`)).json).toMatchObject({
      amount_refunded: '0',
      refunds: [first.json.id, second.json.id],
    })

    const canceled = await call<Refund>('POST', `/v1/refunds/${second.json.id}/cancel`)
    expect(canceled).toMatchObject({ status: 200, json: { status: 'canceled', ended_at: expect.any(Number) } })
    expectError(await call('POST', `/v1/refunds/${second.json.id}/cancel`), 409, 'refund_not_cancelable')
    expect((await call<RefundPage>('GET', `/v1/refunds?status=canceled`)).json.data.map((r) => r.id)).toEqual([second.json.id])
    // Cancelled, its 1.00 is refundable again: 6.00 in all.
    expect((await call<Refund>('POST', '/v1/refunds/create', { session_id: sale.id, refund_id: 'api-r3', amount: '6.00' })).status).toBe(
      201,
    )
  })

  it('errors in the API’s shape: 400 bad amount or address, 404 unknown session or refund, 409 above received or not refundable', async () => {
    const sale = await paidSale('5.00', 5_000_000n)
    const base = { session_id: sale.id, refund_id: `bad-${orders}` }
    expectError(await call('POST', '/v1/refunds/create', { ...base, amount: '1.0000001' }), 400, 'parameter_invalid')
    expectError(await call('POST', '/v1/refunds/create', { ...base, amount: '-1' }), 400, 'parameter_invalid')
    expectError(await call('POST', '/v1/refunds/create', { ...base, amount: '1', destination: '0x123' }), 400, 'parameter_invalid')
    // A mixed-case address whose checksum is wrong: a typo, not an address to "correct".
    expectError(
      await call('POST', '/v1/refunds/create', { ...base, amount: '1', destination: CUSTOMER.replace('C5', 'c5') }),
      400,
      'destination_checksum_invalid',
    )
    expectError(await call('POST', '/v1/refunds/create', { ...base, amount: '1', destination: SHOP_ADDRESS }), 400, 'destination_is_shop')
    expectError(await call('POST', '/v1/refunds/create', { session_id: sale.id, amount: '1' }), 400, 'parameter_missing')
    expectError(await call('POST', '/v1/refunds/create', { ...base, session_id: 'ps_nope', amount: '1' }), 404, 'resource_missing')
    expectError(await call('POST', '/v1/refunds/create', { ...base, amount: '5.01' }), 409, 'refund_exceeds_received')
    const open = await call<PaymentSession>('POST', '/v1/payment/sessions/create', {
      merchant_id: 'merchant_123',
      order_id: `refund-open-${orders}`,
      amount: '3.00',
      currency: 'USD',
    })
    expectError(await call('POST', '/v1/refunds/create', { ...base, session_id: open.json.id, amount: '1' }), 409, 'session_not_refundable')
    expectError(await call('GET', '/v1/refunds/re_000000000000000000000000'), 404, 'resource_missing')
    expect(await app.engine.db.prepare("SELECT count(*) FROM refunds WHERE refund_id LIKE 'bad-%'").pluck().get()).toBe(0)

    // A test key's refunds are not a live key's business.
    const made = await call<Refund>('POST', '/v1/refunds/create', { ...base, amount: '5.00' })
    expect(made.status).toBe(201)
    expectError(await call('GET', `/v1/refunds/${made.json.id}`, undefined, LIVE_KEY), 404, 'resource_missing')
    expect((await call<RefundPage>('GET', '/v1/refunds', undefined, LIVE_KEY)).json.data).toEqual([])
    expectError(await call('POST', `/v1/refunds/${made.json.id}/cancel`, undefined, LIVE_KEY), 404, 'resource_missing')
  })

  it('the refunds CSV (serve mode’s download): one row per refund, the sale’s order beside it', async () => {
    const sale = await paidSale('2.00', 2_000_000n)
    const made = await call<Refund>('POST', '/v1/refunds/create', { session_id: sale.id, refund_id: 'csv-r1', amount: '1.50' })
    // As History's Refunds tab downloads it (#13): a signed-in device asks for a one-time ticket, then navigates.
    // The export is the owner's: the owner sets the first PIN in the desktop window, then unlocks on this device (#13).
    await app.engine.owner.setPin('local', { pin: '246810' })
    const device = await signInDevice(server.url, server.token, '246810')
    const res = await fetch(await downloadTicketUrl(server.url, device, `/export/refunds.csv?session_id=${sale.id}`))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="stablepay-refunds-\d{4}-\d{2}-\d{2}\.csv"$/)
    const lines = (await res.text()).split('\r\n').filter(Boolean)
    expect(lines[0]).toBe(
      'created,refund id,merchant refund id,session id,order id,status,amount,token,network,destination,reason,description,tx hash,paid from,succeeded',
    )
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(
      `,${made.json.id},csv-r1,${sale.id},${sale.order_id},pending,1.50,USDC,Local,${CUSTOMER},requested_by_customer,,,,`,
    )
  })
})
