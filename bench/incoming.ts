/**
 * "Payment incoming": time from `eth_sendRawTransaction` (the customer's
 * wallet pressing Send) to the engine pushing the sale with `pending_tx`,
 * beside the time to the mined PROCESSING push, on an anvil that makes a
 * block every 2 s (`--block-time 2`), as on Polygon.
 *
 *   npx tsx bench/incoming.ts [--rounds 20] [--filter-rounds 8] [--filter-poll 250] [--decode 20000]
 *
 * The till follows the pool over WebSocket (whole transactions) and, in a
 * second part, over an HTTP pending-transaction filter polled every
 * --filter-poll ms. t0 is taken just before eth_sendRawTransaction, signed
 * locally with a dev key, so every figure includes the send. Each round sends
 * at a random moment of the block interval, so PROCESSING waits on average
 * half a block plus the scan.
 *
 * Also the cost per pool transaction on the hot path (token check, decoding,
 * the match against 1,000 open sales), with no chain: transactions to other
 * contracts and token transfers that pay no sale.
 *
 * Target: incoming p50 ≤ 100 ms over WebSocket; under 1 ms per pool transaction.
 */
import { parseArgs } from 'node:util'
import { encodeFunctionData, parseAbi, padHex } from 'viem'
import type { Address, Hex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { ChainWatchers } from '../src-main/engine/watcher'
import { ChainPending, DEFAULT_PENDING_TUNING } from '../src-main/engine/watcher/pending'
import type { RpcTransaction } from '../src-main/engine/watcher/pending'
import { setupDemoChain, startAnvil } from '../src-main/devnet'
import type { Anvil, DemoChain } from '../src-main/devnet'
import type { PaymentSession } from '../src-preload/contract'
import { openShopOnChain, randomAddress, removeDir, rpc } from './lib/watcherRig'
import type { Stats } from './lib/stats'
import { ms, stats } from './lib/stats'

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    'filter-rounds': { type: 'string', default: '8' },
    'filter-poll': { type: 'string', default: '250' },
    decode: { type: 'string', default: '20000' },
  },
})
const ROUNDS = Number(flags.rounds)
const FILTER_ROUNDS = Number(flags['filter-rounds'])
const FILTER_POLL_MS = Number(flags['filter-poll'])
const DECODE_TXS = Number(flags.decode)
const BLOCK_SECONDS = 2
const TARGET_P50_MS = 100

// anvil's public dev mnemonic: account 2 plays the customer's wallet and signs locally.
const wallet = mnemonicToAccount('test test test test test test test test test test test junk', { addressIndex: 2 })
const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])

const line = (s: Stats): string => `p50 ${ms(s.p50)}  p90 ${ms(s.p90)}  max ${ms(s.max)}  (n=${s.n})`

async function measure(anvil: Anvil, tokens: DemoChain, transport: 'ws' | 'filter', rounds: number) {
  const rig = await openShopOnChain({
    tokens,
    rpcUrls: [anvil.rpcUrl],
    wsUrls: transport === 'ws' ? [anvil.wsUrl] : [],
    chainRpcUrl: anvil.rpcUrl,
    confirmations: 2,
    blockTimeMs: BLOCK_SECONDS * 1000,
  })
  const watchers = new ChainWatchers(rig.engine, { pending: { filterPollMs: FILTER_POLL_MS } })
  const stop = watchers.start()
  const incoming: number[] = []
  const processing: number[] = []
  let nonce = Number(BigInt(await rpc<string>(anvil.rpcUrl, 'eth_getTransactionCount', [wallet.address, 'pending'])))
  try {
    for (let round = 0; round < rounds; round++) {
      const sale = rig.sale(`${1 + round}.${String(10 + (round % 90)).padStart(2, '0')}`)
      const option = sale.payment_options[0]!
      // The till follows the pool from when a sale opens (within a second); the customer is slower than that.
      while (!watchers.pending?.pending(31337)?.feed.isLive) await new Promise((r) => setTimeout(r, 10))
      // Send at a random moment of the block interval.
      await new Promise((r) => setTimeout(r, Math.random() * BLOCK_SECONDS * 1000))
      const seen = new Promise<{ incoming: number; processing: number }>((resolve) => {
        let incomingAt = Number.NaN
        const off = rig.engine.events.on('session:updated', (s: PaymentSession) => {
          if (s.id !== sale.id) return
          if (s.pending_tx && Number.isNaN(incomingAt)) incomingAt = performance.now()
          if (s.status !== 'PENDING') {
            off()
            resolve({ incoming: incomingAt, processing: performance.now() })
          }
        })
      })
      const data = encodeFunctionData({
        abi: erc20,
        functionName: 'transfer',
        args: [option.address as Address, BigInt(option.amount_base_units)],
      })
      const raw = await wallet.signTransaction({
        chainId: anvil.chainId,
        type: 'eip1559',
        to: tokens.usdc,
        data,
        nonce: nonce++,
        gas: 100_000n,
        maxFeePerGas: 20_000_000_000n,
        maxPriorityFeePerGas: 1_000_000_000n,
      })
      const t0 = performance.now()
      await rpc<Hex>(anvil.rpcUrl, 'eth_sendRawTransaction', [raw])
      const at = await seen
      if (Number.isNaN(at.incoming)) console.warn(`  round ${round}: the block came before the pool was read (no incoming)`)
      else incoming.push(at.incoming - t0)
      processing.push(at.processing - t0)
    }
  } finally {
    await stop()
    rig.close()
    removeDir(rig.dir)
  }
  return { incoming: stats(incoming), processing: stats(processing) }
}

/** The hot path with no chain: what one pool transaction costs the till while sales are open. */
async function hotPath(anvil: Anvil, tokens: DemoChain): Promise<{ perTxUs: number; decoded: number }> {
  // A shop configured for the chain, but no watcher: transactions are fed by hand.
  const shop = await openShopOnChain({ tokens, rpcUrls: [anvil.rpcUrl], chainRpcUrl: anvil.rpcUrl })
  try {
    for (let i = 0; i < 1_000; i++) shop.sale(`${1 + Math.floor(i / 100)}.${String(i % 100).padStart(2, '0')}`)
    const refused = Object.assign(new Error('Method not found'), { code: -32601 })
    const pending = new ChainPending({
      config: { ...shop.engine.networks.find(31337)!, ws_urls: [] },
      rpc: { request: () => Promise.reject(refused) },
      db: shop.engine.db,
      clock: shop.engine.clock,
      incoming: shop.engine.incoming,
      tuning: DEFAULT_PENDING_TUNING,
      feedChanged: () => undefined,
    })
    await pending.setOpen(true)
    const other = randomAddress()
    const txs: RpcTransaction[] = Array.from({ length: DECODE_TXS }, (_, i) => ({
      hash: padHex(`0x${(i + 1).toString(16)}`, { size: 32 }),
      from: other,
      // Half to other contracts (a DEX, an NFT), half token transfers to the shop that pay no sale.
      to: i % 2 === 0 ? other : tokens.usdc,
      input: encodeFunctionData({ abi: erc20, functionName: 'transfer', args: [shop.address, 999_000_000n + BigInt(i)] }),
      nonce: `0x${i.toString(16)}`,
    }))
    const t0 = performance.now()
    for (const tx of txs) pending.transaction(tx)
    const perTxUs = ((performance.now() - t0) * 1000) / txs.length
    await pending.stop()
    return { perTxUs, decoded: pending.stats.decoded }
  } finally {
    shop.close()
    removeDir(shop.dir)
  }
}

async function main(): Promise<void> {
  const anvil = await startAnvil({ blockTime: BLOCK_SECONDS })
  try {
    const tokens = await setupDemoChain(anvil)
    console.log(`anvil --block-time ${BLOCK_SECONDS}; send → push, t0 before eth_sendRawTransaction`)
    const ws = await measure(anvil, tokens, 'ws', ROUNDS)
    console.log(`WebSocket (newPendingTransactions, whole transactions)`)
    console.log(`  incoming pushed      ${line(ws.incoming)}`)
    console.log(`  mined, PROCESSING    ${line(ws.processing)}`)
    console.log(
      `  ratio incoming/PROCESSING p50 ${(ws.incoming.p50 / ws.processing.p50).toFixed(3)} ` +
        `(${(ws.processing.p50 / ws.incoming.p50).toFixed(0)}× sooner)  target incoming p50 ≤ ${TARGET_P50_MS} ms: ` +
        `${ws.incoming.p50 <= TARGET_P50_MS ? 'met' : 'MISSED'}`,
    )
    if (FILTER_ROUNDS > 0) {
      const filter = await measure(anvil, tokens, 'filter', FILTER_ROUNDS)
      console.log(`HTTP pending-transaction filter, polled every ${FILTER_POLL_MS} ms`)
      console.log(`  incoming pushed      ${line(filter.incoming)}`)
      console.log(`  mined, PROCESSING    ${line(filter.processing)}`)
      console.log(`  ratio incoming/PROCESSING p50 ${(filter.incoming.p50 / filter.processing.p50).toFixed(3)}`)
    }
    const hot = await hotPath(anvil, tokens)
    console.log(
      `hot path per pool transaction (token check, decode, match against 1,000 open sales): ${hot.perTxUs.toFixed(1)} µs ` +
        `(${DECODE_TXS} transactions, ${hot.decoded} decoded)  target < 1 ms: ${hot.perTxUs < 1000 ? 'met' : 'MISSED'}`,
    )
  } finally {
    await anvil.stop()
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
