/**
 * Detection latency: a stablecoin transfer sent on an automining anvil →
 * the engine's session reaching PROCESSING (the `session:updated` push after
 * the commit), over WebSocket and over HTTP polling. Beside it, in the same
 * run and on the same transfers, viem's default `watchContractEvent` set-up
 * (a `logs` subscription over WebSocket; `eth_newFilter` polled every 4 s,
 * viem's default, over HTTP) reporting the log.
 *
 *   npx tsx bench/watcher-latency.ts [--ws 40] [--http 15]
 *
 * t0 is taken just before eth_sendTransaction (anvil mines the block as it
 * handles the send), so every figure includes the send itself. HTTP rounds start at
 * random phases of the poll timer (a pause drawn in [0, interval)), so the
 * median approaches half an interval.
 *
 * Targets: p50 ≤ 50 ms over WebSocket; ≤ poll interval + 50 ms over HTTP.
 */
import { createPublicClient, encodeFunctionData, http, parseAbi, webSocket } from 'viem'
import type { Address } from 'viem'
import { ChainWatchers } from '../src-main/engine/watcher'
import { setupDemoChain, startAnvil } from '../src-main/devnet'
import type { Anvil, DemoChain } from '../src-main/devnet'
import { benchArgs } from './lib/args'
import type { ShopRig } from './lib/watcherRig'
import { openShopOnChain, removeDir, rpc } from './lib/watcherRig'
import type { Stats } from './lib/stats'
import { ms, stats } from './lib/stats'

const { ws: WS_ROUNDS, http: HTTP_ROUNDS } = benchArgs({ ws: 40, http: 15 })
// A 1-second-block chain: the watcher's default pace while a sale is open is the block time.
const HTTP_INTERVAL_MS = 1000

const transferAbi = parseAbi([
  'function transfer(address to, uint256 amount) returns (bool)',
  'event Transfer(address indexed from, address indexed to, uint256 value)',
])


async function send(anvil: Anvil, token: Address, from: Address, to: Address, amount: bigint): Promise<void> {
  const data = encodeFunctionData({ abi: transferAbi, functionName: 'transfer', args: [to, amount] })
  await rpc(anvil.rpcUrl, 'eth_sendTransaction', [{ from, to: token, data, gas: '0x30000' }])
}

async function measure(opts: {
  label: string
  anvil: Anvil
  tokens: DemoChain
  rounds: number
  ours: { wsUrls: string[]; pollIntervalMs: number }
  baseline: 'ws' | 'http'
  jitterMs: number
}): Promise<{ ours: Stats; baseline: Stats }> {
  const { anvil, tokens } = opts
  const rig: ShopRig = await openShopOnChain({ tokens, rpcUrls: [anvil.rpcUrl], wsUrls: opts.ours.wsUrls, chainRpcUrl: anvil.rpcUrl })
  const watchers = new ChainWatchers(rig.engine, { pollIntervalMs: opts.ours.pollIntervalMs, idlePollIntervalMs: opts.ours.pollIntervalMs })
  const stop = watchers.start()
  const payer = anvil.accounts[1]!

  // The baseline, as viem's docs set it up: a client with default options and watchContractEvent.
  const client =
    opts.baseline === 'ws'
      ? createPublicClient({ transport: webSocket(anvil.wsUrl) })
      : createPublicClient({ transport: http(anvil.rpcUrl) })
  let baselineSeen: ((at: number) => void) | null = null
  const unwatch = client.watchContractEvent({
    address: tokens.usdc,
    abi: transferAbi,
    eventName: 'Transfer',
    args: { to: rig.address },
    onLogs: () => baselineSeen?.(performance.now()),
  })

  // Both watchers settle before the first round (initial scan, subscriptions, filter installed).
  const warm = rig.sale('0.50')
  await send(anvil, tokens.usdc, payer, rig.address, BigInt(warm.payment_options[0]!.amount_base_units))
  await waitUntil(() => rig.engine.sessions.get(warm.id, { merchantId: 'merchant_watch' }).status !== 'PENDING', 15_000)
  await new Promise((r) => setTimeout(r, opts.baseline === 'http' ? 4_500 : 300))

  const ours: number[] = []
  const baseline: number[] = []
  for (let i = 0; i < opts.rounds; i++) {
    const s = rig.sale(`${1 + i}.00`)
    const seenByUs = new Promise<number>((resolve) => {
      const off = rig.engine.events.on('session:updated', (p) => {
        if (p.id !== s.id || p.status === 'PENDING') return
        off()
        resolve(performance.now())
      })
    })
    const seenByBaseline = new Promise<number>((resolve) => (baselineSeen = resolve))
    if (opts.jitterMs > 0) await new Promise((r) => setTimeout(r, Math.random() * opts.jitterMs))
    const t0 = performance.now()
    await send(anvil, tokens.usdc, payer, rig.address, BigInt(s.payment_options[0]!.amount_base_units))
    const [a, b] = await Promise.all([withTimeout(seenByUs, 20_000), withTimeout(seenByBaseline, 20_000)])
    ours.push(a - t0)
    baseline.push(b - t0)
  }
  unwatch()
  await stop()
  rig.close()
  removeDir(rig.dir)
  const result = { ours: stats(ours), baseline: stats(baseline) }
  console.log(
    `${opts.label.padEnd(44)} ours p50 ${ms(result.ours.p50)}  p90 ${ms(result.ours.p90)}  max ${ms(result.ours.max)}   |  ` +
      `viem watchContractEvent p50 ${ms(result.baseline.p50)}  p90 ${ms(result.baseline.p90)}   |  ratio ours/baseline (p50) ${(result.ours.p50 / result.baseline.p50).toFixed(3)}   (n=${result.ours.n})`,
  )
  return result
}

function withTimeout<T>(p: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`not seen within ${timeoutMs} ms`)), timeoutMs))),
  ])
}

async function waitUntil(fn: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function main(): Promise<void> {
  const anvil = await startAnvil()
  try {
    const tokens = await setupDemoChain(anvil)
    console.log('Detection latency: transfer sent (automine) → PROCESSING pushed by the engine; baseline: viem watchContractEvent onLogs')
    const ws = await measure({
      label: 'WebSocket (newHeads; poll every 30 s)',
      anvil,
      tokens,
      rounds: WS_ROUNDS,
      ours: { wsUrls: [anvil.wsUrl], pollIntervalMs: 30_000 },
      baseline: 'ws',
      jitterMs: 20,
    })
    const polled = await measure({
      label: `HTTP polling (every ${HTTP_INTERVAL_MS} ms)`,
      anvil,
      tokens,
      rounds: HTTP_ROUNDS,
      ours: { wsUrls: [], pollIntervalMs: HTTP_INTERVAL_MS },
      baseline: 'http',
      jitterMs: HTTP_INTERVAL_MS,
    })
    console.log(
      `targets: WebSocket p50 ≤ 50 ms → ${ws.ours.p50 <= 50 ? 'met' : 'MISSED'}; ` +
        `HTTP p50 ≤ ${HTTP_INTERVAL_MS + 50} ms → ${polled.ours.p50 <= HTTP_INTERVAL_MS + 50 ? 'met' : 'MISSED'}`,
    )
  } finally {
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
