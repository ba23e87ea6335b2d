/**
 * A till whose clock is 30 minutes slow, against a real anvil whose chain runs
 * 30 minutes ahead of real time (`--timestamp` at genesis): a transfer the
 * owner assigns by hand is judged on time or late in chain time, as the
 * watcher's own matching does. Before the fix, `transfers:assign` compared the
 * raw block time with the sale's expiry (written by the till's clock), so a
 * payment made a minute after the sale was flagged `paid_late`.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Address } from 'viem'
import type { PaymentSession } from '../../src-preload/contract'
import { createEngine } from '../../src-main/engine'
import type { Engine } from '../../src-main/engine'
import { HandlerRegistry } from '../../src-main/engine/handlers'
import { ChainWatchers, registerWatcherHandlers } from '../../src-main/engine/watcher'
import { DEMO_TOKENS, sendStablecoin, setupDemoChain, startAnvil } from '../../src-main/devnet'
import type { Anvil, DemoChain } from '../../src-main/devnet'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'
import { mine, randomAddress } from '../../bench/lib/watcherRig'

const AHEAD = 1800
const MERCHANT = 'merchant_drift_assign'

let anvil: Anvil
let tokens: DemoChain
let dir: TempDir
let engine: Engine
let watchers: ChainWatchers
let stopWatchers: () => Promise<void>
const registry = new HandlerRegistry()
const shop: Address = randomAddress()

beforeAll(async () => {
  anvil = await startAnvil({ timestamp: Math.floor(Date.now() / 1000) + AHEAD })
  tokens = await setupDemoChain(anvil)
  dir = makeTempDir('stablepay-drift-assign')
  engine = createEngine({ dataDir: dir.path })
  engine.merchants.upsert({ id: MERCHANT, name: 'Drift Shop', currency: 'USD', receive: { mode: 'address', address: shop } })
  engine.networks.update({
    chainId: 31337,
    name: 'Anvil',
    testnet: true,
    rpcUrls: [anvil.rpcUrl],
    wsUrls: [],
    confirmations: 1,
    blockTimeMs: 1000,
    tokens: [{ symbol: DEMO_TOKENS.usdc.symbol, address: tokens.usdc, decimals: DEMO_TOKENS.usdc.decimals }],
  })
  watchers = new ChainWatchers(engine, { autoPoll: false, requestTimeoutMs: 15_000 })
  registerWatcherHandlers(registry, engine, watchers)
  stopWatchers = watchers.start()
}, 60_000)

afterAll(async () => {
  await stopWatchers?.()
  engine?.close()
  await dir?.cleanup()
  await anvil?.stop()
})

const sale = (orderId: string) =>
  engine.sessions.create({ merchantId: MERCHANT, livemode: false, orderId, amount: '9.99', currency: 'USD' }).session

it('judges a hand-assigned transfer in chain time: paid a moment after the sale is not paid late', async () => {
  // The watcher measures the till's clock against blocks that arrive while it watches.
  await watchers.pollNow()
  await mine(anvil.rpcUrl)
  await watchers.pollNow()
  expect(watchers.states()[0]!.clock_drift_seconds).toBeLessThan(-AHEAD + 10)

  // Two open sales on one address and an amount neither asked for: the watcher cannot tell whose it is.
  const mine1 = sale('assign-1')
  sale('assign-2')
  const sent = await sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: anvil.accounts[1]!, to: shop, amount: 5_000_000n })
  await watchers.pollNow()
  const unmatched = await registry.invoke('transfers:list', { unmatched: true })
  if (!unmatched.ok) throw new Error(unmatched.error.message)
  expect(unmatched.value.map((t) => t.tx_hash)).toEqual([sent.hash])

  const assigned = await registry.invoke('transfers:assign', {
    chain_id: 31337,
    tx_hash: sent.hash,
    log_index: sent.logIndex,
    session_id: mine1.id,
  })
  if (!assigned.ok) throw new Error(assigned.error.message)
  const session: PaymentSession = assigned.value
  expect(session.amount_paid_base_units).toBe('5000000')
  expect(session.exceptions).toContain('underpaid')
  // The block time is half an hour after the sale's expiry by the till's slow clock, a moment after the sale by the chain's.
  expect(session.exceptions).not.toContain('paid_late')
  expect(session.status).toBe('PROCESSING')
}, 60_000)
