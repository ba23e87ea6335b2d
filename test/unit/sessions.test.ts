import { afterEach, describe, expect, it } from 'vitest'
import type { SessionStatus } from '../../src-preload/contract'
import { SESSION_STATUSES } from '../../src-preload/contract'
import { createEngine, EngineError } from '../../src-main/engine'
import { TRANSITIONS } from '../../src-main/engine/sessions'
import { ANVIL_ADDRESSES, ANVIL_XPUB } from './fixtures-xpub'
import type { Shop } from './engineFixture'
import { openShop, SHOP_ADDRESS, USDC6 } from './engineFixture'

let shop: Shop
afterEach(() => shop?.close())

const base = { merchantId: 'merchant_123', livemode: false, currency: 'USD' }

const count = (table: string) => (shop.engine.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
const seqOf = (id: string) => shop.engine.sessions.rowById(id)!.seq

/** Walks a fresh session along `path` with the engine's own guarded transition. */
function sessionIn(status: SessionStatus, orderId = `o-${Math.random()}`): string {
  const { session } = shop.engine.sessions.create({ ...base, orderId, amount: '1.00' })
  const paths: Record<SessionStatus, SessionStatus[]> = {
    PENDING: [],
    PROCESSING: ['PROCESSING'],
    COMPLETED: ['PROCESSING', 'COMPLETED'],
    EXPIRED: ['EXPIRED'],
    CANCELLED: ['CANCELLED'],
  }
  shop.engine.sessions.transaction(() => {
    for (const to of paths[status]) shop.engine.sessions.transition(seqOf(session.id), to, 'test')
  })
  return session.id
}

describe('creating a payment session', () => {
  it('locks the terms: one option per enabled token, exact base units, EIP-681 URI', () => {
    shop = openShop()
    const { session, created } = shop.engine.sessions.create({ ...base, orderId: 'order_001', amount: '100.50', metadata: { till: '2' } })
    expect(created).toBe(true)
    expect(session).toMatchObject({
      object: 'payment_session',
      status: 'PENDING',
      livemode: false,
      merchant_id: 'merchant_123',
      order_id: 'order_001',
      amount: '100.50',
      currency: 'USD',
      metadata: { till: '2' },
      exchange_rate: null,
      rate_locked_at: null,
      amount_usd: '100.50',
      amount_paid_base_units: '0',
      amount_remaining_base_units: '100500000',
      confirmations: 0,
      required_confirmations: 1,
      transactions: [],
      exceptions: [],
      remainder_option: null,
      completed_at: null,
    })
    expect(session.id).toMatch(/^ps_[0-9A-Za-z]{24}$/)
    expect(session.expires_at - session.created_at).toBe(900)
    expect(session.payment_options.map((o) => [o.network, o.token, o.decimals, o.amount_base_units, o.amount])).toEqual([
      ['Local', 'USDC', 6, '100500000', '100.50'],
      ['Local', 'USDT', 18, '100500000000000000000', '100.50'],
    ])
    expect(session.payment_options[0]!.payment_uri).toBe(`ethereum:${USDC6}@31337/transfer?address=${SHOP_ADDRESS}&uint256=100500000`)
    expect(shop.engine.sessions.timeline(session.id, { merchantId: 'merchant_123' })).toEqual([
      { at: session.created_at, from_status: null, to_status: 'PENDING', reason: 'created' },
    ])
  })

  it('answers with exactly the session a later read shows (USD and EUR, address and xpub mode)', () => {
    for (const receive of [undefined, { mode: 'xpub' as const, xpub: ANVIL_XPUB }]) {
      shop = openShop(receive ? { receive } : {})
      shop.engine.rates.setManual('EUR', '1.08')
      const scope = { merchantId: 'merchant_123' }
      const usd = shop.engine.sessions.create({ ...base, orderId: 'u', amount: '5.00', metadata: { till: '2' }, expiresIn: 600 }).session
      const eur = shop.engine.sessions.create({ ...base, orderId: 'e', amount: '5.00', currency: 'EUR' }).session
      // The second 5.00 USD at one address takes the next suffix; each answer must say which.
      const again = shop.engine.sessions.create({ ...base, orderId: 'u2', amount: '5.00', token: 'USDC' }).session
      for (const created of [usd, eur, again]) expect(created).toEqual(shop.engine.sessions.get(created.id, scope))
      expect(again.payment_options[0]!.amount_base_units).toBe(receive ? '5000000' : '5000001')
      shop.close()
    }
  })

  it('finds a session by its whole id only: a changed character or another shop’s id for the same row is not found', () => {
    shop = openShop()
    const scope = { merchantId: 'merchant_123' }
    const { session } = shop.engine.sessions.create({ ...base, orderId: 'whole', amount: '1.00' })
    expect(shop.engine.sessions.get(session.id, scope).order_id).toBe('whole')
    const last = session.id.at(-1)!
    const tampered = session.id.slice(0, -1) + (last === 'A' ? 'B' : 'A')
    expect(() => shop.engine.sessions.get(tampered, scope)).toThrow(/no payment session/)
    const other = openShop()
    try {
      const elsewhere = other.engine.sessions.create({ ...base, orderId: 'whole', amount: '1.00' }).session.id
      expect(other.engine.sessions.rowById(elsewhere)!.seq).toBe(seqOf(session.id))
      expect(() => shop.engine.sessions.get(elsewhere, scope)).toThrow(/no payment session/)
    } finally {
      other.close()
    }
  })

  it('narrows the options to the requested chain and token', () => {
    shop = openShop()
    const { session } = shop.engine.sessions.create({ ...base, orderId: 'x', amount: '2.00', chainId: 31337, token: 'USDT' })
    expect(session.payment_options.map((o) => o.token)).toEqual(['USDT'])
    expect(() => shop.engine.sessions.create({ ...base, orderId: 'y', amount: '2.00', chainId: 1 })).toThrow(/no enabled testnet network/)
  })

  it('test keys reach testnets only, live keys mainnets only', () => {
    shop = openShop()
    expect(() => shop.engine.sessions.create({ ...base, livemode: true, orderId: 'live', amount: '1.00' })).toThrow(/no enabled mainnet/)
  })

  it('honours expires_in (60-86400 s) and the merchant TTL', () => {
    shop = openShop()
    const a = shop.engine.sessions.create({ ...base, orderId: 'a', amount: '1.00', expiresIn: 60 }).session
    expect(a.expires_at - a.created_at).toBe(60)
    // Out-of-range expires_in never reaches the engine: the request schemas refuse it (schemas.test.ts).
    shop.engine.merchants.upsert({
      id: 'merchant_123',
      name: 'Corner Cafe',
      currency: 'USD',
      receive: { mode: 'address', address: SHOP_ADDRESS },
      sessionTtlSeconds: 300,
    })
    const c = shop.engine.sessions.create({ ...base, orderId: 'c', amount: '1.00' }).session
    expect(c.expires_at - c.created_at).toBe(300)
  })

  it('rejects bad input with a named parameter and writes nothing', () => {
    shop = openShop()
    const before = [count('sessions'), count('payment_options'), count('session_timeline')]
    const cases: Array<[Partial<Parameters<typeof shop.engine.sessions.create>[0]>, string]> = [
      [{ amount: '-1.00' }, 'amount'],
      [{ amount: '0' }, 'amount'],
      [{ amount: '0.00' }, 'amount'],
      [{ amount: '1.001' }, 'amount'],
      [{ amount: '1e5' }, 'amount'],
      [{ amount: '1234567890123' }, 'amount'],
      [{ amount: ' 1.00' }, 'amount'],
      [{ amount: 'NaN' }, 'amount'],
      [{ currency: 'XYZ' }, 'currency'],
      [{ currency: 'usd' }, 'currency'],
      // The order id's and metadata's form are checked by the request schemas before a create (schemas.test.ts).
    ]
    for (const [patch, param] of cases) {
      let caught: unknown
      try {
        shop.engine.sessions.create({ ...base, orderId: 'ok', amount: '1.00', ...patch })
      } catch (error) {
        caught = error
      }
      expect(caught, JSON.stringify(patch)).toBeInstanceOf(EngineError)
      expect((caught as EngineError).param, JSON.stringify(patch)).toBe(param)
      expect((caught as EngineError).code).toBe('parameter_invalid')
    }
    expect([count('sessions'), count('payment_options'), count('session_timeline')]).toEqual(before)
  })

  it('an unknown merchant is a 404-type error', () => {
    shop = openShop()
    expect(() => shop.engine.sessions.create({ ...base, merchantId: 'nobody', orderId: 'a', amount: '1.00' })).toThrow(/no merchant/)
  })
})

describe('automatic currency conversion', () => {
  it('converts EUR and JPY exactly at the locked rate, rounded half-up to cents', () => {
    shop = openShop()
    shop.engine.rates.setManual('EUR', '1.08')
    shop.engine.rates.setManual('JPY', '0.0066')
    const eur = shop.engine.sessions.create({ ...base, orderId: 'e', amount: '100.50', currency: 'EUR' }).session
    expect(eur).toMatchObject({ amount: '100.50', currency: 'EUR', exchange_rate: '1.08', amount_usd: '108.54' })
    expect(eur.rate_locked_at).toBe(eur.created_at)
    expect(eur.payment_options[0]!.amount_base_units).toBe('108540000')
    expect(eur.payment_options[1]!.amount_base_units).toBe('108540000000000000000')
    const jpy = shop.engine.sessions.create({ ...base, orderId: 'j', amount: '1500', currency: 'JPY' }).session
    expect(jpy).toMatchObject({ amount: '1500', exchange_rate: '0.0066', amount_usd: '9.90' })
    expect(() => shop.engine.sessions.create({ ...base, orderId: 'j2', amount: '1500.5', currency: 'JPY' })).toThrow(/JPY allows none/)
    // 1 JPY * 0.0066 = 0.0066 USD rounds to 0.01 (half-up from 0.66 cent)
    expect(shop.engine.sessions.create({ ...base, orderId: 'j3', amount: '1', currency: 'JPY' }).session.amount_usd).toBe('0.01')
  })

  it('shows a cross rate at 12 decimals but converts the largest JPY price with the exact one', () => {
    shop = openShop()
    // What a refresh stores for ECB figures USD 1.0812 and JPY 162.45 per EUR.
    const now = Math.floor(shop.clock.now() / 1000)
    shop.engine.db
      .prepare("INSERT INTO rates (currency, source, usd_per_unit, as_of, fetched_at) VALUES ('JPY', 'provider', '1.0812/162.45', ?, ?)")
      .run(now, now)
    const jpy = shop.engine.sessions.create({ ...base, orderId: 'max', amount: '999999999999', currency: 'JPY' }).session
    // 999999999999 x 1.0812 / 162.45 = 6655586334.25003...; the shown rate would give 6655586333.99.
    expect(jpy).toMatchObject({ exchange_rate: '0.006655586334', amount_usd: '6655586334.25' })
  })

  it('refuses a stale provider rate with 409 rate_stale and a missing rate with rate_unavailable', () => {
    shop = openShop()
    const now = Math.floor(shop.clock.now() / 1000)
    shop.engine.db
      .prepare(`INSERT INTO rates (currency, source, usd_per_unit, as_of, fetched_at) VALUES ('GBP', 'provider', '1.27', ?, ?)`)
      .run(now - 5 * 86400, now - 5 * 86400)
    const err = (() => {
      try {
        shop.engine.sessions.create({ ...base, orderId: 'g', amount: '10.00', currency: 'GBP' })
      } catch (e) {
        return e as EngineError
      }
    })()
    expect(err).toMatchObject({ type: 'conflict_error', code: 'rate_stale', param: 'currency' })
    expect(() => shop.engine.sessions.create({ ...base, orderId: 'c', amount: '10.00', currency: 'CAD' })).toThrow(/CAD/)
    expect(count('sessions')).toBe(0)
  })
})

describe('unique amounts in address mode', () => {
  it('adds the smallest free suffix per (chain, token, address)', () => {
    shop = openShop()
    const a = shop.engine.sessions.create({ ...base, orderId: 'a', amount: '5.00' }).session
    const b = shop.engine.sessions.create({ ...base, orderId: 'b', amount: '5.00' }).session
    const c = shop.engine.sessions.create({ ...base, orderId: 'c', amount: '5.00' }).session
    expect([a, b, c].map((s) => s.payment_options[0]!.amount_base_units)).toEqual(['5000000', '5000001', '5000002'])
    expect(b.payment_options[0]!.amount).toBe('5.000001')
    expect(b.payment_options[1]!.amount_base_units).toBe('5000000000000000001')
  })

  it('keeps an ended session’s amount reserved through the late window, then frees it', () => {
    shop = openShop({ lateWindowSeconds: 3600 })
    const a = shop.engine.sessions.create({ ...base, orderId: 'a', amount: '5.00' }).session
    shop.engine.sessions.cancel(a.id, { merchantId: 'merchant_123' })
    const b = shop.engine.sessions.create({ ...base, orderId: 'b', amount: '5.00' }).session
    expect(b.payment_options[0]!.amount_base_units).toBe('5000001')
    shop.clock.advance(3601 * 1000)
    shop.engine.sessions.expireDue() // the engine's one-second tick also releases lapsed holds
    const c = shop.engine.sessions.create({ ...base, orderId: 'c', amount: '5.00' }).session
    expect(c.payment_options[0]!.amount_base_units).toBe('5000000')
  })

  it('the database itself refuses two active reservations of one amount', () => {
    shop = openShop()
    const a = shop.engine.sessions.create({ ...base, orderId: 'a', amount: '5.00' }).session
    const opt = shop.engine.db.prepare('SELECT * FROM payment_options WHERE session_seq = ? LIMIT 1').get(seqOf(a.id)) as Record<
      string,
      unknown
    >
    expect(() =>
      shop.engine.db
        .prepare(
          `INSERT INTO payment_options (session_seq, kind, chain_id, token_symbol, token_address, decimals, address, base_amount, suffix, amount)
           VALUES (@session_seq, 'payment', @chain_id, @token_symbol, @token_address, @decimals, @address, @base_amount, 7, @amount)`,
        )
        .run(opt),
    ).toThrow(/UNIQUE/)
  })

  it('a thousand sessions at one price all get distinct amounts', () => {
    shop = openShop()
    const amounts = new Set<string>()
    for (let i = 0; i < 1000; i++)
      amounts.add(shop.engine.sessions.create({ ...base, orderId: `o${i}`, amount: '9.99' }).session.payment_options[0]!.amount_base_units)
    expect(amounts.size).toBe(1000)
    expect([...amounts].sort((x, y) => Number(BigInt(x) - BigInt(y)))[999]).toBe('9990999')
  })
})

describe('xpub mode', () => {
  it('pays session i to child i, persisted and never reused', () => {
    shop = openShop({ receive: { mode: 'xpub', xpub: ANVIL_XPUB } })
    const a = shop.engine.sessions.create({ ...base, orderId: 'a', amount: '5.00' }).session
    const b = shop.engine.sessions.create({ ...base, orderId: 'b', amount: '5.00' }).session
    expect(a.payment_options.map((o) => o.address)).toEqual([ANVIL_ADDRESSES[0], ANVIL_ADDRESSES[0]])
    expect(b.payment_options[0]!.address).toBe(ANVIL_ADDRESSES[1])
    // A fresh address needs no suffix.
    expect(b.payment_options[0]!.amount_base_units).toBe('5000000')
    shop.engine.sessions.cancel(b.id, { merchantId: 'merchant_123' })
    const c = shop.engine.sessions.create({ ...base, orderId: 'c', amount: '5.00' }).session
    expect(c.payment_options[0]!.address).not.toBe(ANVIL_ADDRESSES[1])
    expect((shop.engine.db.prepare('SELECT next_child_index FROM merchants').get() as { next_child_index: number }).next_child_index).toBe(
      3,
    )
  })

  it('refuses a bad xpub for the merchant with a clear reason and saves nothing', () => {
    shop = openShop()
    expect(() =>
      shop.engine.merchants.upsert({
        id: 'merchant_123',
        name: 'Corner Cafe',
        currency: 'USD',
        receive: { mode: 'xpub', xpub: ANVIL_XPUB.slice(0, -1) + 'x' },
      }),
    ).toThrow(/not a valid xpub/)
    expect(shop.engine.merchants.get('merchant_123').receive).toEqual({ mode: 'address', address: SHOP_ADDRESS })
  })
})

describe('one live session per order', () => {
  it('returns the live session, refuses a completed order, and starts anew after expiry or cancel', () => {
    shop = openShop()
    const first = shop.engine.sessions.create({ ...base, orderId: 'order_1', amount: '3.00' })
    const again = shop.engine.sessions.create({ ...base, orderId: 'order_1', amount: '3.00' })
    expect(again.created).toBe(false)
    expect(again.session.id).toBe(first.session.id)

    shop.engine.sessions.cancel(first.session.id, { merchantId: 'merchant_123' })
    const second = shop.engine.sessions.create({ ...base, orderId: 'order_1', amount: '3.00' })
    expect(second.created).toBe(true)

    shop.engine.sessions.transaction(() => {
      shop.engine.sessions.transition(seqOf(second.session.id), 'PROCESSING', 'paid')
      shop.engine.sessions.transition(seqOf(second.session.id), 'COMPLETED', 'confirmed')
    })
    expect(() => shop.engine.sessions.create({ ...base, orderId: 'order_1', amount: '3.00' })).toThrow(
      expect.objectContaining({ code: 'order_completed' }),
    )
  })
})

describe('the state machine', () => {
  const all = [...SESSION_STATUSES]
  for (const from of all) {
    for (const to of all) {
      const legal = TRANSITIONS[from].includes(to)
      it(`${from} → ${to} is ${legal ? 'applied' : 'refused'}`, () => {
        shop = openShop()
        const id = sessionIn(from)
        const timelineBefore = shop.engine.sessions.timeline(id, { merchantId: 'merchant_123' }).length
        const eventsBefore = count('events')
        const attempt = () => shop.engine.sessions.transaction(() => shop.engine.sessions.transition(seqOf(id), to, 'test'))
        if (legal) {
          attempt()
          expect(shop.engine.sessions.get(id, { merchantId: 'merchant_123' }).status).toBe(to)
          expect(shop.engine.sessions.timeline(id, { merchantId: 'merchant_123' })).toHaveLength(timelineBefore + 1)
        } else {
          expect(attempt).toThrow(expect.objectContaining({ code: 'illegal_transition' }))
          expect(shop.engine.sessions.get(id, { merchantId: 'merchant_123' }).status).toBe(from)
          expect(shop.engine.sessions.timeline(id, { merchantId: 'merchant_123' })).toHaveLength(timelineBefore)
          expect(count('events')).toBe(eventsBefore)
        }
      })
    }
  }

  it('writes one outbox event per status change, carrying the session as the API shows it', () => {
    shop = openShop()
    const id = sessionIn('COMPLETED')
    const events = shop.engine.db.prepare('SELECT type, body FROM events WHERE session_id = ? ORDER BY seq').all(id) as Array<{
      type: string
      body: string
    }>
    expect(events.map((e) => e.type)).toEqual(['payment.processing', 'payment.completed'])
    const body = JSON.parse(events[1]!.body)
    expect(body).toMatchObject({ type: 'payment.completed', livemode: false, data: { object: { id, status: 'COMPLETED' } } })
    expect(body.id).toMatch(/^evt_/)
  })

  it('cancel is allowed only from PENDING', () => {
    shop = openShop()
    const id = sessionIn('PROCESSING')
    expect(() => shop.engine.sessions.cancel(id, { merchantId: 'merchant_123' })).toThrow(
      expect.objectContaining({ code: 'session_not_cancellable' }),
    )
    const other = sessionIn('PENDING')
    expect(shop.engine.sessions.cancel(other, { merchantId: 'merchant_123' }).status).toBe('CANCELLED')
  })
})

describe('automatic expiry', () => {
  it('expires PENDING sessions at expires_at (payment.expired) but not a fully paid one awaiting confirmations', () => {
    shop = openShop()
    const pending = shop.engine.sessions.create({ ...base, orderId: 'p', amount: '1.00' }).session
    const paid = shop.engine.sessions.create({ ...base, orderId: 'q', amount: '1.00' }).session
    shop.engine.db.prepare(`UPDATE sessions SET amount_due = '1000000', amount_paid = '1000000' WHERE id = ?`).run(paid.id)
    shop.engine.sessions.transaction(() => shop.engine.sessions.transition(seqOf(paid.id), 'PROCESSING', 'paid'))
    shop.clock.advance(899_000)
    expect(shop.engine.sessions.expireDue()).toBe(0)
    shop.clock.advance(1000)
    expect(shop.engine.sessions.expireDue()).toBe(1)
    expect(shop.engine.sessions.get(pending.id, { merchantId: 'merchant_123' }).status).toBe('EXPIRED')
    expect(shop.engine.sessions.get(paid.id, { merchantId: 'merchant_123' }).status).toBe('PROCESSING')
    const types = shop.engine.db.prepare('SELECT type FROM events WHERE session_id = ?').pluck().all(pending.id) as string[]
    expect(types).toEqual(['payment.expired'])
  })

  it('expires a still-underpaid PROCESSING session with payment.failed', () => {
    shop = openShop()
    const s = shop.engine.sessions.create({ ...base, orderId: 'u', amount: '1.00' }).session
    shop.engine.db.prepare(`UPDATE sessions SET amount_due = '1000000', amount_paid = '400000' WHERE id = ?`).run(s.id)
    shop.engine.sessions.transaction(() => shop.engine.sessions.transition(seqOf(s.id), 'PROCESSING', 'underpaid'))
    shop.clock.advance(900_000)
    expect(shop.engine.sessions.expireDue()).toBe(1)
    const types = shop.engine.db.prepare('SELECT type FROM events WHERE session_id = ? ORDER BY seq').pluck().all(s.id)
    expect(types).toEqual(['payment.processing', 'payment.failed'])
  })
})

describe('listing', () => {
  it('is newest first with cursors and filters, scoped to merchant and mode', () => {
    shop = openShop()
    const ids: string[] = []
    for (let i = 0; i < 25; i++) {
      ids.push(shop.engine.sessions.create({ ...base, orderId: `o${i}`, amount: '1.00' }).session.id)
      shop.clock.advance(1000)
    }
    shop.engine.sessions.cancel(ids[3]!, { merchantId: 'merchant_123' })
    const scope = { merchantId: 'merchant_123', livemode: false }
    const page1 = shop.engine.sessions.list(scope, {})
    expect(page1.data).toHaveLength(20)
    expect(page1.data[0]!.id).toBe(ids[24])
    expect(page1.has_more).toBe(true)
    const page2 = shop.engine.sessions.list(scope, { starting_after: page1.next_cursor! })
    expect(page2.data.map((s) => s.id)).toEqual(ids.slice(0, 5).reverse())
    expect(page2).toMatchObject({ has_more: false, next_cursor: null })
    expect(shop.engine.sessions.list(scope, { status: 'CANCELLED' }).data.map((s) => s.id)).toEqual([ids[3]])
    expect(shop.engine.sessions.list(scope, { order_id: 'o7' }).data.map((s) => s.id)).toEqual([ids[7]])
    const t10 = shop.engine.sessions.get(ids[10]!, scope).created_at
    expect(shop.engine.sessions.list(scope, { created_gte: t10, created_lt: t10 + 3 }).data.map((s) => s.id)).toEqual([
      ids[12],
      ids[11],
      ids[10],
    ])
    expect(shop.engine.sessions.list(scope, { search: ids[5]! }).data.map((s) => s.id)).toEqual([ids[5]])
    expect(shop.engine.sessions.list({ ...scope, livemode: true }, {}).data).toEqual([])
    expect(shop.engine.sessions.list({ merchantId: 'other' }, {}).data).toEqual([])
    // A limit out of 1-100 never reaches the engine: the request schemas refuse it (schemas.test.ts).
    expect(() => shop.engine.sessions.get(ids[0]!, { merchantId: 'other' })).toThrow(expect.objectContaining({ code: 'resource_missing' }))
  })
})

describe('suffix search after releases', () => {
  it('fills the lowest gap left by a released reservation, then continues past the top', () => {
    shop = openShop({ lateWindowSeconds: 60 })
    const ids = ['a', 'b', 'c', 'd'].map((o) => shop.engine.sessions.create({ ...base, orderId: o, amount: '5.00' }).session.id)
    shop.engine.sessions.cancel(ids[1]!, { merchantId: 'merchant_123' }) // frees 5.000001 after the late window
    shop.clock.advance(61_000)
    shop.engine.sessions.expireDue()
    const e = shop.engine.sessions.create({ ...base, orderId: 'e', amount: '5.00' }).session
    expect(e.payment_options[0]!.amount_base_units).toBe('5000001')
    const f = shop.engine.sessions.create({ ...base, orderId: 'f', amount: '5.00' }).session
    expect(f.payment_options[0]!.amount_base_units).toBe('5000004')
    const usdcHeld = shop.engine.db
      .prepare(`SELECT amount FROM payment_options WHERE token_symbol = 'USDC' AND active = 1 ORDER BY CAST(amount AS INTEGER)`)
      .pluck()
      .all()
    expect(new Set(usdcHeld).size).toBe(usdcHeld.length)
  })
})

describe('the reserved-amount index (numeric order over text amounts)', () => {
  it('a 2-decimal token has no room below the cent: a second open sale at one price is refused, never asked a cent more', () => {
    shop = openShop()
    shop.engine.networks.update({
      chainId: 31337,
      tokens: [
        { symbol: 'USDC', address: USDC6, decimals: 6 },
        { symbol: 'GUSD', address: '0x056fd409e1d7a124bd7017459dfea2f387b6d5cd', decimals: 2 },
      ],
    })
    const gusd = (orderId: string, amount: string) =>
      shop.engine.sessions.create({ ...base, orderId, amount, token: 'GUSD' }).session.payment_options[0]!.amount_base_units
    expect(gusd('a', '99.99')).toBe('9999')
    expect(() => gusd('b', '99.99')).toThrow(expect.objectContaining({ type: 'conflict_error', code: 'amount_space_exhausted' }))
    expect(gusd('c', '100.00')).toBe('10000') // one more digit: "10000" sorts before "9999" as text
    expect(() => gusd('d', '100.00')).toThrow(expect.objectContaining({ code: 'amount_space_exhausted' }))
    expect(gusd('e', '100.01')).toBe('10001')
  })

  it('neighbouring prices never share an amount, and a second hold on one amount is refused by the database', () => {
    shop = openShop()
    const amounts = ['5.00', '5.00', '5.01', '5.00'].map(
      (amount, i) => shop.engine.sessions.create({ ...base, orderId: `p${i}`, amount }).session.payment_options[0]!.amount_base_units,
    )
    expect(amounts).toEqual(['5000000', '5000001', '5010000', '5000002'])
    // The database itself refuses a second hold on an amount (the guard is the UNIQUE index, not this code).
    const seq = seqOf(shop.engine.sessions.list({ merchantId: 'merchant_123' }, { limit: 1 }).data[0]!.id)
    expect(() =>
      shop.engine.db
        .prepare(
          `INSERT INTO payment_options (session_seq, kind, chain_id, token_symbol, token_address, decimals, address, base_amount, suffix, amount)
           VALUES (?, 'payment', 31337, 'USDC', ?, 6, ?, '5000000', 1, '5000001')`,
        )
        .run(seq, USDC6, SHOP_ADDRESS),
    ).toThrow(/UNIQUE/)
  })

  it('a second live session for one order is refused by the database too; a finished one is not in the way', () => {
    shop = openShop()
    const first = shop.engine.sessions.create({ ...base, orderId: 'dup', amount: '1.00' }).session
    const row = shop.engine.sessions.rowById(first.id)!
    const insertSame = () =>
      shop.engine.db
        .prepare(
          `INSERT INTO sessions (id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at, usd_cents,
             required_confirmations, updated_at) VALUES (?, 'merchant_123', 0, 'dup', 100, 'USD', '{}', 'PENDING', 0, 60, 100, 1, 0)`,
        )
        .run(`ps_copy${Math.random()}`)
    expect(insertSame).toThrow(/UNIQUE/)
    shop.engine.sessions.cancel(first.id, { merchantId: 'merchant_123' })
    expect(insertSame).not.toThrow()
    expect(shop.engine.sessions.rowById(row.id)!.status).toBe('CANCELLED')
  })
})

describe('search by pay address', () => {
  it('finds the sale whose xpub child address it is; the shop’s one address in address mode picks out nothing', () => {
    shop = openShop({ receive: { mode: 'xpub', xpub: ANVIL_XPUB } })
    const scope = { merchantId: 'merchant_123' }
    const ids = ['x0', 'x1', 'x2'].map((o) => shop.engine.sessions.create({ ...base, orderId: o, amount: '2.00' }).session.id)
    expect(shop.engine.sessions.list(scope, { search: ANVIL_ADDRESSES[1]!.toLowerCase() }).data.map((s) => s.id)).toEqual([ids[1]])
    shop.close()

    shop = openShop()
    shop.engine.sessions.create({ ...base, orderId: 'a0', amount: '2.00' })
    expect(shop.engine.sessions.list(scope, { search: SHOP_ADDRESS }).data).toEqual([])
  })
})

describe('review fixes', () => {
  it('a built-in mainnet cannot be relabelled as a testnet (test keys would take real money)', () => {
    shop = openShop()
    expect(() => shop.engine.networks.update({ chainId: 1, testnet: true })).toThrow(/Ethereum is a mainnet/)
    expect(shop.engine.networks.find(1)).toBeNull()
  })

  it('asking again for a live order returns it even after its currency’s rate went stale', () => {
    shop = openShop()
    const now = Math.floor(shop.clock.now() / 1000)
    shop.engine.db
      .prepare(`INSERT INTO rates (currency, source, usd_per_unit, as_of, fetched_at) VALUES ('GBP', 'provider', '1.27', ?, ?)`)
      .run(now, now)
    const first = shop.engine.sessions.create({ ...base, orderId: 'gbp-1', amount: '10.00', currency: 'GBP' })
    shop.clock.advance(5 * 86400 * 1000)
    const again = shop.engine.sessions.create({ ...base, orderId: 'gbp-1', amount: '10.00', currency: 'GBP' })
    expect(again).toMatchObject({ created: false, session: { id: first.session.id } })
  })

  it('a push listener that throws does not make a committed change look failed', () => {
    shop = openShop()
    shop.engine.events.on('session:updated', () => {
      throw new Error('listener broke')
    })
    const { session } = shop.engine.sessions.create({ ...base, orderId: 'l', amount: '1.00' })
    expect(shop.engine.sessions.get(session.id, { merchantId: 'merchant_123' }).status).toBe('PENDING')
  })

  it('a session paid late and open again holds its amounts while open', () => {
    shop = openShop({ lateWindowSeconds: 60 })
    const id = sessionIn('EXPIRED')
    shop.engine.sessions.transaction(() => shop.engine.sessions.transition(seqOf(id), 'PROCESSING', 'paid late'))
    const holds = shop.engine.db.prepare('SELECT held_until FROM payment_options WHERE session_seq = ?').pluck().all(seqOf(id))
    expect(holds).toEqual([null, null])
  })
})

describe('two connections to one shop file', () => {
  it('interleaved creates at one price never share an amount: the database arbitrates, not the process', () => {
    shop = openShop()
    const other = createEngine({ dataDir: shop.dir, clock: shop.clock })
    try {
      const amounts: string[] = []
      for (let i = 0; i < 40; i++) {
        const engine = i % 2 === 0 ? shop.engine : other
        amounts.push(engine.sessions.create({ ...base, orderId: `two-${i}`, amount: '3.00' }).session.payment_options[0]!.amount_base_units)
      }
      expect(new Set(amounts).size).toBe(40)
    } finally {
      other.close()
    }
  })
})
