/**
 * Refunds (#11): what watching for them costs the chain provider, and how fast
 * a paid refund is seen.
 *
 *   npx tsx bench/refunds.ts [--blocks 20] [--sizes 0,1,1000] [--latency-runs 5]
 *
 * 1. RPC requests per block with 0, 1 and 1,000 open refunds (1,000 distinct
 *    customer addresses), counted by a loopback proxy in front of anvil
 *    (test/support/rpcProxy), beside the same shop with no refund at all: the
 *    ratio must stay ≤ 1.5 (at most one extra eth_getLogs per block,
 *    whatever the number of refunds).
 * 2. Detection latency over WebSocket heads: from the block holding the
 *    shop's refund transfer to the refund's `succeeded` (1 confirmation),
 *    beside a customer's payment to `COMPLETED` on the same watcher.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Address } from 'viem'
import type { Engine } from '../src-main/engine'
import { createEngine, ManualClock } from '../src-main/engine'
import { ChainWatchers } from '../src-main/engine/watcher'
import { DEMO_TOKENS, sendStablecoin, setupDemoChain, startAnvil } from '../src-main/devnet'
import type { Anvil, DemoChain } from '../src-main/devnet'
import { startRpcProxy } from '../test/support/rpcProxy'
import type { RpcProxy } from '../test/support/rpcProxy'
import { benchArgs } from './lib/args'
import { ms, stats } from './lib/stats'
import { chainTime, mine, randomAddress, removeDir, rpc } from './lib/watcherRig'

const args = benchArgs({ blocks: 20, sizes: '0,1,1000', 'latency-runs': 5 })
const BLOCKS = args.blocks
const SIZES = args.sizes.split(',').map(Number)
const MERCHANT = 'merchant_bench'
const scope = { merchantId: MERCHANT, livemode: false }

interface Shop {
  engine: Engine
  dir: string
  address: Address
  clock: ManualClock
}

async function openShop(anvil: Anvil, tokens: DemoChain, proxy: RpcProxy, ws: boolean): Promise<Shop> {
  const dir = mkdtempSync(join(tmpdir(), 'stablepay-bench-refunds-'))
  const clock = new ManualClock((await chainTime(anvil.rpcUrl)) * 1000)
  const engine = createEngine({ dataDir: dir, clock })
  const address = randomAddress()
  engine.merchants.upsert({ id: MERCHANT, name: 'Bench', currency: 'USD', receive: { mode: 'address', address } })
  engine.networks.update({
    chainId: 31337,
    name: 'Anvil',
    testnet: true,
    rpcUrls: [proxy.httpUrl],
    wsUrls: ws ? [proxy.wsUrl] : [],
    confirmations: 1,
    blockTimeMs: 1000,
    tokens: [{ symbol: 'USDC', address: tokens.usdc, decimals: DEMO_TOKENS.usdc.decimals }],
  })
  return { engine, dir, address, clock }
}

/** A completed sale of `price` USD paid by dev account 1, and the watcher that saw it. */
async function paidSale(anvil: Anvil, tokens: DemoChain, shop: Shop, watchers: ChainWatchers, price: string): Promise<string> {
  const s = shop.engine.sessions.create({
    merchantId: MERCHANT,
    livemode: false,
    orderId: `o-${Date.now()}-${price}`,
    amount: price,
    currency: 'USD',
  }).session
  const option = s.payment_options[0]!
  await sendStablecoin(anvil.rpcUrl, {
    token: tokens.usdc,
    from: anvil.accounts[1]!,
    to: shop.address,
    amount: BigInt(option.amount_base_units),
  })
  await watchers.pollNow()
  return s.id
}

async function requestsPerBlock(
  anvil: Anvil,
  tokens: DemoChain,
  proxy: RpcProxy,
  refunds: number,
): Promise<{ perBlock: number; byMethod: Record<string, number> }> {
  const shop = await openShop(anvil, tokens, proxy, false)
  const watchers = new ChainWatchers(shop.engine, { autoPoll: false, clock: shop.clock })
  const stop = watchers.start()
  await watchers.pollNow()
  const sale = await paidSale(anvil, tokens, shop, watchers, '10000.00')
  for (let i = 0; i < refunds; i++)
    shop.engine.refunds.create({ ...scope, session_id: sale, amount: '0.01', destination: randomAddress(), refund_id: `bench-${i}` })
  await watchers.pollNow()
  proxy.resetCounts()
  for (let b = 0; b < BLOCKS; b++) {
    await mine(anvil.rpcUrl, 1)
    await watchers.pollNow()
  }
  const perBlock = proxy.counts.total / BLOCKS
  const byMethod = Object.fromEntries(Object.entries(proxy.counts.byMethod).map(([m, n]) => [m, n / BLOCKS]))
  await stop()
  shop.engine.close()
  removeDir(shop.dir)
  return { perBlock, byMethod }
}

/** Milliseconds from the block holding `send`'s transaction (its receipt) to `done()` being true. */
async function timeToSee(send: () => Promise<unknown>, done: () => boolean): Promise<number> {
  await send()
  const t0 = performance.now()
  while (!done()) await new Promise((r) => setTimeout(r, 1))
  return performance.now() - t0
}

async function latency(anvil: Anvil, tokens: DemoChain, proxy: RpcProxy, runs: number): Promise<{ refund: number[]; payment: number[] }> {
  const shop = await openShop(anvil, tokens, proxy, true)
  const watchers = new ChainWatchers(shop.engine, { clock: shop.clock, pollIntervalMs: 60_000, idlePollIntervalMs: 60_000 })
  const stop = watchers.start()
  await watchers.pollNow()
  while (!watchers.watcher(31337)?.subscribed) await new Promise((r) => setTimeout(r, 10))
  const refund: number[] = []
  const payment: number[] = []
  await rpc(anvil.rpcUrl, 'anvil_impersonateAccount', [shop.address])
  await rpc(anvil.rpcUrl, 'anvil_setBalance', [shop.address, '0xDE0B6B3A7640000'])
  for (let i = 0; i < runs; i++) {
    // Payment: a customer pays a sale; seen when it is COMPLETED.
    const s = shop.engine.sessions.create({
      merchantId: MERCHANT,
      livemode: false,
      orderId: `lat-${i}`,
      amount: '5.00',
      currency: 'USD',
    }).session
    const amount = BigInt(s.payment_options[0]!.amount_base_units)
    payment.push(
      await timeToSee(
        () => sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: anvil.accounts[1]!, to: shop.address, amount }),
        () => shop.engine.sessions.get(s.id, scope).status === 'COMPLETED',
      ),
    )
    // Refund: the shop pays part of it back; seen when the refund has succeeded.
    const r = shop.engine.refunds.create({ ...scope, session_id: s.id, amount: '1.00', destination: anvil.accounts[1]! }).refund
    refund.push(
      await timeToSee(
        () => sendStablecoin(anvil.rpcUrl, { token: tokens.usdc, from: shop.address, to: anvil.accounts[1]!, amount: 1_000_000n }),
        () => shop.engine.refunds.get(r.id, scope).status === 'succeeded',
      ),
    )
  }
  await stop()
  shop.engine.close()
  removeDir(shop.dir)
  return { refund, payment }
}

async function main(): Promise<void> {
  const anvil = await startAnvil()
  const proxy = await startRpcProxy({ target: { http: anvil.rpcUrl, ws: anvil.wsUrl } })
  try {
    const tokens = await setupDemoChain(anvil)
    console.log(`RPC requests per block (${BLOCKS} empty blocks each, HTTP polling, one scan per block)`)
    const none = await requestsPerBlock(anvil, tokens, proxy, 0)
    console.log(`no refund at all (baseline)          ${none.perBlock.toFixed(2)} req/block ${JSON.stringify(none.byMethod)}`)
    let met = true
    for (const n of SIZES) {
      const row = await requestsPerBlock(anvil, tokens, proxy, n)
      const ratio = row.perBlock / none.perBlock
      met &&= ratio <= 1.5
      console.log(
        `${`${n.toLocaleString('en')} open refund${n === 1 ? '' : 's'}`.padEnd(36)} ${row.perBlock.toFixed(2)} req/block ${JSON.stringify(row.byMethod)}  ratio ${ratio.toFixed(2)}`,
      )
    }
    console.log(`target: ratio ≤ 1.5 for every size → ${met ? 'met' : 'MISSED'}`)

    const runs = args['latency-runs']
    const { refund, payment } = await latency(anvil, tokens, proxy, runs)
    const r = stats(refund)
    const p = stats(payment)
    console.log(
      `detection latency over WebSocket heads (${runs} runs, block → status): refund succeeded p50 ${ms(r.p50)} max ${ms(r.max)}  |  ` +
        `payment completed p50 ${ms(p.p50)} max ${ms(p.max)}  |  ratio refund/payment ${(r.p50 / p.p50).toFixed(2)}`,
    )
  } finally {
    await proxy.stop()
    await anvil.stop()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
