/**
 * Reversals on a real anvil: a reorg deeper than the confirmation count takes
 * back the transfer of a COMPLETED sale. The sale stays COMPLETED, gains
 * `reversed`, drops out of the totals and the CSV's revenue, the owner gets an
 * alert until acknowledged (kept across a restart), and a real HTTP receiver
 * gets a signed `payment.reversed`, verified with the copy-out verifier. The
 * same transaction mined again clears it, and the back office hears
 * `payment.completed` again.
 */
import { Writable } from 'node:stream'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeFunctionData, parseAbi } from 'viem'
import type { Address, Hash } from 'viem'
import type { PaymentSession } from '../../src-preload/contract'
import { createHandlerRegistry } from '../../src-main/engine/handlers'
import { sessionTotals, writeSessionsCsv } from '../../src-main/engine/reports'
import { ChainWatchers } from '../../src-main/engine/watcher'
import { sendStablecoin } from '../../src-main/devnet'
import type { StablePayEvent } from '../../src-main/engine/webhooks'
import { FileKeySecretBox, verifyWebhook, Webhooks } from '../../src-main/engine/webhooks'
import type { Anvil, DemoChain } from '../../src-main/devnet'
import { useChainBehindProxy } from '../support/chainBehindProxy'
import type { HttpReceiver } from '../support/httpReceiver'
import { startHttpReceiver } from '../support/httpReceiver'
import type { RpcProxy } from '../support/rpcProxy'
import { waitFor } from '../support/waitFor'
import type { ShopRig } from '../../bench/lib/watcherRig'
import { MERCHANT_ID, openShopOnChain, removeDir, rpc } from '../../bench/lib/watcherRig'

let anvil: Anvil
let tokens: DemoChain
let proxy: RpcProxy
let payer: Address
// Payer index 4: other files' payers never share a nonce with this one.
const testCleanups = useChainBehindProxy(4, (chain) => {
  ;({ anvil, tokens, proxy, payer } = chain)
})

const SECRET = 'whsec_reversal_test_secret_0123456789abcdef'
const scope = { merchantId: MERCHANT_ID, livemode: false }

async function openShop(dir?: string, address?: Address): Promise<ShopRig> {
  const rig = await openShopOnChain({ tokens, rpcUrls: [proxy.httpUrl], chainRpcUrl: anvil.rpcUrl, confirmations: 1, dir, address })
  testCleanups.push(() => rig.close())
  return rig
}

function watch(rig: ShopRig): ChainWatchers {
  const watchers = new ChainWatchers(rig.engine, { autoPoll: false, requestTimeoutMs: 15_000 })
  const stop = watchers.start()
  testCleanups.push(stop)
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

const get = (rig: ShopRig, id: string): PaymentSession => rig.engine.sessions.get(id, scope)
const eventsOf = (rig: ShopRig, id: string): string[] =>
  rig.engine.db.prepare('SELECT type FROM events WHERE session_id = ? ORDER BY seq').pluck().all(id) as string[]
const reasonsOf = (rig: ShopRig, id: string): string[] => rig.engine.sessions.timeline(id, scope).map((t) => t.reason)

/**
 * Pays the sale with a transaction signed by the node for its dev account, so
 * the very same transaction can be sent again after a reorg dropped it.
 */
async function payReplayable(rig: ShopRig, s: PaymentSession): Promise<{ raw: Hash; hash: Hash }> {
  const data = encodeFunctionData({
    abi: parseAbi(['function transfer(address to, uint256 amount) returns (bool)']),
    functionName: 'transfer',
    args: [rig.address, BigInt(s.payment_options[0]!.amount_base_units)],
  })
  const raw = await rpc<Hash>(anvil.rpcUrl, 'eth_signTransaction', [{ from: payer, to: tokens.usdc, data, gas: '0x30000' }])
  const hash = await send(raw)
  return { raw, hash }
}

async function send(raw: Hash): Promise<Hash> {
  const hash = await rpc<Hash>(anvil.rpcUrl, 'eth_sendRawTransaction', [raw])
  // anvil may answer the send a moment before the block is in.
  await waitFor(() => rpc(anvil.rpcUrl, 'eth_getTransactionReceipt', [hash]), { timeoutMs: 10_000, label: `receipt of ${hash}` })
  return hash
}

/** The one day's total of the shop's completed sales, or null when nothing counts. */
async function counted(rig: ShopRig): Promise<{ count: number; amount_minor: string } | null> {
  const totals = await sessionTotals(rig.engine, scope, {})
  if (totals.length === 0) return null
  return {
    count: totals.reduce((n, t) => n + t.count, 0),
    amount_minor: totals.reduce((n, t) => n + BigInt(t.amount_minor), 0n).toString(),
  }
}

async function csvRowOf(rig: ShopRig, id: string): Promise<Record<string, string>> {
  let text = ''
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8')
      done()
    },
  })
  await writeSessionsCsv(rig.engine, scope, {}, sink)
  const [header, ...lines] = text.slice(1).split('\r\n').filter(Boolean)
  const names = header!.split(',')
  const line = lines.find((l) => l.includes(id))!
  const cells = line.split(',')
  return Object.fromEntries(names.map((n, i) => [n, cells[i]!]))
}

/** Delivers what is due and returns the verified events of `type` the receiver got for the session. */
async function delivered(
  webhooks: Webhooks,
  receiver: HttpReceiver,
  rig: ShopRig,
  id: string,
  type: string,
  count: number,
): Promise<Array<StablePayEvent<PaymentSession>>> {
  const verified = () =>
    receiver.requests
      .map((r) => verifyWebhook<PaymentSession>(r.body, r.headers, SECRET, { now: Math.floor(rig.clock.now() / 1000) }))
      .filter((e) => e.type === type && e.data.object.id === id)
  await waitFor(
    async () => {
      await webhooks.runDue()
      return verified().length >= count
    },
    { timeoutMs: 10_000, label: `${count} × ${type} for ${id}` },
  )
  return verified()
}

describe('a reorg deeper than the confirmations takes back a completed sale’s payment', () => {
  it('reversed: stays COMPLETED, flagged, out of the totals and the CSV’s revenue, signed payment.reversed; mined again: cleared, payment.completed again', async () => {
    const rig = await openShop()
    testCleanups.push(() => removeDir(rig.dir))
    const watchers = watch(rig)
    const { webhooks, receiver } = await backOffice(rig)
    await watchers.pollNow()

    const s = rig.sale('6.00')
    const { raw, hash } = await payReplayable(rig, s)
    await watchers.pollNow()
    expect(get(rig, s.id)).toMatchObject({ status: 'COMPLETED', amount_paid_base_units: '6000000', exceptions: [] })
    expect(await counted(rig)).toEqual({ count: 1, amount_minor: '600' })

    // The block with the payment is replaced by an empty one: 1 confirmation was not enough.
    await rpc(anvil.rpcUrl, 'anvil_reorg', [1, []])
    await watchers.pollNow()
    const reversed = get(rig, s.id)
    expect(reversed).toMatchObject({ status: 'COMPLETED', amount_paid_base_units: '0', exceptions: ['reversed'] })
    expect(reversed.transactions.map((t) => [t.tx_hash, t.state])).toEqual([[hash, 'orphaned']])
    expect(eventsOf(rig, s.id)).toEqual(['payment.processing', 'payment.completed', 'payment.reversed'])
    expect(reasonsOf(rig, s.id)).toContain('payment reversed: a chain reorganisation removed its transfer')
    expect(rig.engine.sessions.reversalAlerts(scope)).toEqual([
      { session_id: s.id, order_id: s.order_id, amount: '6.00', currency: 'USD', reversed_at: expect.any(Number) },
    ])
    expect(await counted(rig)).toBeNull()
    expect(await csvRowOf(rig, s.id)).toMatchObject({
      status: 'COMPLETED',
      'paid amount': '0',
      exceptions: 'reversed',
      'in totals': 'no: payment reversed',
    })

    const [event] = await delivered(webhooks, receiver, rig, s.id, 'payment.reversed', 1)
    expect(event!.data.object).toMatchObject({ id: s.id, status: 'COMPLETED', amount_paid_base_units: '0', exceptions: ['reversed'] })

    // The same transaction lands in the new chain.
    expect(await send(raw)).toBe(hash)
    await watchers.pollNow()
    const back = get(rig, s.id)
    expect(back).toMatchObject({ status: 'COMPLETED', amount_paid_base_units: '6000000', exceptions: [] })
    expect(back.transactions.map((t) => [t.tx_hash, t.state])).toEqual([[hash, 'confirmed']])
    expect(eventsOf(rig, s.id)).toEqual(['payment.processing', 'payment.completed', 'payment.reversed', 'payment.completed'])
    expect(reasonsOf(rig, s.id)).toContain('payment back in the chain (1 confirmation)')
    expect(rig.engine.sessions.reversalAlerts(scope)).toEqual([])
    expect(await counted(rig)).toEqual({ count: 1, amount_minor: '600' })
    expect((await csvRowOf(rig, s.id))['in totals']).toBe('yes')

    const completed = await delivered(webhooks, receiver, rig, s.id, 'payment.completed', 2)
    expect(completed[1]!.data.object).toMatchObject({ status: 'COMPLETED', amount_paid_base_units: '6000000', exceptions: [] })
  })

  it('a reorg that takes back only the second of two payments: reversed too, and the price is not counted', async () => {
    const rig = await openShop()
    testCleanups.push(() => removeDir(rig.dir))
    const watchers = watch(rig)
    const { webhooks, receiver } = await backOffice(rig)
    await watchers.pollNow()
    const s = rig.sale('9.00')
    await sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: payer, to: rig.address, amount: 5_000_000n })
    await watchers.pollNow()
    const part = get(rig, s.id)
    expect(part).toMatchObject({ status: 'PROCESSING', exceptions: ['underpaid'] })
    const rest = BigInt(part.remainder_option!.amount_base_units)
    await sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: payer, to: rig.address, amount: rest })
    await watchers.pollNow()
    expect(get(rig, s.id)).toMatchObject({ status: 'COMPLETED' })
    expect(await counted(rig)).toEqual({ count: 1, amount_minor: '900' })

    await rpc(anvil.rpcUrl, 'anvil_reorg', [1, []])
    await watchers.pollNow()
    const reversed = get(rig, s.id)
    expect(reversed).toMatchObject({ status: 'COMPLETED', amount_paid_base_units: '5000000' })
    expect(reversed.exceptions).toEqual(expect.arrayContaining(['reversed', 'underpaid']))
    expect(reasonsOf(rig, s.id)).toContain('payment reversed: a chain reorganisation removed part of it')
    // 5.00 of the 9.00 arrived, but the sale is not paid: its price is no day's takings.
    expect(await counted(rig)).toBeNull()
    expect((await csvRowOf(rig, s.id))['in totals']).toBe('no: payment reversed')
    await delivered(webhooks, receiver, rig, s.id, 'payment.reversed', 1)
  })

  it('the owner’s alert: acknowledged through the contract, recorded in the timeline, still gone after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stablepay-reversal-'))
    testCleanups.push(() => removeDir(dir))
    const rig = await openShop(dir)
    const watchers = watch(rig)
    await watchers.pollNow()
    const s = rig.sale('7.00')
    const other = rig.sale('8.00')
    await payReplayable(rig, s)
    await watchers.pollNow()
    expect(get(rig, s.id).status).toBe('COMPLETED')
    await rpc(anvil.rpcUrl, 'anvil_reorg', [1, []])
    await watchers.pollNow()

    const registry = createHandlerRegistry(rig.engine)
    const alerts = await registry.invoke('sessions:reversals', undefined)
    expect(alerts).toMatchObject({ ok: true, value: [{ session_id: s.id, amount: '7.00' }] })
    // Only a reversed sale has anything to acknowledge; the owner is told so in words.
    expect(await registry.invoke('sessions:acknowledge-reversal', { id: other.id })).toMatchObject({
      ok: false,
      error: { code: 'session_not_reversed' },
    })
    expect(await registry.invoke('sessions:acknowledge-reversal', { id: 42 } as never)).toMatchObject({
      ok: false,
      error: { code: 'parameter_invalid', param: 'id' },
    })
    const pushed: string[][] = []
    rig.engine.events.on('session:updated', (p) => p.id === s.id && pushed.push(p.exceptions))
    expect(await registry.invoke('sessions:acknowledge-reversal', { id: s.id })).toEqual({ ok: true, value: [] })
    // Other windows hear of it (they refetch their alerts), and twice is harmless.
    expect(pushed).toEqual([['reversed']])
    expect(await registry.invoke('sessions:acknowledge-reversal', { id: s.id })).toEqual({ ok: true, value: [] })
    expect(reasonsOf(rig, s.id).filter((r) => r === 'reversal acknowledged by the owner')).toHaveLength(1)
    expect(get(rig, s.id).exceptions).toEqual(['reversed'])

    // Closed and opened again on the same file: the alert stays acknowledged, the sale stays reversed.
    const address = rig.address
    rig.close()
    const again = await openShop(dir, address)
    expect(again.engine.sessions.reversalAlerts(scope)).toEqual([])
    expect(await createHandlerRegistry(again.engine).invoke('sessions:reversals', undefined)).toEqual({ ok: true, value: [] })
    expect(get(again, s.id)).toMatchObject({ status: 'COMPLETED', exceptions: ['reversed'] })
  })
})
