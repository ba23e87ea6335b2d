/**
 * "Payment incoming" against a real anvil with automatic mining off: a
 * transfer waits in the pool until the test mines it, so what the till shows
 * before the block can only have come from the pool. Through the loopback
 * proxy, which can refuse the pending-transaction methods like a node
 * without them.
 */
import { describe, expect, it } from 'vitest'
import { encodeFunctionData, parseAbi } from 'viem'
import type { Address, Hash } from 'viem'
import type { PaymentSession, SessionStatus } from '../../src-preload/contract'
import type { ChainWatchersOptions } from '../../src-main/engine/watcher'
import { ChainWatchers } from '../../src-main/engine/watcher'
import type { Anvil, DemoChain } from '../../src-main/devnet'
import { useChainBehindProxy } from '../support/chainBehindProxy'
import type { RpcProxy } from '../support/rpcProxy'
import { waitFor } from '../support/waitFor'
import type { ShopRig } from '../../bench/lib/watcherRig'
import { MERCHANT_ID, openShopOnChain, removeDir, rpc } from '../../bench/lib/watcherRig'

let anvil: Anvil
let tokens: DemoChain
let proxy: RpcProxy
let payer: Address
const testCleanups = useChainBehindProxy(2, (chain) => {
  ;({ anvil, tokens, proxy, payer } = chain)
})

const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])

interface Watched {
  rig: ShopRig
  watchers: ChainWatchers
  /** Every push of the test's sales, in order. */
  pushes: PaymentSession[]
}

async function openWatched(transport: 'ws' | 'http', options: ChainWatchersOptions = {}): Promise<Watched> {
  // Mining on demand only: nothing the test sends is in a block until it says so.
  await rpc(anvil.rpcUrl, 'evm_setAutomine', [false])
  testCleanups.push(() => rpc(anvil.rpcUrl, 'evm_mine').then(() => undefined))
  const rig = await openShopOnChain({
    tokens,
    rpcUrls: [proxy.httpUrl],
    wsUrls: transport === 'ws' ? [proxy.wsUrl] : [],
    chainRpcUrl: anvil.rpcUrl,
  })
  testCleanups.push(() => removeDir(rig.dir))
  testCleanups.push(() => rig.close())
  const watchers = new ChainWatchers(rig.engine, {
    requestTimeoutMs: 15_000,
    pollIntervalMs: 200,
    ...options,
    pending: options.pending === false ? false : { checkIntervalMs: 200, filterPollMs: 100, openCheckMs: 100, ...options.pending },
  })
  const stop = watchers.start()
  testCleanups.push(stop)
  const pushes: PaymentSession[] = []
  testCleanups.push(rig.engine.events.on('session:updated', (s) => pushes.push(s)))
  return { rig, watchers, pushes }
}

const get = (rig: ShopRig, id: string): PaymentSession => rig.engine.sessions.get(id, { merchantId: MERCHANT_ID })
const amountOf = (s: PaymentSession): bigint => BigInt(s.payment_options[0]!.amount_base_units)
const eventsOf = (rig: ShopRig, id: string): string[] =>
  rig.engine.db.prepare('SELECT type FROM events WHERE session_id = ? ORDER BY seq').pluck().all(id) as string[]
const transfersOf = (rig: ShopRig): number => rig.engine.db.prepare('SELECT count(*) FROM transfers').pluck().get() as number
const chainPending = (w: Watched) => w.watchers.pending!.pending(31337)!

/** The pool is followed (the sale is open and the feed is live). */
async function following(w: Watched): Promise<void> {
  await waitFor(() => w.watchers.pending?.pending(31337)?.feed.isLive, { timeoutMs: 10_000, label: 'pending feed live' })
}

/** Sends a token transfer from the payer without waiting for a block (there is none until the test mines). */
async function send(
  to: Address,
  amount: bigint,
  opts: { token?: 'usdc' | 'usdt'; nonce?: number; fees?: { maxFeePerGas: string; maxPriorityFeePerGas: string } } = {},
): Promise<Hash> {
  const data = encodeFunctionData({ abi: erc20, functionName: 'transfer', args: [to, amount] })
  const tx: Record<string, string> = { from: payer, to: tokens[opts.token ?? 'usdc'], data, gas: '0x30000' }
  if (opts.nonce !== undefined) tx['nonce'] = `0x${opts.nonce.toString(16)}`
  if (opts.fees) Object.assign(tx, opts.fees)
  return rpc<Hash>(anvil.rpcUrl, 'eth_sendTransaction', [tx])
}

async function pooled(hash: Hash): Promise<{ nonce: number; maxFeePerGas: string; maxPriorityFeePerGas: string }> {
  const tx = await rpc<{ nonce: string; maxFeePerGas: string; maxPriorityFeePerGas: string; blockNumber: string | null }>(
    anvil.rpcUrl,
    'eth_getTransactionByHash',
    [hash],
  )
  expect(tx.blockNumber).toBeNull()
  return { nonce: Number(BigInt(tx.nonce)), maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas }
}

/** Twice the fees: enough for the node to take it as a replacement. */
const higherFees = (tx: { maxFeePerGas: string; maxPriorityFeePerGas: string }) => ({
  maxFeePerGas: `0x${(BigInt(tx.maxFeePerGas) * 2n).toString(16)}`,
  maxPriorityFeePerGas: `0x${(BigInt(tx.maxPriorityFeePerGas) * 2n).toString(16)}`,
})

const mineBlock = () => rpc(anvil.rpcUrl, 'evm_mine')

function untilIncoming(rig: ShopRig, id: string, hash: string): Promise<PaymentSession> {
  return waitFor(
    () => {
      const s = get(rig, id)
      return s.pending_tx?.hash === hash && s
    },
    { timeoutMs: 10_000, label: `session ${id} incoming ${hash}` },
  )
}

function untilStatus(rig: ShopRig, id: string, status: SessionStatus): Promise<PaymentSession> {
  return waitFor(
    () => {
      const s = get(rig, id)
      return s.status === status && s
    },
    { timeoutMs: 15_000, label: `session ${id} ${status}` },
  )
}

describe.each(['ws', 'http'] as const)('seen in the pool (%s)', (transport) => {
  it('incoming before the block: no status, no webhook, no transfer; then completed at the block', async () => {
    const w = await openWatched(transport)
    const { rig } = w
    const s = rig.sale('12.34')
    await following(w)
    expect(w.watchers.states()[0]?.pending_feed).toBe(transport === 'ws' ? 'ws' : 'filter')

    const hash = await send(rig.address, amountOf(s))
    const incoming = await untilIncoming(rig, s.id, hash)
    expect(incoming.status).toBe('PENDING')
    expect(incoming.pending_tx).toEqual({ hash, seen_at: expect.any(Number) })
    expect(incoming.pending_tx_dropped).toBeNull()
    expect(incoming.amount_paid_base_units).toBe('0')
    expect(eventsOf(rig, s.id)).toEqual([])
    expect(transfersOf(rig)).toBe(0)
    // The screens were told (a push), and the REST-shaped list says the same.
    expect(w.pushes.some((p) => p.id === s.id && p.pending_tx?.hash === hash && p.status === 'PENDING')).toBe(true)
    expect(rig.engine.sessions.list({ merchantId: MERCHANT_ID, livemode: false }, {}).data[0]?.pending_tx?.hash).toBe(hash)

    await mineBlock()
    const done = await untilStatus(rig, s.id, 'COMPLETED')
    expect(done.pending_tx).toBeNull()
    expect(done.transactions.map((t) => t.tx_hash)).toEqual([hash])
    expect(eventsOf(rig, s.id)).toEqual(['payment.processing', 'payment.completed'])
    // The webhooks carry the session as the block left it: nothing pending.
    const bodies = rig.engine.db.prepare('SELECT body FROM events WHERE session_id = ?').pluck().all(s.id) as string[]
    for (const body of bodies) expect((JSON.parse(body) as { data: { object: PaymentSession } }).data.object.pending_tx).toBeNull()
    const last = w.pushes.filter((p) => p.id === s.id).at(-1)!
    expect(last).toMatchObject({ status: 'COMPLETED', pending_tx: null })
  })
})

describe('going away before the block', () => {
  it('a dropped transaction: back to waiting with a note, and the block changes nothing', async () => {
    const w = await openWatched('ws')
    const { rig } = w
    const s = rig.sale('3.21')
    await following(w)
    const hash = await send(rig.address, amountOf(s))
    await untilIncoming(rig, s.id, hash)
    await rpc(anvil.rpcUrl, 'anvil_dropTransaction', [hash])
    const back = await waitFor(
      () => {
        const now = get(rig, s.id)
        return now.pending_tx === null && now.pending_tx_dropped !== null && now
      },
      { timeoutMs: 5_000, label: 'dropped' },
    )
    expect(back.status).toBe('PENDING')
    expect(back.pending_tx_dropped).toEqual({ hash, reason: 'dropped', at: expect.any(Number) })
    await mineBlock()
    await w.watchers.pollNow()
    expect(get(rig, s.id)).toMatchObject({ status: 'PENDING', amount_paid_base_units: '0' })
    expect(eventsOf(rig, s.id)).toEqual([])
  })

  it('not mined within the timeout: back to waiting with a note', async () => {
    const w = await openWatched('http', { pending: { timeoutMs: 600 } })
    const { rig } = w
    const s = rig.sale('3.33')
    await following(w)
    const hash = await send(rig.address, amountOf(s))
    await untilIncoming(rig, s.id, hash)
    const back = await waitFor(() => get(rig, s.id).pending_tx_dropped, { timeoutMs: 5_000, label: 'timed out' })
    expect(back).toMatchObject({ hash, reason: 'timeout' })
    expect(get(rig, s.id).pending_tx).toBeNull()
    // Mined after all: the block still credits it, as it always did.
    await mineBlock()
    const done = await untilStatus(rig, s.id, 'COMPLETED')
    expect(done.pending_tx_dropped).toBeNull()
  })

  it('replaced by nonce: a replacement that still pays keeps it incoming; one that pays something else does not', async () => {
    const w = await openWatched('ws')
    const { rig } = w
    // Both sales open from the start, so the till follows the pool throughout (it lets go when none is open).
    const s1 = rig.sale('4.44')
    const s2 = rig.sale('5.55')
    await following(w)
    // Same payment, higher fees (what a wallet's "speed up" sends): still incoming, under the new hash.
    const first = await send(rig.address, amountOf(s1))
    await untilIncoming(rig, s1.id, first)
    const tx = await pooled(first)
    const faster = await send(rig.address, amountOf(s1), { nonce: tx.nonce, fees: higherFees(tx) })
    expect(faster).not.toBe(first)
    const still = await untilIncoming(rig, s1.id, faster)
    expect(still.pending_tx_dropped).toBeNull()
    await mineBlock()
    expect((await untilStatus(rig, s1.id, 'COMPLETED')).transactions.map((t) => t.tx_hash)).toEqual([faster])

    // A wallet's "cancel": the same nonce spent on a plain transfer to itself.
    const paying = await send(rig.address, amountOf(s2))
    await untilIncoming(rig, s2.id, paying)
    const tx2 = await pooled(paying)
    await rpc(anvil.rpcUrl, 'eth_sendTransaction', [
      { from: payer, to: payer, value: '0x0', nonce: `0x${tx2.nonce.toString(16)}`, ...higherFees(tx2) },
    ])
    const back = await waitFor(() => get(rig, s2.id).pending_tx_dropped, { timeoutMs: 5_000, label: 'replaced' })
    expect(back).toMatchObject({ hash: paying, reason: 'replaced' })
    expect(get(rig, s2.id).pending_tx).toBeNull()
    await mineBlock()
    await w.watchers.pollNow()
    expect(get(rig, s2.id).status).toBe('PENDING')
  })
})

describe('what is not shown', () => {
  it('a pending transfer of another token or another amount shows nothing', async () => {
    const w = await openWatched('ws')
    const { rig } = w
    const s = rig.sale('6.66', { token: 'USDC' })
    await following(w)
    const before = chainPending(w).stats.transactions
    // USDT of the same value (another token, 18 decimals), and USDC one base unit off.
    await send(rig.address, 6_660_000_000_000_000_000n, { token: 'usdt' })
    await send(rig.address, amountOf(s) + 1n)
    await waitFor(() => chainPending(w).stats.transactions >= before + 2, { timeoutMs: 5_000, label: 'both seen' })
    expect(chainPending(w).stats.decoded).toBeGreaterThanOrEqual(2)
    expect(chainPending(w).stats.matched).toBe(0)
    expect(get(rig, s.id).pending_tx).toBeNull()
    expect(w.pushes.filter((p) => p.pending_tx !== null)).toEqual([])
  })

  it('a transaction to another contract is dropped before anything else is done with it', async () => {
    const w = await openWatched('http')
    const { rig } = w
    rig.sale('7.77')
    await following(w)
    const pending = chainPending(w)
    const before = { ...pending.stats }
    proxy.resetCounts()
    // A contract call that is not a configured token (the payer itself as "contract"), with transfer calldata.
    const data = encodeFunctionData({ abi: erc20, functionName: 'transfer', args: [rig.address, 7_770_000n] })
    await rpc(anvil.rpcUrl, 'eth_sendTransaction', [{ from: payer, to: anvil.accounts[7], data, gas: '0x30000' }])
    await waitFor(() => pending.stats.transactions > before.transactions, { timeoutMs: 5_000, label: 'seen' })
    expect(pending.stats.decoded).toBe(before.decoded)
  })
})

describe('cost and fallbacks', () => {
  it('no open sale: no filter, no socket, no traffic; a sale opens them, its end closes them', async () => {
    const w = await openWatched('ws')
    await waitFor(() => w.watchers.watcher(31337)?.subscribed, { timeoutMs: 10_000, label: 'head feed' })
    const headSockets = proxy.openWebSockets
    proxy.resetCounts()
    await new Promise((r) => setTimeout(r, 600))
    expect(proxy.count('eth_newPendingTransactionFilter') + proxy.count('eth_getFilterChanges')).toBe(0)
    expect(proxy.openWebSockets).toBe(headSockets)
    expect(w.watchers.pending!.pending(31337)!.feed.isLive).toBe(false)

    const s = w.rig.sale('8.88')
    await following(w)
    expect(proxy.openWebSockets).toBe(headSockets + 1)
    w.rig.engine.sessions.cancel(s.id, { merchantId: MERCHANT_ID })
    await waitFor(() => !chainPending(w).feed.isLive && proxy.openWebSockets === headSockets, { timeoutMs: 5_000, label: 'closed' })

    // The next sale opens it again (the socket found before, not asked afresh), and it works as the first time did.
    const next = w.rig.sale('8.87')
    await following(w)
    const hash = await send(w.rig.address, amountOf(next))
    await untilIncoming(w.rig, next.id, hash)
  })

  it('an RPC without pending transactions: found once, shown as none, and the sale completes at its block as before', async () => {
    proxy.refuse(['eth_subscribe:newPendingTransactions', 'eth_newPendingTransactionFilter'])
    const w = await openWatched('ws')
    const { rig } = w
    const s1 = rig.sale('9.99')
    await waitFor(() => w.watchers.states()[0]?.pending_feed === 'none', { timeoutMs: 10_000, label: 'none' })
    const asked = proxy.count('eth_newPendingTransactionFilter')
    expect(asked).toBe(1)
    const hash = await send(rig.address, amountOf(s1))
    await new Promise((r) => setTimeout(r, 500))
    expect(get(rig, s1.id).pending_tx).toBeNull()
    await mineBlock()
    const done = await untilStatus(rig, s1.id, 'COMPLETED')
    expect(done.transactions.map((t) => t.tx_hash)).toEqual([hash])
    expect(eventsOf(rig, s1.id)).toEqual(['payment.processing', 'payment.completed'])
    expect(w.pushes.filter((p) => p.pending_tx !== null)).toEqual([])

    // A later sale does not ask again.
    rig.sale('9.98')
    await new Promise((r) => setTimeout(r, 500))
    expect(proxy.count('eth_newPendingTransactionFilter')).toBe(asked)
  })

  it('turned off (pending: false): nothing is asked and nothing is shown', async () => {
    const w = await openWatched('http', { pending: false })
    expect(w.watchers.pending).toBeNull()
    const s = w.rig.sale('1.11')
    proxy.resetCounts()
    await send(w.rig.address, amountOf(s))
    await new Promise((r) => setTimeout(r, 400))
    expect(proxy.count('eth_newPendingTransactionFilter')).toBe(0)
    expect(get(w.rig, s.id).pending_tx).toBeNull()
  })
})
