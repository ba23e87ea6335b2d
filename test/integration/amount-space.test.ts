/**
 * The unique-amount suffix tells open sales at one price apart, and never
 * reaches a whole cent: a customer is never asked for more than the price.
 * When every suffix under the cent is held, the create is refused with 409
 * `amount_space_exhausted` (real HTTP, real SQLite file).
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { PaymentSession } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { ManualClock } from '../../src-main/engine'
import { transaction } from '../../src-main/engine/db/transaction'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { demoTokens, shopConfig, USDC6 } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'

const KEY = 'sk_test_amount_space_key_00000000000001'
const GUSD = '0x056fd409e1d7a124bd7017459dfea2f387b6d5cd'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A created session, or the API's error shape. */
type Reply = PaymentSession & { error: { type: string; code: string; message: string; param: string | null } }

async function shop(
  tokens = demoTokens(),
): Promise<{ app: App; clock: ManualClock; create: (body: object) => Promise<{ status: number; json: Reply }> }> {
  const dir = makeTempDir('stablepay-amount-space')
  cleanups.push(() => dir.cleanup())
  const clock = new ManualClock()
  const app = await startApp({
    dataDir: dir.path,
    clock,
    config: shopConfig({ keys: [KEY], chain: { confirmations: 1, tokens }, lateWindowSeconds: 60 }),
  })
  cleanups.push(() => app.stop())
  const server: HttpServerHandle = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: dir.path })
  cleanups.push(() => server.close())
  let orders = 0
  const create = async (body: object) => {
    const res = await fetch(`${server.url}/v1/payment/sessions/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ merchant_id: 'merchant_123', order_id: `order-${++orders}`, currency: 'USD', ...body }),
    })
    return { status: res.status, json: (await res.json()) as Reply }
  }
  return { app, clock, create }
}

const amounts = (s: PaymentSession) => Object.fromEntries(s.payment_options.map((o) => [o.token, o.amount_base_units]))

describe('the unique-amount suffix', () => {
  it('refuses the 10,001st open $10.00 sale in a 6-decimal token with 409 amount_space_exhausted, never asking for 10.01', async () => {
    const { app, clock, create } = await shop()
    const first = await create({ amount: '10.00', token: 'USDC' })
    expect(first.status).toBe(201)
    expect(amounts(first.json)).toEqual({ USDC: '10000000' })
    // The other 9,999 suffixes under the cent, held by open sales written straight into the file (fast); the
    // refusal below still comes through the real create.
    const db = app.engine.db
    const now = Math.floor(clock.now() / 1000)
    transaction(db, () => {
      const session = db.prepare(
        `INSERT INTO sessions (id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at, usd_cents,
           required_confirmations, updated_at) VALUES (?, 'merchant_123', 0, ?, 1000, 'USD', '{}', 'PENDING', ?, ?, 1000, 1, ?) RETURNING seq`,
      )
      // Beside the real sale's own hold, on its chain, token and address as stored.
      const own = db.prepare(`SELECT token_address, address FROM payment_options WHERE amount = '10000000'`).get() as {
        token_address: string
        address: string
      }
      const option = db.prepare(
        `INSERT INTO payment_options (session_seq, kind, chain_id, token_symbol, token_address, decimals, address, base_amount, suffix, amount)
         VALUES (?, 'payment', 31337, 'USDC', '${own.token_address}', 6, '${own.address}', '10000000', ?, ?)`,
      )
      for (let suffix = 1; suffix < 10_000; suffix++) {
        const { seq } = session.get(`ps_seeded${suffix}`, `seeded-${suffix}`, now, now + 900, now) as { seq: number }
        option.run(seq, suffix, String(10_000_000 + suffix))
      }
    })
    const held = db
      .prepare(
        `SELECT count(*) FROM payment_options WHERE active = 1 AND token_symbol = 'USDC' AND amount BETWEEN '10000000' AND '10009999'`,
      )
      .pluck()
      .get()
    expect(held).toBe(10_000)

    const sessionsBefore = db.prepare('SELECT count(*) FROM sessions').pluck().get()
    const refused = await create({ amount: '10.00', token: 'USDC' })
    expect(refused.status).toBe(409)
    expect(refused.json).toEqual({
      error: {
        type: 'conflict_error',
        code: 'amount_space_exhausted',
        message: expect.stringMatching(/All 10,000 amounts between 10\.00 USDC and one cent more are held by open sales/),
        param: null,
      },
    })
    // Refused whole: no session, no held amount at 10.01.
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(sessionsBefore)
    expect(db.prepare(`SELECT count(*) FROM payment_options WHERE amount = '10010000'`).pluck().get()).toBe(0)

    // A neighbouring price is not in the way; nor is the 18-decimal token, whose room below the cent is vast:
    // a sale open to both tokens is offered in the one that still has room.
    expect(amounts((await create({ amount: '10.01', token: 'USDC' })).json)).toEqual({ USDC: '10010000' })
    const either = await create({ amount: '10.00' })
    expect(either.status).toBe(201)
    expect(amounts(either.json)).toEqual({ USDT: '10000000000000000000' })

    // Once one of those sales is cancelled and its hold released, its suffix is offered again.
    app.engine.sessions.cancel(first.json.id, { merchantId: 'merchant_123' })
    clock.advance(61_000)
    app.engine.sessions.expireDue()
    expect(amounts((await create({ amount: '10.00', token: 'USDC' })).json)).toEqual({ USDC: '10000000' })
  })

  it('a 2-decimal token has no room below the cent: a second open sale at one price is offered in other tokens, or refused', async () => {
    const { app, clock, create } = await shop([
      { symbol: 'USDC', address: USDC6, decimals: 6 },
      { symbol: 'GUSD', address: GUSD, decimals: 2 },
    ])
    const first = await create({ amount: '99.99', token: 'GUSD' })
    expect(amounts(first.json)).toEqual({ GUSD: '9999' })
    // Not 100.00: that would ask this customer for a cent more than the price.
    const second = await create({ amount: '99.99', token: 'GUSD' })
    expect(second.status).toBe(409)
    expect(second.json.error).toMatchObject({ type: 'conflict_error', code: 'amount_space_exhausted' })
    expect(second.json.error.message).toMatch(/Another open sale already asks for exactly 99\.99 GUSD at this address/)
    // Without a token asked for, the sale goes ahead in the tokens that can still tell it apart.
    const either = await create({ amount: '99.99' })
    expect(amounts(either.json)).toEqual({ USDC: '99990000' })
    // 100.00 is its own price, free.
    expect(amounts((await create({ amount: '100.00', token: 'GUSD' })).json)).toEqual({ GUSD: '10000' })
    // The first sale cancelled and released: 99.99 GUSD can be asked for again.
    app.engine.sessions.cancel(first.json.id, { merchantId: 'merchant_123' })
    clock.advance(61_000)
    app.engine.sessions.expireDue()
    expect(amounts((await create({ amount: '99.99', token: 'GUSD' })).json)).toEqual({ GUSD: '9999' })
  })
})
