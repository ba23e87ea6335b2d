/**
 * Refunds on a real anvil (#11). The app holds no keys: the owner pays a
 * refund from the shop's own wallet, which the tests do by impersonating the
 * shop's address (anvil_impersonateAccount). The watcher proves it on-chain,
 * and a real HTTP receiver gets `refund.succeeded`/`refund.failed`, whose
 * signature the test checks itself with node:crypto.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { getAddress } from 'viem'
import type { Address, Hash } from 'viem'
import { HDKey } from 'viem/accounts'
import type { PaymentSession, Refund } from '../../src-preload/contract'
import { createHandlerRegistry } from '../../src-main/engine/handlers'
import { ChainWatchers, registerWatcherHandlers } from '../../src-main/engine/watcher'
import { sendStablecoin } from '../../src-main/devnet'
import type { Anvil, DemoChain } from '../../src-main/devnet'
import { FileKeySecretBox, Webhooks } from '../../src-main/engine/webhooks'
import { useChainBehindProxy } from '../support/chainBehindProxy'
import type { HttpReceiver } from '../support/httpReceiver'
import { startHttpReceiver } from '../support/httpReceiver'
import type { RpcProxy } from '../support/rpcProxy'
import { waitFor } from '../support/waitFor'
import type { ShopRig } from '../../bench/lib/watcherRig'
import { MERCHANT_ID, openShopOnChain, randomAddress, removeDir, rpc } from '../../bench/lib/watcherRig'

let anvil: Anvil
let tokens: DemoChain
let proxy: RpcProxy
let payer: Address
// Payer index 3: one of the dev accounts the devnet funds (this file has its own anvil).
const testCleanups = useChainBehindProxy(3, (chain) => {
  ;({ anvil, tokens, proxy } = chain)
  // The customer, as the app shows every address: checksummed.
  payer = getAddress(chain.payer)
})

const SECRET = 'whsec_refund_test_secret_0123456789abcdef'
const scope = { merchantId: MERCHANT_ID, livemode: false }

async function openShop(opts: { xpub?: string } = {}): Promise<ShopRig> {
  const rig = await openShopOnChain({ tokens, rpcUrls: [proxy.httpUrl], chainRpcUrl: anvil.rpcUrl, confirmations: 1 })
  testCleanups.push(() => removeDir(rig.dir))
  testCleanups.push(() => rig.close())
  if (opts.xpub)
    rig.engine.merchants.upsert({ id: MERCHANT_ID, name: 'Watcher Test Shop', currency: 'USD', receive: { mode: 'xpub', xpub: opts.xpub } })
  return rig
}

function watch(rig: ShopRig): ChainWatchers {
  const watchers = new ChainWatchers(rig.engine, { autoPoll: false, requestTimeoutMs: 15_000 })
  testCleanups.push(watchers.start())
  return watchers
}

async function backOffice(rig: ShopRig): Promise<{ webhooks: Webhooks; receiver: HttpReceiver }> {
  const receiver = await startHttpReceiver()
  testCleanups.push(() => receiver.stop())
  const webhooks = new Webhooks(rig.engine, { secretBox: new FileKeySecretBox(rig.dir), fetchTimeoutMs: 5_000 })
  testCleanups.push(() => webhooks.close())
  webhooks.createEndpoint(MERCHANT_ID, { url: `${receiver.url}/hooks`, secret: SECRET })
  return { webhooks, receiver }
}

/** The back office's own check, written out here rather than trusting the app's verifier: HMAC-SHA256 of `t.nonce.body`. */
function signedBody(headers: Record<string, string | string[] | undefined>, body: Buffer): boolean {
  const signature = String(headers['x-stablepay-signature'])
  const expected = createHmac('sha256', SECRET)
    .update(`${String(headers['x-stablepay-timestamp'])}.${String(headers['x-stablepay-nonce'])}.`)
    .update(body)
    .digest()
  return signature.length === 64 && timingSafeEqual(Buffer.from(signature, 'hex'), expected)
}

async function deliveredRefundEvents(webhooks: Webhooks, receiver: HttpReceiver, type: string, count: number): Promise<Refund[]> {
  const found = () =>
    receiver.requests
      .filter((r) => signedBody(r.headers, r.body))
      .map((r) => JSON.parse(r.text) as { type: string; data: { object: Refund } })
      .filter((e) => e.type === type)
      .map((e) => e.data.object)
  await waitFor(
    async () => {
      await webhooks.runDue()
      return found().length >= count
    },
    { timeoutMs: 10_000, label: `${count} × ${type}` },
  )
  return found()
}

/** The shop's own wallet pays: anvil lets the test send as the shop's address (gas funded). */
async function payFromShop(from: Address, to: string, amount: bigint, token: Address = tokens.usdc): Promise<Hash> {
  await rpc(anvil.rpcUrl, 'anvil_impersonateAccount', [from])
  await rpc(anvil.rpcUrl, 'anvil_setBalance', [from, '0xDE0B6B3A7640000'])
  const sent = await sendStablecoin(anvil.rpcUrl, { token, from, to: to as Address, amount })
  await rpc(anvil.rpcUrl, 'anvil_stopImpersonatingAccount', [from])
  return sent.hash
}

/** A sale paid by the test's payer (`amount` base units of USDC to the address of its QR). */
async function paidSale(rig: ShopRig, watchers: ChainWatchers, price: string, amount?: bigint): Promise<PaymentSession> {
  const s = rig.sale(price)
  const option = s.payment_options[0]!
  await sendStablecoin(anvil.rpcUrl, {
    token: tokens.usdc,
    from: payer,
    to: option.address as Address,
    amount: amount ?? BigInt(option.amount_base_units),
  })
  await watchers.pollNow()
  return rig.engine.sessions.get(s.id, scope)
}

const create = (rig: ShopRig, input: { session_id: string; amount: string; refund_id?: string; destination?: string }) =>
  rig.engine.refunds.create({ ...input, merchantId: MERCHANT_ID, livemode: false })

const reasonsOf = (rig: ShopRig, id: string): string[] => rig.engine.sessions.timeline(id, scope).map((t) => t.reason)

describe('refunds on chain', () => {
  it('partial, a second partial, refusal above what was received; detected, succeeded and signed refund.succeeded', async () => {
    const rig = await openShop()
    const watchers = watch(rig)
    const { webhooks, receiver } = await backOffice(rig)
    await watchers.pollNow()
    const sale = await paidSale(rig, watchers, '10.00')
    expect(sale.status).toBe('COMPLETED')

    const refundable = rig.engine.refunds.refundable(sale.id, scope)
    expect(refundable).toMatchObject({ refundable: true, options: [{ token: 'USDC', refundable: '10.00', default_destination: payer }] })

    const first = create(rig, { session_id: sale.id, amount: '3.00', refund_id: 'r-1' })
    expect(first.created).toBe(true)
    expect(first.refund).toMatchObject({
      status: 'pending',
      amount: '3.00',
      amount_base_units: '3000000',
      destination: payer,
      token: 'USDC',
    })
    expect(first.refund.payment_uri).toBe(`ethereum:${tokens.usdc}@31337/transfer?address=${payer}&uint256=3000000`)
    // The same request again: the same refund. Other terms under the same key: a conflict.
    expect(create(rig, { session_id: sale.id, amount: '3.00', refund_id: 'r-1' })).toMatchObject({
      created: false,
      refund: { id: first.refund.id },
    })
    expect(() => create(rig, { session_id: sale.id, amount: '3.01', refund_id: 'r-1' })).toThrow(
      expect.objectContaining({ code: 'refund_conflict' }),
    )

    const second = create(rig, { session_id: sale.id, amount: '5.00', refund_id: 'r-2' }).refund
    // 3 + 5 are held: 2.00 is left, and 2.01 is refused.
    expect(() => create(rig, { session_id: sale.id, amount: '2.01', refund_id: 'r-3' })).toThrow(
      expect.objectContaining({ code: 'refund_exceeds_received' }),
    )
    expect(rig.engine.refunds.refundable(sale.id, scope).options[0]).toMatchObject({ refundable: '2.00', refunded_base_units: '8000000' })

    await payFromShop(rig.address, payer, 3_000_000n)
    await watchers.pollNow()
    const done = rig.engine.refunds.get(first.refund.id, scope)
    expect(done).toMatchObject({ status: 'succeeded', from: rig.address, confirmations: 1 })
    expect(done.tx_hash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(rig.engine.refunds.get(second.id, scope).status).toBe('pending')
    const session = rig.engine.sessions.get(sale.id, scope)
    expect(session).toMatchObject({ amount_refunded: '3.00', refunds: [first.refund.id, second.id] })
    expect(reasonsOf(rig, sale.id).filter((r) => r.includes(first.refund.id))).toEqual([
      expect.stringContaining('created'),
      expect.stringContaining('transfer seen'),
      expect.stringContaining('succeeded'),
    ])

    const [event] = await deliveredRefundEvents(webhooks, receiver, 'refund.succeeded', 1)
    expect(event).toMatchObject({ id: first.refund.id, object: 'refund', status: 'succeeded', session_id: sale.id, tx_hash: done.tx_hash })
  })

  it('a transfer of the wrong amount or to the wrong address pays nothing', async () => {
    const rig = await openShop()
    const watchers = watch(rig)
    await watchers.pollNow()
    const sale = await paidSale(rig, watchers, '4.00')
    const refund = create(rig, { session_id: sale.id, amount: '1.00' }).refund
    await payFromShop(rig.address, payer, 999_999n)
    await payFromShop(rig.address, randomAddress(), 1_000_000n)
    // The right amount to the right place, but from someone else's wallet: not the shop paying.
    await sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: payer, to: payer, amount: 1_000_000n })
    await watchers.pollNow()
    expect(rig.engine.refunds.get(refund.id, scope)).toMatchObject({ status: 'pending', tx_hash: null })
    await payFromShop(rig.address, payer, 1_000_000n)
    await watchers.pollNow()
    expect(rig.engine.refunds.get(refund.id, scope).status).toBe('succeeded')
  })

  it('an xpub shop: refunded from the sale’s child address; a destination of its own is refused', async () => {
    const xpub = HDKey.fromMasterSeed(randomBytes(32)).derive("m/44'/60'/0'/0").publicExtendedKey
    const rig = await openShop({ xpub })
    const watchers = watch(rig)
    await watchers.pollNow()
    const sale = await paidSale(rig, watchers, '5.00')
    const child = getAddress(sale.payment_options[0]!.address)
    expect(child).not.toBe(rig.address)
    expect(() => create(rig, { session_id: sale.id, amount: '1.00', destination: child.toLowerCase() })).toThrow(
      expect.objectContaining({ code: 'destination_is_shop' }),
    )
    const refund = create(rig, { session_id: sale.id, amount: '5.00' }).refund
    await payFromShop(child, payer, 5_000_000n)
    await watchers.pollNow()
    expect(rig.engine.refunds.get(refund.id, scope)).toMatchObject({ status: 'succeeded', from: child })
  })

  it('proved by a pasted tx hash; a forged or unrelated hash is refused and changes nothing', async () => {
    const rig = await openShop()
    const watchers = watch(rig)
    await watchers.pollNow()
    const registry = createHandlerRegistry(rig.engine)
    registerWatcherHandlers(registry, rig.engine, watchers)
    const sale = await paidSale(rig, watchers, '6.00')
    const refund = create(rig, { session_id: sale.id, amount: '2.00' }).refund

    const forged = `0x${randomBytes(32).toString('hex')}`
    expect(await registry.invoke('refunds:prove', { id: refund.id, tx_hash: forged })).toMatchObject({
      ok: false,
      error: { code: 'refund_proof_not_found' },
    })
    // A real transfer, but the customer's own payment into the shop: not the refund.
    const unrelated = sale.transactions[0]!.tx_hash
    expect(await registry.invoke('refunds:prove', { id: refund.id, tx_hash: unrelated })).toMatchObject({
      ok: false,
      error: { code: 'refund_proof_mismatch' },
    })
    expect(rig.engine.refunds.get(refund.id, scope)).toMatchObject({ status: 'pending', tx_hash: null })

    // The watcher is not asked: the owner pastes the hash of what they paid.
    const hash = await payFromShop(rig.address, payer, 2_000_000n)
    const proved = await registry.invoke('refunds:prove', { id: refund.id, tx_hash: hash })
    expect(proved).toMatchObject({ ok: true, value: { status: 'succeeded', tx_hash: hash.toLowerCase(), from: rig.address } })
    await watchers.pollNow()
    expect(rig.engine.refunds.get(refund.id, scope).status).toBe('succeeded')
  })

  it('a reorg that removes the refund’s transfer puts it back to pending', async () => {
    const rig = await openShopOnChain({ tokens, rpcUrls: [proxy.httpUrl], chainRpcUrl: anvil.rpcUrl, confirmations: 3 })
    testCleanups.push(() => removeDir(rig.dir))
    testCleanups.push(() => rig.close())
    const watchers = watch(rig)
    await watchers.pollNow()
    const s = rig.sale('3.00')
    await sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: payer, to: rig.address, amount: 3_000_000n })
    await rpc(anvil.rpcUrl, 'anvil_mine', ['0x3'])
    await watchers.pollNow()
    expect(rig.engine.sessions.get(s.id, scope).status).toBe('COMPLETED')
    const refund = create(rig, { session_id: s.id, amount: '3.00' }).refund
    const snapshot = await rpc<string>(anvil.rpcUrl, 'evm_snapshot')
    await payFromShop(rig.address, payer, 3_000_000n)
    await watchers.pollNow()
    expect(rig.engine.refunds.get(refund.id, scope)).toMatchObject({ status: 'processing', confirmations: 1 })

    await rpc(anvil.rpcUrl, 'evm_revert', [snapshot])
    await rpc(anvil.rpcUrl, 'anvil_mine', ['0x2'])
    await watchers.pollNow()
    expect(rig.engine.refunds.get(refund.id, scope)).toMatchObject({ status: 'pending', tx_hash: null, confirmations: 0 })
    expect(reasonsOf(rig, s.id).some((r) => r.includes('reorganisation removed its transfer'))).toBe(true)
  })

  it('not paid within its week: failed, with a signed refund.failed', async () => {
    const rig = await openShop()
    const watchers = watch(rig)
    const { webhooks, receiver } = await backOffice(rig)
    await watchers.pollNow()
    const sale = await paidSale(rig, watchers, '2.00')
    const refund = create(rig, { session_id: sale.id, amount: '2.00' }).refund
    rig.clock.advance(7 * 24 * 3600 * 1000 - 1000)
    expect(rig.engine.refunds.expireDue()).toBe(0)
    rig.clock.advance(1000)
    expect(rig.engine.refunds.expireDue()).toBe(1)
    expect(rig.engine.refunds.get(refund.id, scope)).toMatchObject({ status: 'failed', ended_at: expect.any(Number) })
    // What it held is refundable again, and a failed refund cannot be cancelled.
    expect(rig.engine.refunds.refundable(sale.id, scope).options[0]!.refundable).toBe('2.00')
    expect(() => rig.engine.refunds.cancel(refund.id, scope)).toThrow(expect.objectContaining({ code: 'refund_not_cancelable' }))
    const [event] = await deliveredRefundEvents(webhooks, receiver, 'refund.failed', 1)
    expect(event).toMatchObject({ id: refund.id, status: 'failed' })
  })
})
