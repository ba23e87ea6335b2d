/**
 * RPC requests per block with 1, 100 and 10,000 open sessions, counted by a
 * loopback proxy in front of anvil (test/support/rpcProxy), beside a
 * per-session polling baseline on the same blocks.
 *
 *   npx tsx bench/watcher-rpc.ts [--blocks 20] [--baseline-blocks 3] [--sizes 1,100,10000]
 *
 * Each block carries one payment to one of the open sessions (so matching and
 * crediting run), then the watcher scans it (HTTP polling mode, one scan per
 * block, driven by pollNow so every block is seen exactly once). The
 * baseline is the naive design: per block, one eth_blockNumber and one
 * eth_getLogs per open session (its token and receiving address), the way a
 * watcher that polls "has this session been paid?" works.
 *
 * Also run with 10,000 xpub sessions (10,000 distinct receiving addresses),
 * which switches the watcher from a topic filter to fetching the token's
 * Transfer logs and filtering locally.
 *
 * Also 100 sessions over WebSocket (new heads pushed; the header comes with them).
 *
 * Target: our requests per block flat from 1 to 10,000 sessions.
 */
import { encodeFunctionData, parseAbi } from 'viem'
import type { Address } from 'viem'
import { createEngine, ManualClock } from '../src-main/engine'
import { ChainWatchers } from '../src-main/engine/watcher'
import { DEMO_TOKENS, setupDemoChain, startAnvil } from '../src-main/devnet'
import type { Anvil, DemoChain } from '../src-main/devnet'
import { startRpcProxy } from '../test/support/rpcProxy'
import type { RpcProxy } from '../test/support/rpcProxy'
import { benchArgs } from './lib/args'
import { chainTime, headNumber, mine, randomAddress, removeDir, rpc } from './lib/watcherRig'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const args = benchArgs({ blocks: 20, 'baseline-blocks': 3, sizes: '1,100,10000' })
const BLOCKS = args.blocks
const BASELINE_BLOCKS = args['baseline-blocks']
const SIZES = args.sizes.split(',').map(Number)
const XPUB = 'xpub6DyUKdwoLWmUJ4Tn9Bbsdtx7B5Ws18mEN19e5HT52ikE53FiUheSQXrZUNPovqfyKmw4579A1Mm3GXXKM39N64uooBfJ4tNAzFsEbodRTx4'
const transferAbi = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])
const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef'

interface Row {
  label: string
  sessions: number
  ours: number
  baseline: number
}

async function runOne(
  anvil: Anvil,
  tokens: DemoChain,
  proxy: RpcProxy,
  sessions: number,
  mode: 'address' | 'xpub',
  transport: 'http' | 'ws' = 'http',
): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'stablepay-bench-rpc-'))
  const clock = new ManualClock((await chainTime(anvil.rpcUrl)) * 1000)
  const engine = createEngine({ dataDir: dir, clock })
  const shopAddress = randomAddress()
  engine.merchants.upsert({
    id: 'merchant_bench',
    name: 'Bench',
    currency: 'USD',
    receive: mode === 'address' ? { mode: 'address', address: shopAddress } : { mode: 'xpub', xpub: XPUB },
    sessionTtlSeconds: 86_400,
  })
  engine.networks.update({
    chainId: 31337,
    name: 'Anvil',
    testnet: true,
    rpcUrls: [proxy.httpUrl],
    wsUrls: transport === 'ws' ? [proxy.wsUrl] : [],
    confirmations: 1,
    blockTimeMs: 1000,
    tokens: [{ symbol: 'USDC', address: tokens.usdc, decimals: DEMO_TOKENS.usdc.decimals }],
  })
  const t0 = performance.now()
  const open: Array<{ address: Address; amount: bigint }> = []
  for (let i = 0; i < sessions; i++) {
    // Distinct prices, as a busy shop has: every session keeps its own reserved amount.
    const amount = `${1 + Math.floor(i / 100)}.${String(i % 100).padStart(2, '0')}`
    const s = engine.sessions.create({ merchantId: 'merchant_bench', livemode: false, orderId: `o${i}`, amount, currency: 'USD' }).session
    const option = s.payment_options[0]!
    open.push({ address: option.address as Address, amount: BigInt(option.amount_base_units) })
  }
  const createdIn = performance.now() - t0

  // HTTP: one scan per block driven by pollNow. WebSocket: timers on, polling a minute apart, so every
  // scan is started by a new-heads notification.
  const watchers =
    transport === 'http'
      ? new ChainWatchers(engine, { autoPoll: false, clock })
      : new ChainWatchers(engine, { clock, pollIntervalMs: 60_000, idlePollIntervalMs: 60_000 })
  const stop = watchers.start()
  await watchers.pollNow()
  if (transport === 'ws') while (!watchers.watcher(31337)?.subscribed) await new Promise((r) => setTimeout(r, 10))
  const cursor = (): number =>
    (engine.db.prepare('SELECT block_number FROM chain_cursors WHERE chain_id = 31337').get() as { block_number: number } | undefined)
      ?.block_number ?? -1
  const payer = anvil.accounts[2]!

  // Ours: one payment per block (to the last sessions, so most stay open), one scan per block.
  proxy.resetCounts()
  let scanMs = 0
  for (let b = 0; b < BLOCKS; b++) {
    const target = open[open.length - 1 - (b % open.length)]!
    const before = await headNumber(anvil.rpcUrl)
    if (b < open.length) {
      const data = encodeFunctionData({ abi: transferAbi, functionName: 'transfer', args: [target.address, target.amount] })
      await rpc(anvil.rpcUrl, 'eth_sendTransaction', [{ from: payer, to: tokens.usdc, data, gas: '0x30000' }])
    } else await mine(anvil.rpcUrl, 1)
    // Asked of anvil directly (uncounted): the block is there before the scan, so each scan sees exactly one.
    while ((await headNumber(anvil.rpcUrl)) === before) await new Promise((r) => setImmediate(r))
    const s0 = performance.now()
    if (transport === 'http') await watchers.pollNow()
    else while (cursor() <= before) await new Promise((r) => setTimeout(r, 2))
    scanMs += performance.now() - s0
  }
  const ours = proxy.counts.total / BLOCKS
  const byMethod = { ...proxy.counts.byMethod }
  const completed = engine.db.prepare(`SELECT count(*) FROM sessions WHERE status = 'COMPLETED'`).pluck().get() as number
  await stop()

  // Baseline: per block, the head, then each open session asks for its own payment.
  proxy.resetCounts()
  for (let b = 0; b < BASELINE_BLOCKS; b++) {
    await mine(anvil.rpcUrl, 1)
    const head = Number(BigInt(await rpc<string>(proxy.httpUrl, 'eth_blockNumber')))
    const block = `0x${head.toString(16)}`
    const queue = [...open]
    // Eight in flight, like a reasonable per-session poller would allow itself.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = queue.pop(); next; next = queue.pop()) {
          const topic = `0x${next.address.slice(2).toLowerCase().padStart(64, '0')}`
          await rpc(proxy.httpUrl, 'eth_getLogs', [
            { address: tokens.usdc, topics: [TRANSFER_TOPIC, null, topic], fromBlock: block, toBlock: block },
          ])
        }
      }),
    )
  }
  const baseline = proxy.counts.total / BASELINE_BLOCKS
  engine.close()
  removeDir(dir)
  const label =
    `${sessions.toLocaleString('en')} open sessions (${mode === 'address' ? '1 shop address' : `${sessions.toLocaleString('en')} xpub addresses`})` +
    (transport === 'ws' ? ', WebSocket' : '')
  console.log(
    `${label.padEnd(48)} ours ${ours.toFixed(2)} req/block ${JSON.stringify(byMethod)}  scan ${(scanMs / BLOCKS).toFixed(1)} ms/block, ` +
      `${completed} credited  |  per-session polling ${baseline.toFixed(0)} req/block  |  ratio ours/baseline ${(ours / baseline).toFixed(4)}` +
      `   (sessions created in ${(createdIn / 1000).toFixed(1)} s)`,
  )
  return { label, sessions, ours, baseline }
}

async function main(): Promise<void> {
  const anvil = await startAnvil()
  const proxy = await startRpcProxy({ target: { http: anvil.rpcUrl, ws: anvil.wsUrl } })
  try {
    const tokens = await setupDemoChain(anvil)
    console.log(`RPC requests per block (${BLOCKS} blocks each, one payment per block; baseline over ${BASELINE_BLOCKS} blocks)`)
    const rows: Row[] = []
    for (const n of SIZES) rows.push(await runOne(anvil, tokens, proxy, n, 'address'))
    const largest = Math.max(...SIZES)
    rows.push(await runOne(anvil, tokens, proxy, largest, 'xpub'))
    const ws = await runOne(anvil, tokens, proxy, Math.min(100, largest), 'address', 'ws')
    const ours = rows.map((r) => r.ours)
    const flat = Math.max(...ours) - Math.min(...ours) < 0.5
    console.log(
      `target: flat from ${SIZES[0]} to ${largest} sessions → ${flat ? 'met' : 'MISSED'} ` +
        `(ours ${ours.map((x) => x.toFixed(2)).join(' / ')} req/block over HTTP polling; ${ws.ours.toFixed(2)} over WebSocket)`,
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
