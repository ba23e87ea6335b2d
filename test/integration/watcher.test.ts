/**
 * The chain watcher against a real anvil (automine) with the devnet's 6- and
 * 18-decimal stablecoins, through a loopback JSON-RPC proxy the tests control.
 * One anvil for the file; each test opens its own shop (fresh SQLite file,
 * fresh receiving address, clock synced to chain time). Outcomes are awaited
 * by polling a condition with a deadline, or by driving scans with pollNow().
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeFunctionData, getAddress, parseAbi } from 'viem'
import type { Address, Hash } from 'viem'
import type { ChainState, PaymentSession, SessionStatus } from '../../src-preload/contract'
import { HandlerRegistry } from '../../src-main/engine/handlers'
import type { ChainWatchersOptions } from '../../src-main/engine/watcher'
import { ChainWatchers, registerWatcherHandlers } from '../../src-main/engine/watcher'
import { sendStablecoin } from '../../src-main/devnet'
import type { Anvil, DemoChain } from '../../src-main/devnet'
import { useChainBehindProxy } from '../support/chainBehindProxy'
import { startRpcProxy } from '../support/rpcProxy'
import type { RpcProxy } from '../support/rpcProxy'
import { waitFor } from '../support/waitFor'
import type { ShopRig } from '../../bench/lib/watcherRig'
import { MERCHANT_ID, mine, openShopOnChain, removeDir, rpc } from '../../bench/lib/watcherRig'

let anvil: Anvil
let tokens: DemoChain
let proxy: RpcProxy
let payer: Address
const testCleanups = useChainBehindProxy(1, (chain) => {
  ;({ anvil, tokens, proxy, payer } = chain)
})

interface Running {
  rig: ShopRig
  watchers: ChainWatchers
  registry: HandlerRegistry
  stop: () => Promise<void>
}

async function openShop(opts: Partial<Parameters<typeof openShopOnChain>[0]> = {}): Promise<ShopRig> {
  const rig = await openShopOnChain({ tokens, rpcUrls: [proxy.httpUrl], chainRpcUrl: anvil.rpcUrl, ...opts })
  testCleanups.push(() => rig.close())
  if (!opts.dir) testCleanups.push(() => removeDir(rig.dir))
  return rig
}

/** Starts the watchers; by default without timers, scans run only through pollNow(). */
function watch(rig: ShopRig, options: ChainWatchersOptions = {}): Running {
  // A generous timeout: on a loaded 2-core runner a slow answer must not read as a dead provider.
  const watchers = new ChainWatchers(rig.engine, { autoPoll: false, requestTimeoutMs: 15_000, ...options })
  const registry = new HandlerRegistry()
  registerWatcherHandlers(registry, rig.engine, watchers)
  const stop = watchers.start()
  let stopped = false
  const stopOnce = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    await stop()
  }
  testCleanups.push(stopOnce)
  return { rig, watchers, registry, stop: stopOnce }
}

const get = (rig: ShopRig, id: string): PaymentSession => rig.engine.sessions.get(id, { merchantId: MERCHANT_ID })
const eventsOf = (rig: ShopRig, id: string): string[] =>
  rig.engine.db.prepare('SELECT type FROM events WHERE session_id = ? ORDER BY seq').pluck().all(id) as string[]
const statusesOf = (rig: ShopRig, id: string): string[] =>
  rig.engine.sessions.timeline(id, { merchantId: MERCHANT_ID }).map((t) => t.to_status)
const amountOf = (s: PaymentSession, i = 0): bigint => BigInt(s.payment_options[i]!.amount_base_units)

function untilStatus(rig: ShopRig, id: string, status: SessionStatus, timeoutMs = 15_000): Promise<PaymentSession> {
  return waitFor(
    () => {
      const s = get(rig, id)
      return s.status === status && s
    },
    { timeoutMs, label: `session ${id} ${status}` },
  )
}

async function chainState(r: Running): Promise<ChainState> {
  const result = await r.registry.invoke('chains:state', undefined)
  if (!result.ok) throw new Error(result.error.message)
  const state = result.value.find((s) => s.chain_id === 31337)
  if (!state) throw new Error('no state for chain 31337')
  return state
}

/** anvil can answer a send a moment before its block is in: wait for the receipt before scanning. */
async function mined(hash: string): Promise<void> {
  await waitFor(() => rpc(anvil.rpcUrl, 'eth_getTransactionReceipt', [hash]), { timeoutMs: 10_000, label: `receipt of ${hash}` })
}

function pay(to: Address, amount: bigint, token: 'usdc' | 'usdt' = 'usdc', from: Address = payer) {
  return sendStablecoin(anvil.rpcUrl, { token: tokens[token], from, to, amount })
}

describe('paying a session', () => {
  it('over HTTP polling: seen within the poll interval; with 1 confirmation one commit records PROCESSING and COMPLETED', async () => {
    const rig = await openShop({ confirmations: 1 })
    const r = watch(rig, { autoPoll: true, pollIntervalMs: 100 })
    await waitFor(async () => (await chainState(r)).connection === 'online', { timeoutMs: 10_000 })
    const s = rig.sale('12.34')
    const pushed: SessionStatus[] = []
    rig.engine.events.on('session:updated', (p) => {
      if (p.id === s.id) pushed.push(p.status)
    })
    const sent = await pay(rig.address, amountOf(s))
    const done = await untilStatus(rig, s.id, 'COMPLETED')
    expect(done.transactions).toEqual([
      expect.objectContaining({
        tx_hash: sent.hash,
        log_index: sent.logIndex,
        block_number: Number(sent.blockNumber),
        from: getAddress(payer),
        to: rig.address,
        amount_base_units: '12340000',
        token: 'USDC',
        state: 'confirmed',
      }),
    ])
    expect(eventsOf(rig, s.id)).toEqual(['payment.processing', 'payment.completed'])
    expect(statusesOf(rig, s.id)).toEqual(['PENDING', 'PROCESSING', 'COMPLETED'])
    // Both moves were one commit: the UI never saw a PROCESSING in between.
    expect(pushed).toEqual(['COMPLETED'])
    const transfer = rig.engine.db.prepare('SELECT block_hash FROM transfers WHERE tx_hash = ?').get(sent.hash) as { block_hash: string }
    expect(transfer.block_hash).toBe(sent.blockHash.toLowerCase())
  })

  it('idles slowly with no sale open, and speeds up to the counter pace as soon as one opens', async () => {
    const rig = await openShop()
    // Defaults: a 1 s block time gives a 1 s pace while a sale is open.
    const defaults = new ChainWatchers(rig.engine, { autoPoll: false })
    const stopDefaults = defaults.start()
    expect(defaults.watcher(31337)?.activeIntervalMs()).toBe(1000)
    await stopDefaults()

    const rig2 = await openShop()
    const r = watch(rig2, { autoPoll: true, pollIntervalMs: 200, idlePollIntervalMs: 60_000 })
    await waitFor(async () => (await chainState(r)).connection === 'online', { timeoutMs: 10_000 })
    proxy.resetCounts()
    const s = rig2.sale('4.56')
    await pay(rig2.address, amountOf(s))
    // Idle, the next poll would be a minute away; the open sale brings it within about a second.
    await untilStatus(rig2, s.id, 'COMPLETED', 5_000)
  })

  it('an 18-decimal token far above 2^63 base units, with confirmations counted on mined blocks', async () => {
    const rig = await openShop({ confirmations: 3 })
    const r = watch(rig)
    await r.watchers.pollNow()
    const s = rig.sale('250000.00', { token: 'USDT' })
    expect(amountOf(s)).toBe(250_000n * 10n ** 18n)
    expect(amountOf(s) > 2n ** 63n).toBe(true)
    await pay(rig.address, amountOf(s), 'usdt')
    await r.watchers.pollNow()
    expect(get(rig, s.id)).toMatchObject({ status: 'PROCESSING', confirmations: 1, required_confirmations: 3 })
    await mine(anvil.rpcUrl, 1)
    await r.watchers.pollNow()
    expect(get(rig, s.id)).toMatchObject({ status: 'PROCESSING', confirmations: 2 })
    await mine(anvil.rpcUrl, 1)
    await r.watchers.pollNow()
    const done = get(rig, s.id)
    expect(done).toMatchObject({ status: 'COMPLETED', confirmations: 3, amount_paid_base_units: '250000000000000000000000' })
    // One webhook event per status change, none per confirmation.
    expect(eventsOf(rig, s.id)).toEqual(['payment.processing', 'payment.completed'])
  })
})

describe('reorgs', () => {
  it('a reorg that removes the paying transfer: orphaned, the sale goes back to PENDING and never completes on it', async () => {
    const rig = await openShop({ confirmations: 3 })
    const r = watch(rig)
    await r.watchers.pollNow()
    const s = rig.sale('6.00')
    await pay(rig.address, amountOf(s))
    await r.watchers.pollNow()
    expect(get(rig, s.id).status).toBe('PROCESSING')
    await rpc(anvil.rpcUrl, 'anvil_reorg', [1, []])
    await r.watchers.pollNow()
    const back = get(rig, s.id)
    expect(back.status).toBe('PENDING')
    expect(back.transactions.map((t) => t.state)).toEqual(['orphaned'])
    expect(back.amount_paid_base_units).toBe('0')
    await mine(anvil.rpcUrl, 3)
    await r.watchers.pollNow()
    expect(get(rig, s.id).status).toBe('PENDING')
    expect(eventsOf(rig, s.id)).toEqual(['payment.processing'])
  })

  it('a reorg that moves the transfer to another block: it follows, no step back, completes at its new depth', async () => {
    const rig = await openShop({ confirmations: 3 })
    const r = watch(rig)
    await mine(anvil.rpcUrl, 1)
    await r.watchers.pollNow()
    await mine(anvil.rpcUrl, 1)
    await r.watchers.pollNow()
    const s = rig.sale('7.00')
    const data = encodeFunctionData({
      abi: parseAbi(['function transfer(address to, uint256 amount) returns (bool)']),
      functionName: 'transfer',
      args: [rig.address, amountOf(s)],
    })
    // Signed by the node for its unlocked dev account, so the very same transaction can be replayed into the new branch.
    const raw = await rpc<Hash>(anvil.rpcUrl, 'eth_signTransaction', [{ from: payer, to: tokens.usdc, data, gas: '0x30000' }])
    const hash = await rpc<Hash>(anvil.rpcUrl, 'eth_sendRawTransaction', [raw])
    const receipt = (): Promise<{ blockNumber: string; blockHash: string } | null> => rpc(anvil.rpcUrl, 'eth_getTransactionReceipt', [hash])
    // anvil may answer the send a moment before the block is in.
    const before = await waitFor(receipt, { timeoutMs: 10_000 })
    await r.watchers.pollNow()
    expect(get(rig, s.id)).toMatchObject({ status: 'PROCESSING', confirmations: 1 })

    // Replace the last two blocks; the payment lands in the first of the new ones.
    await rpc(anvil.rpcUrl, 'anvil_reorg', [2, [[raw, 0]]])
    const after = await waitFor(
      async () => {
        const r = await receipt()
        return r && r.blockHash !== before.blockHash && r
      },
      { timeoutMs: 10_000 },
    )
    expect(Number(after.blockNumber)).toBe(Number(before.blockNumber) - 1)
    await r.watchers.pollNow()
    const moved = get(rig, s.id)
    expect(moved.status).toBe('PROCESSING')
    expect(moved.transactions).toEqual([
      expect.objectContaining({ tx_hash: hash, block_number: Number(after.blockNumber), state: 'pending', confirmations: 2 }),
    ])
    await mine(anvil.rpcUrl, 1)
    await r.watchers.pollNow()
    expect(get(rig, s.id).status).toBe('COMPLETED')
    expect(statusesOf(rig, s.id)).toEqual(['PENDING', 'PROCESSING', 'COMPLETED'])
    const row = rig.engine.db.prepare('SELECT block_hash FROM transfers WHERE tx_hash = ?').get(hash) as { block_hash: string }
    expect(row.block_hash).toBe(after.blockHash.toLowerCase())
  })
})

describe('closed, offline, and back', () => {
  it('stopped, payments made meanwhile, restarted: catches up, on time by block time, late ones flagged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stablepay-watcher-restart-'))
    testCleanups.push(() => removeDir(dir))
    const first = await openShop({ dir })
    const address = first.address
    const r1 = watch(first)
    await r1.watchers.pollNow()
    const onTime = first.sale('3.00')
    const late = first.sale('4.00')
    const never = first.sale('5.00')
    await r1.stop()
    first.close()

    // While the app is closed: one sale is paid before it expires, the other 2 minutes after.
    await pay(address, amountOf(onTime))
    await mine(anvil.rpcUrl, 5)
    await rpc(anvil.rpcUrl, 'evm_setNextBlockTimestamp', [late.expires_at + 120])
    await pay(address, amountOf(late))
    await mine(anvil.rpcUrl, 5)

    const again = await openShop({ dir, address })
    expect(again.clock.now() / 1000).toBeGreaterThan(late.expires_at)
    again.engine.sessions.expireDue()
    const r2 = watch(again)
    await r2.watchers.pollNow()
    const a = get(again, onTime.id)
    expect(a).toMatchObject({ status: 'COMPLETED', exceptions: [] })
    expect(eventsOf(again, onTime.id)).toEqual(['payment.expired', 'payment.processing', 'payment.completed'])
    const b = get(again, late.id)
    expect(b).toMatchObject({ status: 'COMPLETED', exceptions: ['paid_late'] })
    expect(get(again, never.id).status).toBe('EXPIRED')
  })

  it('a provider that refuses large block ranges: the range shrinks and catch-up still sees every payment', async () => {
    const rig = await openShop()
    const r = watch(rig, { maxBlockRange: 1000 })
    await r.watchers.pollNow()
    const s = rig.sale('8.00')
    proxy.setMaxLogRange(5)
    await mine(anvil.rpcUrl, 20)
    await pay(rig.address, amountOf(s))
    await mine(anvil.rpcUrl, 20)
    proxy.resetCounts()
    await r.watchers.pollNow()
    expect(get(rig, s.id).status).toBe('COMPLETED')
    // 42 blocks: refused at 42, 21 and 10, then 5-block ranges.
    expect(proxy.count('eth_getLogs')).toBeGreaterThanOrEqual(3 + 9)
    expect((await chainState(r)).connection).toBe('online')
  })

  it('the primary RPC dies, then hangs, mid-run: the watcher carries on through the next URL', async () => {
    const secondary = await startRpcProxy({ target: { http: anvil.rpcUrl, ws: anvil.wsUrl } })
    testCleanups.push(() => secondary.stop())
    const rig = await openShop({ rpcUrls: [proxy.httpUrl, secondary.httpUrl] })
    const r = watch(rig, { autoPoll: true, pollIntervalMs: 100, requestTimeoutMs: 1_000, maxBackoffMs: 2_000 })
    const s1 = rig.sale('1.10')
    await pay(rig.address, amountOf(s1))
    await untilStatus(rig, s1.id, 'COMPLETED')
    expect(secondary.count('eth_getLogs')).toBe(0)

    proxy.setMode('down')
    const s2 = rig.sale('1.20')
    await pay(rig.address, amountOf(s2))
    await untilStatus(rig, s2.id, 'COMPLETED')
    expect(secondary.count('eth_getLogs')).toBeGreaterThan(0)
    const state = await chainState(r)
    expect(state.connection).toBe('online')
    expect(state.last_error).toContain(new URL(proxy.httpUrl).host)

    proxy.setMode('hang')
    const s3 = rig.sale('1.30')
    await pay(rig.address, amountOf(s3))
    await untilStatus(rig, s3.id, 'COMPLETED')
    expect((await chainState(r)).connection).toBe('online')
  })

  it('429 with Retry-After: asks again only when told, then resumes', async () => {
    const rig = await openShop()
    const r = watch(rig, { autoPoll: true, pollIntervalMs: 100 })
    await waitFor(async () => (await chainState(r)).connection === 'online', { timeoutMs: 10_000 })
    const s = rig.sale('2.22')
    proxy.setRetryAfter(1)
    proxy.setMode('rate-limit')
    proxy.resetCounts()
    await waitFor(() => proxy.counts.total >= 1, { timeoutMs: 5_000 })
    const firstRefusal = Date.now()
    await waitFor(() => proxy.counts.total >= 2, { timeoutMs: 5_000 })
    // Polling every 100 ms, yet the second call waits out the one second the provider asked for.
    expect(Date.now() - firstRefusal).toBeGreaterThanOrEqual(900)
    expect((await chainState(r)).last_error).toMatch(/rate limited/)
    await pay(rig.address, amountOf(s))
    proxy.setMode('pass')
    await untilStatus(rig, s.id, 'COMPLETED')
    expect((await chainState(r)).last_error).toBeNull()
  })

  it('all RPCs down: `offline` through the contract, payments made meanwhile are caught up on recovery', async () => {
    const rig = await openShop()
    const r = watch(rig, { autoPoll: true, pollIntervalMs: 100, maxBackoffMs: 400 })
    await waitFor(async () => (await chainState(r)).connection === 'online', { timeoutMs: 10_000 })
    const changes: ChainState[] = []
    rig.engine.events.on('chain:state-changed', (st) => changes.push(st))
    const s = rig.sale('3.33')
    proxy.setMode('down')
    await waitFor(async () => (await chainState(r)).connection === 'offline', { timeoutMs: 10_000 })
    await pay(rig.address, amountOf(s))
    await mine(anvil.rpcUrl, 3)
    expect(get(rig, s.id).status).toBe('PENDING')
    proxy.setMode('pass')
    await untilStatus(rig, s.id, 'COMPLETED')
    expect((await chainState(r)).connection).toBe('online')
    expect(changes.map((c) => c.connection)).toEqual(expect.arrayContaining(['offline', 'online']))
  })
})

describe('exceptions on chain', () => {
  it('underpaid → remainder QR paid exactly; overpaid; paid after cancel; paid after completion; simulated payments', async () => {
    const rig = await openShop()
    const r = watch(rig)
    await r.watchers.pollNow()
    const invoke = async <T>(result: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
      const x = await result
      if (!x.ok) throw new Error(x.error.message)
      return x.value
    }

    // Underpaid (simulated from dev account #1): PROCESSING, what remains shown with its own QR.
    const under = rig.sale('10.00')
    await mined((await invoke(r.registry.invoke('sessions:simulate-payment', { id: under.id, kind: 'under' }))).tx_hash)
    await r.watchers.pollNow()
    const u = get(rig, under.id)
    expect(u).toMatchObject({ status: 'PROCESSING', exceptions: ['underpaid'], amount_remaining_base_units: '5000000' })
    expect(u.remainder_option?.amount_base_units).toBe('5000000')
    await pay(rig.address, BigInt(u.remainder_option!.amount_base_units), 'usdc', anvil.accounts[2]!)
    await r.watchers.pollNow()
    expect(get(rig, under.id)).toMatchObject({ status: 'COMPLETED', exceptions: ['multiple_payments'], amount_paid_base_units: '10000000' })

    // Overpaid: the only open sale on the address takes it.
    const over = rig.sale('2.00')
    await mined((await invoke(r.registry.invoke('sessions:simulate-payment', { id: over.id, kind: 'over' }))).tx_hash)
    await r.watchers.pollNow()
    expect(get(rig, over.id)).toMatchObject({ status: 'COMPLETED', exceptions: ['overpaid'], amount_paid_base_units: '2200000' })

    // Paid again after completion.
    await pay(rig.address, amountOf(over))
    await r.watchers.pollNow()
    expect(get(rig, over.id).exceptions).toEqual(expect.arrayContaining(['overpaid', 'multiple_payments']))
    expect(get(rig, over.id).status).toBe('COMPLETED')

    // Paid after cancel: flagged for a refund, no webhook.
    const cancelled = rig.sale('4.00')
    rig.engine.sessions.cancel(cancelled.id, { merchantId: MERCHANT_ID })
    await pay(rig.address, amountOf(cancelled))
    await r.watchers.pollNow()
    expect(get(rig, cancelled.id)).toMatchObject({ status: 'CANCELLED', exceptions: ['paid_after_cancel'] })
    expect(eventsOf(rig, cancelled.id)).toEqual(['payment.cancelled'])

    // An exact simulated payment.
    const exact = rig.sale('1.23')
    const { tx_hash } = await invoke(r.registry.invoke('sessions:simulate-payment', { id: exact.id, kind: 'exact' }))
    await mined(tx_hash)
    await r.watchers.pollNow()
    expect(get(rig, exact.id)).toMatchObject({ status: 'COMPLETED', exceptions: [] })
    expect(get(rig, exact.id).transactions[0]!.tx_hash).toBe(tx_hash)
  })

  it('unmatched transfers are listed and assigned by hand; an order paid twice flags both sessions', async () => {
    const rig = await openShop()
    const r = watch(rig)
    await r.watchers.pollNow()
    const a = rig.sale('5.00')
    const b = rig.sale('6.00')
    // Matches neither amount, and two sales are open: nobody's.
    const sent = await pay(rig.address, 5_500_000n)
    await r.watchers.pollNow()
    const listed = await r.registry.invoke('transfers:list', { unmatched: true })
    expect(listed.ok && listed.value.map((t) => [t.tx_hash, t.session_id, t.amount_base_units])).toEqual([[sent.hash, null, '5500000']])
    const assigned = await r.registry.invoke('transfers:assign', {
      chain_id: 31337,
      tx_hash: sent.hash,
      log_index: sent.logIndex,
      session_id: b.id,
    })
    expect(assigned.ok && assigned.value).toMatchObject({ id: b.id, status: 'PROCESSING', exceptions: ['underpaid'] })
    const none = await r.registry.invoke('transfers:list', { unmatched: true })
    expect(none.ok && none.value).toEqual([])

    // Order "dup": the first session expires, a second is paid, then the customer also pays the old QR.
    const old = rig.sale('7.00', { orderId: 'dup' })
    rig.engine.sessions.cancel(a.id, { merchantId: MERCHANT_ID })
    rig.clock.advance(901_000)
    rig.engine.sessions.expireDue()
    expect(get(rig, old.id).status).toBe('EXPIRED')
    const fresh = rig.sale('7.00', { orderId: 'dup' })
    // The chain's time moves on with the shop's: the next blocks are made after the fresh sale.
    await rpc(anvil.rpcUrl, 'evm_setNextBlockTimestamp', [fresh.created_at + 1])
    await pay(rig.address, amountOf(fresh))
    await r.watchers.pollNow()
    expect(get(rig, fresh.id).status).toBe('COMPLETED')
    await pay(rig.address, amountOf(old))
    await r.watchers.pollNow()
    expect(get(rig, old.id).exceptions).toContain('duplicate_order_payment')
    expect(get(rig, fresh.id).exceptions).toContain('duplicate_order_payment')
  })
})
