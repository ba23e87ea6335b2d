import { afterEach, describe, expect, it } from 'vitest'
import type { PaymentSession, Transfer } from '../../src-preload/contract'
import { EngineError, nowSeconds } from '../../src-main/engine'
import type { CanonicalHashes, ChainObservation, ObservedTransfer } from '../../src-main/engine/payments'
import { normalize, Payments } from '../../src-main/engine/payments'
import type { Shop } from './engineFixture'
import { openShop, SHOP_ADDRESS, USDC6, USDT18 } from './engineFixture'
import { ANVIL_ADDRESSES, ANVIL_XPUB } from './fixtures-xpub'

const CHAIN = 31337
const PAYER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const base = { merchantId: 'merchant_123', livemode: false, currency: 'USD' }

let shop: Shop
let payments: Payments
let txCounter = 0
afterEach(() => shop?.close())

function open(opts: Parameters<typeof openShop>[0] & { confirmations?: number } = {}): void {
  shop = openShop(opts)
  chainBlocks = new Map()
  if (opts.confirmations !== undefined) shop.engine.networks.update({ chainId: CHAIN, confirmations: opts.confirmations })
  const { engine } = shop
  payments = new Payments({ db: engine.db, clock: shop.clock, events: engine.events, sessions: engine.sessions })
}

const hashOf = (block: number, fork = 'a'): string => `0x${fork.repeat(8)}${block.toString(16).padStart(56, '0')}`
const now = (): number => nowSeconds(shop.clock)

function transfer(over: Partial<ObservedTransfer> & { amount: bigint }): ObservedTransfer {
  txCounter++
  const blockNumber = over.blockNumber ?? 100
  return {
    chainId: CHAIN,
    txHash: `0x${txCounter.toString(16).padStart(64, '0')}`,
    logIndex: 0,
    tokenAddress: USDC6,
    from: PAYER,
    to: SHOP_ADDRESS,
    blockNumber,
    blockHash: hashOf(blockNumber),
    blockTimestamp: now(),
    ...over,
  }
}

// The test's chain: every block a transfer was seen in, minus what a reorg removed.
let chainBlocks = new Map<number, string>()

/** One scan. By default every block of the test chain is known canonical (as after the watcher's proof step). */
function observe(transfers: ObservedTransfer[], head: number, extra: Partial<ChainObservation> = {}): ReturnType<Payments['observe']> {
  if (extra.orphanAbove !== undefined && extra.orphanAbove !== null)
    for (const n of [...chainBlocks.keys()]) if (n > extra.orphanAbove) chainBlocks.delete(n)
  for (const t of transfers) chainBlocks.set(t.blockNumber, t.blockHash)
  return payments.observe({ chainId: CHAIN, head, transfers, canonical: new Map(chainBlocks), ...extra })
}

function sale(amount: string, over: Partial<Parameters<Shop['engine']['sessions']['create']>[0]> = {}): PaymentSession {
  return shop.engine.sessions.create({ ...base, orderId: `order-${++txCounter}`, amount, ...over }).session
}

const get = (id: string): PaymentSession => shop.engine.sessions.get(id, { merchantId: 'merchant_123' })
const eventsOf = (id: string): string[] =>
  shop.engine.db.prepare('SELECT type FROM events WHERE session_id = ? ORDER BY seq').pluck().all(id) as string[]
const timelineOf = (id: string): string[] =>
  shop.engine.sessions.timeline(id, { merchantId: 'merchant_123' }).map((t) => `${t.from_status ?? '-'}>${t.to_status}`)
const usdc = (s: PaymentSession): bigint => BigInt(s.payment_options[0]!.amount_base_units)

describe('the schema (watcher)', () => {
  it('has the cursor and recent-block tables and the indexes crediting relies on', () => {
    open()
    const names = shop.engine.db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'index')`).pluck().all() as string[]
    expect(names).toEqual(expect.arrayContaining(['chain_cursors', 'chain_blocks', 'transfers_pending']))
    // Exact-amount matching reads active holds in one index and released ones in another.
    expect(names).toEqual(expect.arrayContaining(['payment_options_reserved', 'payment_options_released']))
    // STRICT: a block number stored as text is refused, not silently coerced.
    expect(() => shop.engine.db.prepare(`INSERT INTO chain_cursors VALUES (1, 'x', '0x', 0)`).run()).toThrow()
  })
})

describe('an exact payment', () => {
  it('with 1 confirmation moves PENDING → PROCESSING → COMPLETED in one commit, with both events', () => {
    open()
    const s = sale('12.34')
    const pushed: PaymentSession[] = []
    shop.engine.events.on('session:updated', (p) => pushed.push(p))
    observe([transfer({ amount: usdc(s), blockNumber: 100 })], 100)
    const done = get(s.id)
    expect(done.status).toBe('COMPLETED')
    expect(eventsOf(s.id)).toEqual(['payment.processing', 'payment.completed'])
    expect(timelineOf(s.id)).toEqual(['->PENDING', 'PENDING>PROCESSING', 'PROCESSING>COMPLETED'])
    expect(done.amount_paid_base_units).toBe('12340000')
    expect(done.confirmations).toBe(1)
    expect(done.exceptions).toEqual([])
    expect(done.transactions[0]!.state).toBe('confirmed')
    // One commit: the UI hears the final state once.
    expect(pushed.map((p) => p.status)).toEqual(['COMPLETED'])
  })

  it('counts confirmations block by block and completes at the chain’s number, one event per status change', () => {
    open({ confirmations: 3 })
    const s = sale('5.00')
    const t = transfer({ amount: usdc(s), blockNumber: 200 })
    observe([t], 200)
    expect(get(s.id)).toMatchObject({ status: 'PROCESSING', confirmations: 1, required_confirmations: 3 })
    observe([], 201, { canonical: new Map([[201, hashOf(201)]]) })
    expect(get(s.id)).toMatchObject({ status: 'PROCESSING', confirmations: 2 })
    // Third confirmation, and the transfer's block is re-proven canonical in the same scan.
    observe([], 202, { canonical: new Map([[200, t.blockHash]]) })
    expect(get(s.id)).toMatchObject({ status: 'COMPLETED', confirmations: 3 })
    expect(eventsOf(s.id)).toEqual(['payment.processing', 'payment.completed'])
  })

  it('is recorded exactly once, however often it is seen', () => {
    open({ confirmations: 2 })
    const s = sale('5.00')
    const t = transfer({ amount: usdc(s), blockNumber: 10 })
    expect(observe([t], 10).recorded).toBe(1)
    expect(observe([t], 10).recorded).toBe(0)
    expect(observe([t, t], 10).recorded).toBe(0)
    expect(shop.engine.db.prepare('SELECT count(*) FROM transfers').pluck().get()).toBe(1)
    expect(get(s.id).amount_paid_base_units).toBe(usdc(s).toString())
    expect(eventsOf(s.id)).toEqual(['payment.processing'])
  })

  it('never completes on a block it cannot prove canonical, and completes once it can', () => {
    open({ confirmations: 2 })
    const s = sale('7.00')
    const t = transfer({ amount: usdc(s), blockNumber: 50 })
    observe([t], 50)
    const result = observe([], 51, { canonical: new Map([[51, hashOf(51)]]) })
    expect(result.proofsNeeded).toEqual([{ sessionSeq: expect.any(Number), chainId: CHAIN, blockNumber: 50, blockHash: t.blockHash }])
    expect(get(s.id).status).toBe('PROCESSING')
    const seq = result.proofsNeeded[0]!.sessionSeq
    const replaced: CanonicalHashes = new Map([[CHAIN, new Map([[50, hashOf(50, 'b')]])]])
    expect(payments.recheck([seq], replaced)).toHaveLength(1)
    expect(get(s.id).status).toBe('PROCESSING')
    payments.recheck([seq], new Map([[CHAIN, new Map([[50, t.blockHash]])]]))
    expect(get(s.id).status).toBe('COMPLETED')
  })

  it('handles 18-decimal amounts far above 2^63 base units exactly', () => {
    open()
    const s = sale('98765432.10', { token: 'USDT' })
    const amount = BigInt(s.payment_options[0]!.amount_base_units)
    expect(amount).toBe(98765432_100000000000000000n)
    expect(amount > 2n ** 63n).toBe(true)
    observe([transfer({ amount, tokenAddress: USDT18 })], 100)
    const done = get(s.id)
    expect(done.status).toBe('COMPLETED')
    expect(done.amount_paid_base_units).toBe('98765432100000000000000000')
    expect(done.transactions[0]!.amount_base_units).toBe('98765432100000000000000000')
  })
})

describe('exceptions', () => {
  it('underpaid: PROCESSING with a reserved remainder; paying the remainder QR exactly completes and drops `underpaid`', () => {
    open()
    const s = sale('10.00')
    observe([transfer({ amount: 6_000_000n })], 100)
    const under = get(s.id)
    expect(under.status).toBe('PROCESSING')
    expect(under.exceptions).toEqual(['underpaid'])
    expect(under.amount_remaining_base_units).toBe('4000000')
    expect(under.remainder_option).toMatchObject({ amount_base_units: '4000000', amount: '4.00', token: 'USDC' })
    observe([transfer({ amount: 4_000_000n, blockNumber: 101 })], 101)
    const paid = get(s.id)
    expect(paid.status).toBe('COMPLETED')
    expect(paid.exceptions).toEqual(['multiple_payments'])
    expect(paid.amount_paid_base_units).toBe('10000000')
    expect(paid.remainder_option).toBeNull()
    expect(eventsOf(s.id)).toEqual(['payment.processing', 'payment.completed'])
  })

  it('a sale with no free amount left for a remainder QR still records the payment, and the chain keeps crediting others', () => {
    open()
    const flooded = sale('10.00')
    // As if every amount near the remainder were held: reserving one gives up (throwing would stall the chain's scans).
    const reserve = shop.engine.sessions.reserve.bind(shop.engine.sessions)
    shop.engine.sessions.reserve = (args) => {
      if (args.kind === 'remainder') throw new EngineError('api_error', 'amount_space_exhausted', 'could not reserve a unique amount')
      return reserve(args)
    }
    // Another sale, in USDT: the USDC underpayment below then has one open sale to go to (the flooded one).
    const other = sale('3.00', { token: 'USDT' })
    observe([transfer({ amount: 6_000_000n }), transfer({ amount: 3n * 10n ** 18n, tokenAddress: USDT18, logIndex: 1 })], 100)
    const under = get(flooded.id)
    expect(under).toMatchObject({ status: 'PROCESSING', amount_paid_base_units: '6000000', amount_remaining_base_units: '4000000' })
    expect(under.exceptions).toEqual(['underpaid'])
    expect(under.remainder_option).toBeNull()
    expect(get(other.id).status).toBe('COMPLETED')
  })

  it('the remainder amount is unique too, and its suffix is due, so paying it exactly is not overpaid', () => {
    open()
    // Another open sale already holds 4.00 USDC on the shop address.
    const other = sale('4.00')
    const s = sale('10.00')
    observe([transfer({ amount: 6_000_000n })], 100)
    // Two open sessions: a non-exact amount cannot be attributed.
    expect(get(s.id).status).toBe('PENDING')
    shop.engine.sessions.cancel(other.id, { merchantId: 'merchant_123' })
    observe([transfer({ amount: 6_000_001n, blockNumber: 101 })], 101)
    const under = get(s.id)
    // 4.00 is still held by the cancelled sale's late window: the remainder takes the next free suffix.
    expect(under.remainder_option?.amount_base_units).toBe('3999999')
    expect(under.amount_remaining_base_units).toBe('3999999')
    observe([transfer({ amount: 3_999_999n, blockNumber: 102 })], 102)
    const done = get(s.id)
    expect(done.status).toBe('COMPLETED')
    expect(done.exceptions).not.toContain('overpaid')
    expect(done.exceptions).not.toContain('underpaid')
  })

  it('overpaid: the only open sale on the address is credited and completes, flagged', () => {
    open()
    const s = sale('3.00')
    observe([transfer({ amount: 3_500_000n })], 100)
    expect(get(s.id)).toMatchObject({ status: 'COMPLETED', exceptions: ['overpaid'], amount_paid_base_units: '3500000' })
  })

  it('several payments on different tokens of one sale add up, normalised by decimals', () => {
    open({ confirmations: 2 })
    const s = sale('10.00')
    observe([transfer({ amount: 4_000_000n, blockNumber: 100 })], 100)
    // The rest in the 18-decimal token: 6.00 USDT.
    observe([transfer({ amount: 6n * 10n ** 18n, tokenAddress: USDT18, blockNumber: 101 })], 101)
    const s2 = get(s.id)
    expect(s2.amount_paid_base_units).toBe('10000000')
    expect(s2.exceptions).toEqual(['multiple_payments'])
    observe([], 102, {
      canonical: new Map([
        [100, hashOf(100)],
        [101, hashOf(101)],
      ]),
    })
    expect(get(s.id).status).toBe('COMPLETED')
    expect(normalize(1_234_567_890_123_456_789n, 18, 6)).toBe(1_234_567n)
  })

  it('a payment found after expiry but made before it is on time; one made within the late window is `paid_late`', () => {
    open()
    const onTime = sale('2.00')
    const late = sale('3.00')
    const madeAt = now() + 10
    shop.clock.advance(901_000)
    shop.engine.sessions.expireDue()
    expect(get(onTime.id).status).toBe('EXPIRED')
    expect(get(late.id).status).toBe('EXPIRED')
    observe(
      [
        transfer({ amount: usdc(onTime), blockTimestamp: madeAt }),
        transfer({ amount: usdc(late), blockTimestamp: late.expires_at + 3600, logIndex: 1 }),
      ],
      100,
    )
    const a = get(onTime.id)
    expect(a.status).toBe('COMPLETED')
    expect(a.exceptions).toEqual([])
    expect(eventsOf(onTime.id)).toEqual(['payment.expired', 'payment.processing', 'payment.completed'])
    const b = get(late.id)
    expect(b.status).toBe('COMPLETED')
    expect(b.exceptions).toEqual(['paid_late'])
    expect(timelineOf(late.id)).toEqual(['->PENDING', 'PENDING>EXPIRED', 'EXPIRED>PROCESSING', 'PROCESSING>COMPLETED'])
    // The reopening event tells the back office what was paid, not the state before this transfer.
    const processing = shop.engine.db
      .prepare(`SELECT body FROM events WHERE session_id = ? AND type = 'payment.processing'`)
      .pluck()
      .get(late.id) as string
    expect(JSON.parse(processing).data.object).toMatchObject({ status: 'PROCESSING', amount_paid_base_units: usdc(late).toString() })
  })

  it('a payment after the late window is unmatched, and the owner can still assign it by hand', () => {
    open({ lateWindowSeconds: 3600 })
    const s = sale('2.00')
    shop.clock.advance(901_000)
    shop.engine.sessions.expireDue()
    const recorded: Transfer[] = []
    shop.engine.events.on('transfer:recorded', (t) => recorded.push(t))
    const t = transfer({ amount: usdc(s), blockTimestamp: s.expires_at + 7200 })
    observe([t], 100)
    expect(get(s.id).status).toBe('EXPIRED')
    expect(recorded).toHaveLength(1)
    expect(recorded[0]).toMatchObject({ session_id: null, amount_base_units: '2000000', tx_hash: t.txHash })
    const scope = { merchantId: 'merchant_123', livemode: false }
    expect(payments.list(scope, { unmatched: true }).map((x) => x.tx_hash)).toEqual([t.txHash])

    const { seq, proofsNeeded } = payments.assign({ chain_id: CHAIN, tx_hash: t.txHash, log_index: 0, session_id: s.id }, scope)
    // Assigned by hand, outside a scan: its block must be proven canonical before it completes.
    expect(get(s.id).status).toBe('PROCESSING')
    expect(proofsNeeded).toEqual([{ sessionSeq: seq, chainId: CHAIN, blockNumber: 100, blockHash: t.blockHash }])
    payments.recheck([seq], new Map([[CHAIN, new Map([[100, t.blockHash]])]]))
    const assigned = get(s.id)
    expect(assigned.status).toBe('COMPLETED')
    expect(assigned.exceptions).toEqual(['paid_late'])
    expect(payments.list(scope, { unmatched: true })).toEqual([])
    expect(recorded.at(-1)).toMatchObject({ session_id: s.id })
    expect(() => payments.assign({ chain_id: CHAIN, tx_hash: t.txHash, log_index: 0, session_id: s.id }, scope)).toThrow(/already/)
  })

  it('an ambiguous amount with two sales open is unmatched (listed), not guessed', () => {
    open()
    const a = sale('1.00')
    const b = sale('1.00')
    observe([transfer({ amount: 1_500_000n })], 100)
    expect(get(a.id).status).toBe('PENDING')
    expect(get(b.id).status).toBe('PENDING')
    const listed = payments.list({ merchantId: 'merchant_123', livemode: false }, { unmatched: true })
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ session_id: null, state: 'confirmed' })
    // Live mode lists only mainnets.
    expect(payments.list({ merchantId: 'merchant_123', livemode: true }, {})).toEqual([])
  })

  it('an unmatched payment to the address the shop used before it changed it is still listed', () => {
    open()
    // Two sales open on the old address: an odd amount there is ambiguous, so it stays unmatched.
    const before = [sale('1.00'), sale('2.00')]
    const NEW_ADDRESS = '0x976EA74026E726554dB657fA54763abd0C3a0aa9'
    shop.engine.merchants.upsert({
      id: 'merchant_123',
      name: 'Corner Cafe',
      currency: 'USD',
      receive: { mode: 'address', address: NEW_ADDRESS },
    })
    sale('1.00')
    observe([transfer({ amount: 7_770_000n, to: SHOP_ADDRESS })], 100)
    const listed = payments.list({ merchantId: 'merchant_123', livemode: false }, { unmatched: true })
    expect(listed.map((t) => [t.to, t.session_id])).toEqual([[SHOP_ADDRESS, null]])
    expect(before.map((b) => get(b.id).status)).toEqual(['PENDING', 'PENDING'])
  })

  it('paid after cancel: stays CANCELLED, flagged for refund, no webhook', () => {
    open()
    const s = sale('4.20')
    shop.engine.sessions.cancel(s.id, { merchantId: 'merchant_123' })
    observe([transfer({ amount: usdc(s) })], 100)
    const c = get(s.id)
    expect(c.status).toBe('CANCELLED')
    expect(c.exceptions).toEqual(['paid_after_cancel'])
    expect(c.amount_paid_base_units).toBe('4200000')
    expect(eventsOf(s.id)).toEqual(['payment.cancelled'])
  })

  it('paid again after completion: stays COMPLETED, flagged multiple_payments', () => {
    open()
    const s = sale('4.20')
    observe([transfer({ amount: usdc(s) })], 100)
    observe([transfer({ amount: usdc(s), blockNumber: 101 })], 101)
    const c = get(s.id)
    expect(c.status).toBe('COMPLETED')
    expect(c.exceptions).toEqual(expect.arrayContaining(['multiple_payments', 'overpaid']))
    expect(c.transactions).toHaveLength(2)
    expect(eventsOf(s.id)).toEqual(['payment.processing', 'payment.completed'])
  })

  it('an order paid on an expired session and on its replacement: both flagged duplicate_order_payment', () => {
    open()
    const first = sale('9.00', { orderId: 'order-dup' })
    shop.clock.advance(901_000)
    shop.engine.sessions.expireDue()
    const second = sale('9.00', { orderId: 'order-dup' })
    observe([transfer({ amount: usdc(second) })], 100)
    expect(get(second.id).status).toBe('COMPLETED')
    // The customer also paid the old QR, within the late window.
    observe([transfer({ amount: usdc(first), blockNumber: 101 })], 101)
    expect(get(first.id).exceptions).toEqual(expect.arrayContaining(['paid_late', 'duplicate_order_payment']))
    expect(get(second.id).exceptions).toContain('duplicate_order_payment')
    expect(get(first.id).status).toBe('COMPLETED')
  })

  it('a late payment on an expired session whose order has a new live session stays EXPIRED, recorded and flagged', () => {
    open()
    const first = sale('9.00', { orderId: 'order-live' })
    shop.clock.advance(901_000)
    shop.engine.sessions.expireDue()
    const second = sale('9.00', { orderId: 'order-live' })
    observe([transfer({ amount: usdc(first) })], 100)
    expect(get(first.id)).toMatchObject({ status: 'EXPIRED', exceptions: ['paid_late'], amount_paid_base_units: '9000000' })
    expect(get(second.id).status).toBe('PENDING')
    observe([transfer({ amount: usdc(second), blockNumber: 101 })], 101)
    expect(get(first.id).exceptions).toContain('duplicate_order_payment')
    expect(get(second.id).exceptions).toContain('duplicate_order_payment')
  })

  it('an underpaid sale that expires fails (payment.failed) and keeps showing what remains', () => {
    open()
    const s = sale('10.00')
    observe([transfer({ amount: 1_000_000n })], 100)
    shop.clock.advance(901_000)
    shop.engine.sessions.expireDue()
    const failed = get(s.id)
    expect(failed.status).toBe('EXPIRED')
    expect(failed.exceptions).toEqual(['underpaid'])
    expect(failed.amount_remaining_base_units).toBe('9000000')
    expect(eventsOf(s.id)).toEqual(['payment.processing', 'payment.failed'])
  })
})

describe('reorgs', () => {
  it('a transfer reorged out sends the sale back to PENDING (no webhook); re-included, it goes on', () => {
    open({ confirmations: 2 })
    const s = sale('5.00')
    const t = transfer({ amount: usdc(s), blockNumber: 300 })
    observe([t], 300)
    expect(get(s.id).status).toBe('PROCESSING')
    observe([], 300, { orphanAbove: 299, canonical: new Map([[299, hashOf(299)]]) })
    const back = get(s.id)
    expect(back).toMatchObject({ status: 'PENDING', amount_paid_base_units: '0', confirmations: 0 })
    expect(back.transactions[0]!.state).toBe('orphaned')
    expect(eventsOf(s.id)).toEqual(['payment.processing'])
    // Never completes on the orphaned transfer, however deep the chain grows.
    observe([], 305, { canonical: new Map([[300, hashOf(300)]]) })
    expect(get(s.id).status).toBe('PENDING')
    // The same log is included again, in a later block.
    const again = { ...t, blockNumber: 306, blockHash: hashOf(306, 'c') }
    observe([again], 307)
    const done = get(s.id)
    expect(done.status).toBe('COMPLETED')
    expect(done.transactions).toHaveLength(1)
    expect(done.transactions[0]).toMatchObject({ state: 'confirmed', block_number: 306 })
    expect(timelineOf(s.id)).toEqual([
      '->PENDING',
      'PENDING>PROCESSING',
      'PROCESSING>PENDING',
      'PENDING>PROCESSING',
      'PROCESSING>COMPLETED',
    ])
  })

  it('orphaned and re-included in one scan: the sale stays PROCESSING, no flapping', () => {
    open({ confirmations: 3 })
    const s = sale('5.00')
    const t = transfer({ amount: usdc(s), blockNumber: 400 })
    observe([t], 400)
    observe([{ ...t, blockNumber: 401, blockHash: hashOf(401, 'd'), logIndex: 3 }], 401, { orphanAbove: 399 })
    const s2 = get(s.id)
    expect(s2.status).toBe('PROCESSING')
    expect(s2.exceptions).toEqual([])
    expect(s2.transactions.map((x) => x.state)).toEqual(['orphaned', 'pending'])
    expect(eventsOf(s.id)).toEqual(['payment.processing'])
    expect(timelineOf(s.id)).toEqual(['->PENDING', 'PENDING>PROCESSING'])
  })

  it('reorged out after expiry: EXPIRED with payment.failed', () => {
    open({ confirmations: 5 })
    const s = sale('5.00')
    observe([transfer({ amount: usdc(s), blockNumber: 500 })], 500)
    shop.clock.advance(901_000)
    // Fully paid and waiting for confirmations: it does not expire...
    shop.engine.sessions.expireDue()
    expect(get(s.id).status).toBe('PROCESSING')
    // ...until its payment disappears.
    observe([], 500, { orphanAbove: 499 })
    expect(get(s.id).status).toBe('EXPIRED')
    expect(eventsOf(s.id)).toEqual(['payment.processing', 'payment.failed'])
  })

  it('an underpayment reorged out releases its remainder reservation', () => {
    open()
    const s = sale('10.00')
    observe([transfer({ amount: 2_000_000n, blockNumber: 600 })], 600)
    expect(get(s.id).remainder_option?.amount_base_units).toBe('8000000')
    observe([], 600, { orphanAbove: 599 })
    const back = get(s.id)
    expect(back.status).toBe('PENDING')
    expect(back.exceptions).toEqual([])
    expect(back.remainder_option).toBeNull()
    const active = shop.engine.db.prepare(`SELECT count(*) FROM payment_options WHERE kind = 'remainder' AND active = 1`).pluck().get()
    expect(active).toBe(0)
  })
})

describe('xpub mode', () => {
  it('credits any amount sent to the sale’s own address', () => {
    open({ receive: { mode: 'xpub', xpub: ANVIL_XPUB } })
    const s = sale('8.00')
    const address = s.payment_options[0]!.address
    expect(address).toBe(ANVIL_ADDRESSES[0])
    observe([transfer({ amount: 3_000_000n, to: address })], 100)
    const under = get(s.id)
    expect(under).toMatchObject({ status: 'PROCESSING', exceptions: ['underpaid'] })
    expect(under.remainder_option?.address).toBe(address)
    observe([transfer({ amount: 5_000_000n, to: address, blockNumber: 101 })], 101)
    expect(get(s.id).status).toBe('COMPLETED')
  })
})

describe('catching up over old blocks', () => {
  it('never credits a transfer from before the sale existed, even at its exact amount or as the only open sale', () => {
    open()
    const s = sale('7.00')
    const hourBefore = now() - 3600
    observe([transfer({ amount: usdc(s), blockNumber: 90, blockTimestamp: hourBefore })], 95)
    observe([transfer({ amount: 123n, blockNumber: 91, blockTimestamp: hourBefore, logIndex: 1 })], 95)
    expect(get(s.id)).toMatchObject({ status: 'PENDING', amount_paid_base_units: '0', transactions: [] })
    const unmatched = shop.engine.db.prepare('SELECT count(*) FROM transfers WHERE session_seq IS NULL').pluck().get()
    expect(unmatched).toBe(2)
    // The same amount in a block made after the QR was shown pays it.
    observe([transfer({ amount: usdc(s), blockNumber: 96 })], 96)
    expect(get(s.id).status).toBe('COMPLETED')
  })
})
