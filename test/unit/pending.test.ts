/**
 * "Payment incoming" without a chain: decoding token calls, matching them to
 * open sales on a real engine, and what the session object shows while a
 * pending payment lasts and after it went away. The chain itself is in
 * test/integration/watcher-incoming.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { encodeFunctionData, getAddress, padHex } from 'viem'
import type { Address } from 'viem'
import type { PaymentSession } from '../../src-preload/contract'
import type { RpcTransaction } from '../../src-main/engine/watcher/pending'
import { ChainPending, DEFAULT_PENDING_TUNING, decodePayment, IncomingPayments, PAYMENT_CALLS } from '../../src-main/engine/watcher/pending'
import type { Shop } from './engineFixture'
import { openShop, SHOP_ADDRESS, USDC6, USDT18 } from './engineFixture'
import { ANVIL_ADDRESSES, ANVIL_XPUB } from './fixtures-xpub'
import { viewOf } from '../../src-renderer/src/state/sessionView'
import { incomingLostOf, incomingOf, shortHash } from '../../src-renderer/src/state/incoming'
import { recordStatements } from '../support/recordStatements'

let shop: Shop | undefined
let pending: ChainPending | undefined
afterEach(async () => {
  await pending?.stop()
  pending = undefined
  shop?.close()
  shop = undefined
})

const PAYER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as Address
const OTHER = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' as Address
const ZERO32 = padHex('0x0', { size: 32 })

const transfer = (to: Address, amount: bigint) => encodeFunctionData({ abi: PAYMENT_CALLS, functionName: 'transfer', args: [to, amount] })
const transferFrom = (to: Address, amount: bigint) =>
  encodeFunctionData({ abi: PAYMENT_CALLS, functionName: 'transferFrom', args: [PAYER, to, amount] })
const withAuthorization = (to: Address, amount: bigint) =>
  encodeFunctionData({
    abi: PAYMENT_CALLS,
    functionName: 'transferWithAuthorization',
    args: [PAYER, to, amount, 0n, 2n ** 40n, ZERO32, 27, ZERO32, ZERO32],
  })
const withPackedSignature = (to: Address, amount: bigint) =>
  encodeFunctionData({
    abi: PAYMENT_CALLS,
    functionName: 'transferWithAuthorization',
    args: [PAYER, to, amount, 0n, 2n ** 40n, ZERO32, `0x${'11'.repeat(65)}`],
  })

describe('decoding token calls', () => {
  it('transfer, transferFrom and both transferWithAuthorization forms give the recipient and amount', () => {
    for (const encode of [transfer, transferFrom, withAuthorization, withPackedSignature])
      expect(decodePayment(encode(SHOP_ADDRESS as Address, 25_500_000n))).toEqual({ to: SHOP_ADDRESS, amount: 25_500_000n })
  })

  it('anything else is not a payment: other calls, empty or short input, truncated arguments', () => {
    const approve = `0x095ea7b3${transfer(OTHER, 1n).slice(10)}`
    for (const input of [approve, '0x', '', '0xa9059cbb', transfer(OTHER, 1n).slice(0, 60), undefined])
      expect(decodePayment(input as string)).toBeNull()
  })

  it('stays far under 1 ms per transaction', () => {
    const inputs = Array.from({ length: 5_000 }, (_, i) =>
      [transfer, transferFrom, withAuthorization, withPackedSignature][i % 4]!(OTHER, BigInt(i)),
    )
    const t0 = performance.now()
    for (const input of inputs) decodePayment(input)
    const perTx = (performance.now() - t0) / inputs.length
    expect(perTx).toBeLessThan(1)
  })
})

/** A ChainPending on the unit shop's chain, following no node (its feed finds nothing), fed transactions by hand. */
async function following(s: Shop): Promise<ChainPending> {
  const refused = Object.assign(new Error('Method not found'), { code: -32601 })
  const chain = s.engine.networks.find(31337)!
  const p = new ChainPending({
    config: { ...chain, ws_urls: [] },
    rpc: { request: () => Promise.reject(refused) },
    db: s.engine.db,
    clock: s.clock,
    incoming: s.engine.incoming,
    tuning: { ...DEFAULT_PENDING_TUNING, checkIntervalMs: 3_600_000 },
    feedChanged: () => undefined,
  })
  await p.setOpen(true)
  expect(p.kind).toBe('none')
  return p
}

let nonce = 0
const tx = (to: string | null, input: string): RpcTransaction => {
  nonce++
  return { hash: padHex(`0x${nonce.toString(16)}`, { size: 32 }), from: PAYER, to, input, nonce: `0x${nonce.toString(16)}` }
}

const sale = (s: Shop, amount: string, token: 'USDC' | 'USDT' = 'USDC'): PaymentSession =>
  s.engine.sessions.create({ merchantId: 'merchant_123', livemode: false, orderId: `o-${Math.random()}`, amount, currency: 'USD', token })
    .session
const read = (s: Shop, id: string) => s.engine.sessions.get(id, { merchantId: 'merchant_123' })

describe('matching pending transfers to open sales', () => {
  it('the exact reserved amount of the sale, to its address, in its token: shown; anything else: not', async () => {
    shop = openShop()
    pending = await following(shop)
    const s = sale(shop, '25.50')
    const amount = BigInt(s.payment_options[0]!.amount_base_units)
    const pushes: PaymentSession[] = []
    shop.engine.events.on('session:updated', (p) => pushes.push(p))

    pending.transaction(tx(USDT18, transfer(SHOP_ADDRESS as Address, amount)))
    pending.transaction(tx(USDC6, transfer(SHOP_ADDRESS as Address, amount + 1n)))
    pending.transaction(tx(USDC6, transfer(OTHER, amount)))
    pending.transaction(tx(OTHER, transfer(SHOP_ADDRESS as Address, amount)))
    pending.transaction(tx(null, '0x'))
    expect(read(shop, s.id).pending_tx).toBeNull()
    expect(pushes).toEqual([])
    // Only the three to a configured token were decoded; the other contract's call and the deployment never were.
    expect(pending.stats).toMatchObject({ transactions: 5, decoded: 3, matched: 0 })

    const paying = tx(USDC6.toLowerCase(), withAuthorization(SHOP_ADDRESS as Address, amount))
    pending.transaction(paying)
    expect(read(shop, s.id).pending_tx).toEqual({ hash: paying.hash, seen_at: Math.floor(shop.clock.now() / 1000) })
    expect(pushes.map((p) => [p.id, p.status, p.pending_tx?.hash])).toEqual([[s.id, 'PENDING', paying.hash]])
    // A repeat of the same hash is handled once.
    pending.transaction(paying)
    expect(pushes).toHaveLength(1)
  })

  it('xpub mode: the sale’s own address with at least what it asks', async () => {
    shop = openShop({ receive: { mode: 'xpub', xpub: ANVIL_XPUB } })
    pending = await following(shop)
    const s = sale(shop, '10.00')
    const option = s.payment_options[0]!
    expect(ANVIL_ADDRESSES.map((a) => getAddress(a))).toContain(option.address)
    pending.transaction(tx(USDC6, transfer(option.address as Address, BigInt(option.amount_base_units) - 1n)))
    expect(read(shop, s.id).pending_tx).toBeNull()
    const more = tx(USDC6, transferFrom(option.address as Address, BigInt(option.amount_base_units) + 5n))
    pending.transaction(more)
    expect(read(shop, s.id).pending_tx?.hash).toBe(more.hash)
  })

  it('a sale that is no longer waiting shows nothing; one that moves on drops what it showed, webhooks included', async () => {
    shop = openShop()
    pending = await following(shop)
    const cancelled = sale(shop, '3.00')
    shop.engine.sessions.cancel(cancelled.id, { merchantId: 'merchant_123' })
    pending.transaction(tx(USDC6, transfer(SHOP_ADDRESS as Address, BigInt(cancelled.payment_options[0]!.amount_base_units))))
    expect(read(shop, cancelled.id).pending_tx).toBeNull()

    const s = sale(shop, '4.00')
    const paying = tx(USDC6, transfer(SHOP_ADDRESS as Address, BigInt(s.payment_options[0]!.amount_base_units)))
    pending.transaction(paying)
    expect(read(shop, s.id).pending_tx?.hash).toBe(paying.hash)
    shop.engine.sessions.cancel(s.id, { merchantId: 'merchant_123' })
    expect(read(shop, s.id).pending_tx).toBeNull()
    const body = shop.engine.db
      .prepare(`SELECT body FROM events WHERE session_id = ? AND type = 'payment.cancelled'`)
      .pluck()
      .get(s.id) as string
    expect(JSON.parse(body).data.object).toMatchObject({ status: 'CANCELLED', pending_tx: null, pending_tx_dropped: null })
  })

  it('every statement it runs is a seek by index, never a read of a growing table', async () => {
    shop = openShop({ receive: { mode: 'xpub', xpub: ANVIL_XPUB } })
    const db = shop.engine.db
    const seen = recordStatements(db)
    pending = await following(shop)
    const s = sale(shop, '2.00')
    const option = s.payment_options[0]!
    pending.transaction(tx(USDC6, transfer(OTHER, 1n)))
    pending.transaction(tx(USDC6, transfer(option.address as Address, BigInt(option.amount_base_units))))
    expect(read(shop, s.id).pending_tx).not.toBeNull()
    await pending.check()
    const ours = [...seen].filter((sql) => /option_amount|SELECT status, amount_paid FROM sessions/.test(sql))
    expect(ours).toHaveLength(3)
    for (const sql of ours) {
      const plan = (
        db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(sql.includes('@chain') ? { chain: 1, token: 'x', to: 'y', amount: '1' } : [1]) as Array<{
          detail: string
        }>
      ).map((p) => p.detail)
      for (const step of plan) expect(step, sql).toMatch(/^SEARCH \w+ USING (INDEX|INTEGER PRIMARY KEY)/)
    }
  })

  it('the whole path, token check, decoding and the match against 2,000 open sales, stays under 1 ms per transaction', async () => {
    shop = openShop()
    pending = await following(shop)
    for (let i = 0; i < 2_000; i++) sale(shop, `${1 + Math.floor(i / 100)}.${String(i % 100).padStart(2, '0')}`)
    const txs = Array.from({ length: 2_000 }, (_, i) =>
      i % 2 === 0
        ? tx(OTHER, transfer(SHOP_ADDRESS as Address, 1n))
        : tx(USDC6, transfer(SHOP_ADDRESS as Address, 999_000_000n + BigInt(i))),
    )
    const t0 = performance.now()
    for (const t of txs) pending.transaction(t)
    const perTx = (performance.now() - t0) / txs.length
    expect(pending.stats.matched).toBe(0)
    expect(perTx).toBeLessThan(1)
  })
})

describe('what the session shows', () => {
  it('pending_tx while it lasts; after it went away, a note for a while, then nothing', async () => {
    shop = openShop()
    const s = sale(shop, '5.00')
    const row = shop.engine.sessions.rowById(s.id)!
    const { incoming } = shop.engine
    const pushes: PaymentSession[] = []
    shop.engine.events.on('session:updated', (p) => pushes.push(p))
    const hash = `0x${'ab'.repeat(32)}`
    incoming.show(s.id, row, { hash, seen_at: 100 })
    expect(read(shop, s.id)).toMatchObject({ pending_tx: { hash, seen_at: 100 }, pending_tx_dropped: null })
    // Another hash being dropped does not touch the one shown.
    incoming.drop(s.id, `0x${'cd'.repeat(32)}`, 'dropped', 101)
    expect(read(shop, s.id).pending_tx?.hash).toBe(hash)
    incoming.drop(s.id, hash, 'replaced', 102)
    expect(read(shop, s.id)).toMatchObject({ pending_tx: null, pending_tx_dropped: { hash, reason: 'replaced', at: 102 } })
    expect(pushes.map((p) => [p.pending_tx?.hash ?? null, p.pending_tx_dropped?.reason ?? null])).toEqual([
      [hash, null],
      [null, 'replaced'],
    ])
    // A new pending payment clears the note.
    incoming.show(s.id, row, { hash: `0x${'ef'.repeat(32)}`, seen_at: 103 })
    expect(read(shop, s.id).pending_tx_dropped).toBeNull()
  })

  it('the note goes by itself after a while, with a push', async () => {
    shop = openShop()
    const s = sale(shop, '6.00')
    const row = shop.engine.sessions.rowById(s.id)!
    const pushed: Array<string | null> = []
    const quick: IncomingPayments = new IncomingPayments({
      events: shop.engine.events,
      session: (id): PaymentSession => ({ id, pending_tx_dropped: quick.droppedOf(row) }) as PaymentSession,
      noteMs: 50,
    })
    shop.engine.events.on('session:updated', (p) => pushed.push(p.pending_tx_dropped?.reason ?? null))
    quick.show(s.id, row, { hash: '0x01', seen_at: 1 })
    quick.drop(s.id, '0x01', 'timeout', 2)
    expect(quick.droppedOf(row)).toMatchObject({ reason: 'timeout' })
    await new Promise((r) => setTimeout(r, 120))
    expect(quick.droppedOf(row)).toBeNull()
    expect(pushed).toEqual([null, 'timeout', null])
  })
})

describe('at the counter (renderer)', () => {
  const option = { chain_id: 31337, network: 'Local', token: 'USDC', token_address: USDC6, decimals: 6, address: SHOP_ADDRESS }
  const base = {
    status: 'PENDING',
    payment_options: [{ ...option, amount: '5.00', amount_base_units: '5000000', payment_uri: 'ethereum:x' }],
    remainder_option: null,
    amount_paid_base_units: '0',
    amount_remaining_base_units: '5000000',
    confirmations: 0,
    required_confirmations: 1,
    transactions: [],
    exceptions: [],
    pending_tx: null,
    pending_tx_dropped: null,
  } as unknown as PaymentSession
  const tx = { hash: `0x${'ab'.repeat(32)}`, seen_at: 1 }
  const lost = { hash: tx.hash, reason: 'dropped' as const, at: 2 }

  it('incoming shows while the sale waits for money; the block’s own status wins once it is in', () => {
    const waiting = { ...base, pending_tx: tx }
    expect(incomingOf(waiting, viewOf(waiting))).toEqual(tx)
    const processing = {
      ...base,
      status: 'PROCESSING',
      amount_paid_base_units: '5000000',
      amount_remaining_base_units: '0',
      pending_tx: tx,
    }
    expect(incomingOf(processing as PaymentSession, viewOf(processing as PaymentSession))).toBeNull()
    expect(incomingOf(base, viewOf(base))).toBeNull()
    expect(shortHash(tx.hash)).toBe('0xabababab…abab')
  })

  it('the note after a payment went away shows only while the sale waits and nothing new is pending', () => {
    const dropped = { ...base, pending_tx_dropped: lost }
    expect(incomingLostOf(dropped, viewOf(dropped))).toEqual(lost)
    const again = { ...dropped, pending_tx: tx }
    expect(incomingLostOf(again, viewOf(again))).toBeNull()
    const cancelled = { ...dropped, status: 'CANCELLED' } as PaymentSession
    expect(incomingLostOf(cancelled, viewOf(cancelled))).toBeNull()
  })
})
