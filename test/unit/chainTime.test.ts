/**
 * Matching and the late-payment window in chain time: the watcher measures how
 * far the till's clock is from the chain's block times and hands it over with
 * each scan (`tillAheadSeconds`); a sale's times were written by the till's
 * clock. Real engine and SQLite file, transfers as the watcher reports them.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { PaymentSession } from '../../src-preload/contract'
import { nowSeconds } from '../../src-main/engine'
import type { ObservedTransfer } from '../../src-main/engine/payments'
import { Payments } from '../../src-main/engine/payments'
import type { Shop } from './engineFixture'
import { openShop, SHOP_ADDRESS, USDC6 } from './engineFixture'

const CHAIN = 31337
const base = { merchantId: 'merchant_123', livemode: false, currency: 'USD' }
const FAST = 900

let shop: Shop
let payments: Payments
let n = 0
afterEach(() => shop?.close())

function open(): void {
  shop = openShop()
  const { engine } = shop
  payments = new Payments({ db: engine.db, clock: shop.clock, events: engine.events, sessions: engine.sessions })
}

function transfer(amount: bigint, blockTimestamp: number): ObservedTransfer {
  n++
  return {
    chainId: CHAIN,
    txHash: `0x${n.toString(16).padStart(64, '0')}`,
    logIndex: 0,
    tokenAddress: USDC6,
    from: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    to: SHOP_ADDRESS,
    amount,
    blockNumber: 100 + n,
    blockHash: `0x${(100 + n).toString(16).padStart(64, 'a')}`,
    blockTimestamp,
  }
}

function observe(t: ObservedTransfer, tillAheadSeconds?: number): void {
  payments.observe({
    chainId: CHAIN,
    head: t.blockNumber,
    transfers: [t],
    canonical: new Map([[t.blockNumber, t.blockHash]]),
    tillAheadSeconds,
  })
}

const sale = (amount: string): PaymentSession =>
  shop.engine.sessions.create({ ...base, orderId: `o-${++n}`, amount, expiresIn: 900 }).session
const get = (id: string): PaymentSession => shop.engine.sessions.get(id, { merchantId: 'merchant_123' })
const exact = (s: PaymentSession): bigint => BigInt(s.payment_options[0]!.amount_base_units)
const chainNow = (tillAhead: number): number => nowSeconds(shop.clock) - tillAhead

describe('a till whose clock is 15 minutes fast', () => {
  it('credits an exact payment made right after the sale (its block is 15 minutes "before" the sale by the till)', () => {
    open()
    const s = sale('12.00')
    observe(transfer(exact(s), chainNow(FAST) + 3), FAST)
    expect(get(s.id)).toMatchObject({ status: 'COMPLETED', exceptions: [] })
  })

  it('still credits nothing older than the sale: a transfer from an hour before it stays unmatched', () => {
    open()
    const s = sale('13.00')
    observe(transfer(exact(s), chainNow(FAST) - 3600), FAST)
    expect(get(s.id)).toMatchObject({ status: 'PENDING', amount_paid_base_units: '0' })
  })

  it('flags a payment made a minute after expiry as late, though its block time is before the till says it expired', () => {
    open()
    const s = sale('14.00')
    shop.clock.advance(961_000)
    shop.engine.sessions.expireDue()
    observe(transfer(exact(s), chainNow(FAST)), FAST)
    expect(get(s.id)).toMatchObject({ status: 'COMPLETED', exceptions: ['paid_late'] })
  })
})

describe('a till whose clock is 15 minutes slow', () => {
  it('does not flag a payment made before expiry as late, though its block time is after the till says it expired', () => {
    open()
    const s = sale('15.00')
    shop.clock.advance(840_000)
    // A minute before the sale expires, by chain time 15 minutes ahead of the till.
    const t = transfer(exact(s), chainNow(-FAST))
    shop.clock.advance(120_000)
    shop.engine.sessions.expireDue()
    observe(t, -FAST)
    expect(get(s.id)).toMatchObject({ status: 'COMPLETED', exceptions: [] })
  })
})
