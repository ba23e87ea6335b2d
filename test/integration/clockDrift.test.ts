/**
 * A till whose clock is 15 minutes fast, against a real anvil whose chain runs
 * 15 minutes behind real time (`--timestamp` at genesis: later blocks keep the
 * distance) and an engine on the system clock: the drift is measured on the
 * blocks as they arrive and shown by `chains:state`, and an exact payment made
 * right after the sale is credited (before the fix it stayed unmatched: its
 * block was "15 minutes older than the sale").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Address } from 'viem'
import type { ChainState } from '../../src-preload/contract'
import { createEngine } from '../../src-main/engine'
import type { Engine } from '../../src-main/engine'
import { HandlerRegistry } from '../../src-main/engine/handlers'
import { ChainWatchers, registerWatcherHandlers } from '../../src-main/engine/watcher'
import { DEMO_TOKENS, sendStablecoin, setupDemoChain, startAnvil } from '../../src-main/devnet'
import type { Anvil, DemoChain } from '../../src-main/devnet'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'
import { mine, randomAddress, rpc } from '../../bench/lib/watcherRig'

const BEHIND = 900
const MERCHANT = 'merchant_drift'

let anvil: Anvil
let tokens: DemoChain
let dir: TempDir
let engine: Engine
let watchers: ChainWatchers
let stopWatchers: () => Promise<void>
const registry = new HandlerRegistry()
const shop: Address = randomAddress()

beforeAll(async () => {
  anvil = await startAnvil({ timestamp: Math.floor(Date.now() / 1000) - BEHIND })
  tokens = await setupDemoChain(anvil)
  dir = makeTempDir('stablepay-drift')
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

async function chainState(): Promise<ChainState> {
  const result = await registry.invoke('chains:state', undefined)
  if (!result.ok) throw new Error(result.error.message)
  return result.value.find((s) => s.chain_id === 31337)!
}

describe('a till 15 minutes ahead of the chain', () => {
  it('reports the drift in chains:state once a block arrives, and credits an exact payment made right after the sale', async () => {
    await watchers.pollNow()
    // The head found at start may be old on a quiet chain: no verdict from it.
    expect((await chainState()).clock_drift_seconds).toBeNull()
    await mine(anvil.rpcUrl)
    await watchers.pollNow()
    const drift = (await chainState()).clock_drift_seconds
    expect(drift).toBeGreaterThanOrEqual(BEHIND - 5)
    expect(drift).toBeLessThanOrEqual(BEHIND + 5)

    const sale = engine.sessions.create({
      merchantId: MERCHANT,
      livemode: false,
      orderId: 'drift-1',
      amount: '9.99',
      currency: 'USD',
    }).session
    const amount = BigInt(sale.payment_options[0]!.amount_base_units)
    const sent = await sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: anvil.accounts[1]!, to: shop, amount })
    await waitFor(() => rpc(anvil.rpcUrl, 'eth_getTransactionReceipt', [sent.hash]), { timeoutMs: 10_000, label: 'receipt' })
    await watchers.pollNow()
    const paid = engine.sessions.get(sale.id, { merchantId: MERCHANT })
    expect(paid).toMatchObject({ status: 'COMPLETED', exceptions: [], amount_paid_base_units: amount.toString() })
    // The block is stamped 15 minutes before the sale by the till's clock, and recorded with the chain's own time.
    expect(paid.transactions[0]!.block_timestamp).toBeLessThan(sale.created_at - BEHIND + 60)
  })
})
