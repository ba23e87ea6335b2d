/**
 * The watcher with a WebSocket head subscription, through a loopback proxy
 * that can drop every socket. Polling is set slow (or rare) so that what is
 * seen fast can only have come through the subscription.
 */
import { describe, expect, it } from 'vitest'
import type { Address } from 'viem'
import type { ChainState, PaymentSession, SessionStatus } from '../../src-preload/contract'
import type { ChainWatchersOptions } from '../../src-main/engine/watcher'
import { ChainWatchers } from '../../src-main/engine/watcher'
import { sendStablecoin } from '../../src-main/devnet'
import type { Anvil, DemoChain } from '../../src-main/devnet'
import { useChainBehindProxy } from '../support/chainBehindProxy'
import type { RpcProxy } from '../support/rpcProxy'
import { waitFor } from '../support/waitFor'
import type { ShopRig } from '../../bench/lib/watcherRig'
import { MERCHANT_ID, openShopOnChain, removeDir } from '../../bench/lib/watcherRig'

let anvil: Anvil
let tokens: DemoChain
let proxy: RpcProxy
let payer: Address
const testCleanups = useChainBehindProxy(3, (chain) => {
  ;({ anvil, tokens, proxy, payer } = chain)
})

async function openWatched(options: ChainWatchersOptions): Promise<{ rig: ShopRig; watchers: ChainWatchers }> {
  const rig = await openShopOnChain({ tokens, rpcUrls: [proxy.httpUrl], wsUrls: [proxy.wsUrl], chainRpcUrl: anvil.rpcUrl })
  testCleanups.push(() => removeDir(rig.dir))
  testCleanups.push(() => rig.close())
  const watchers = new ChainWatchers(rig.engine, { requestTimeoutMs: 15_000, ...options })
  const stop = watchers.start()
  testCleanups.push(stop)
  return { rig, watchers }
}

const get = (rig: ShopRig, id: string): PaymentSession => rig.engine.sessions.get(id, { merchantId: MERCHANT_ID })
const amountOf = (s: PaymentSession): bigint => BigInt(s.payment_options[0]!.amount_base_units)
const state = (w: ChainWatchers): ChainState | undefined => w.states().find((s) => s.chain_id === 31337)

function untilStatus(rig: ShopRig, id: string, status: SessionStatus, timeoutMs: number): Promise<PaymentSession> {
  return waitFor(
    () => {
      const s = get(rig, id)
      return s.status === status && s
    },
    { timeoutMs, label: `session ${id} ${status}` },
  )
}

/** Resolves with the time the engine pushed the session as PROCESSING (or beyond). */
function processingSeen(rig: ShopRig, id: string): Promise<number> {
  return new Promise((resolve) => {
    const off = rig.engine.events.on('session:updated', (s) => {
      if (s.id !== id || s.status === 'PENDING') return
      off()
      resolve(performance.now())
    })
  })
}

describe('over WebSocket', () => {
  it('a payment is seen from the new-heads subscription, long before the next poll', async () => {
    // Polls every 30 s: anything faster came through the socket.
    const { rig, watchers } = await openWatched({ pollIntervalMs: 30_000, idlePollIntervalMs: 30_000 })
    await waitFor(() => watchers.watcher(31337)?.subscribed && state(watchers)?.connection === 'online', { timeoutMs: 10_000 })
    expect(proxy.count('eth_subscribe')).toBeGreaterThanOrEqual(1)
    const s = rig.sale('9.99')
    const seen = processingSeen(rig, s.id)
    const sentAt = performance.now()
    await sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: payer, to: rig.address, amount: amountOf(s) })
    const latency = (await seen) - sentAt
    expect(latency).toBeLessThan(2_000)
    expect(get(rig, s.id).status).toBe('COMPLETED')
  })

  it('a dropped WebSocket: polls within one interval meanwhile, resubscribes, and catches up', async () => {
    const { rig, watchers } = await openWatched({ pollIntervalMs: 500, idlePollIntervalMs: 30_000, wsReconnectMinMs: 4_000 })
    await waitFor(() => watchers.watcher(31337)?.subscribed, { timeoutMs: 10_000 })
    const connectionsBefore = proxy.counts.wsConnections
    const s1 = rig.sale('1.01')
    expect(proxy.dropWebSockets()).toBeGreaterThanOrEqual(1)
    await waitFor(() => /WebSocket/.test(state(watchers)?.last_error ?? ''), { timeoutMs: 5_000 })
    await sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: payer, to: rig.address, amount: amountOf(s1) })
    // Seen by polling (every 500 ms) while the socket waits 4 s to come back.
    await untilStatus(rig, s1.id, 'COMPLETED', 3_000)
    expect(proxy.counts.wsConnections).toBe(connectionsBefore)

    await waitFor(() => watchers.watcher(31337)?.subscribed && state(watchers)?.last_error === null, { timeoutMs: 15_000 })
    expect(proxy.counts.wsConnections).toBeGreaterThan(connectionsBefore)
    const s2 = rig.sale('1.02')
    await sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: payer, to: rig.address, amount: amountOf(s2) })
    await untilStatus(rig, s2.id, 'COMPLETED', 3_000)
  })
})
