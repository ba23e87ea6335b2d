/**
 * Shared set-up for the watcher's integration tests and benchmarks (not a
 * benchmark itself: running it does nothing). A real engine on a temp SQLite
 * file with a ManualClock synced to the chain's time, a shop whose receiving
 * address is fresh (so tests sharing one anvil never see each other's
 * payments), and the local chain configured with the devnet's 6- and
 * 18-decimal stablecoins.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getAddress } from 'viem'
import type { Address } from 'viem'
import type { Engine } from '../../src-main/engine'
import { createEngine, ManualClock } from '../../src-main/engine'
import type { DemoChain } from '../../src-main/devnet'
import { DEMO_TOKENS } from '../../src-main/devnet'

export const MERCHANT_ID = 'merchant_watch'

export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}

export function randomAddress(): Address {
  return getAddress(`0x${randomBytes(20).toString('hex')}`)
}

export async function chainTime(rpcUrl: string): Promise<number> {
  const block = await rpc<{ timestamp: string }>(rpcUrl, 'eth_getBlockByNumber', ['latest', false])
  return Number(BigInt(block.timestamp))
}

export async function headNumber(rpcUrl: string): Promise<number> {
  return Number(BigInt(await rpc<string>(rpcUrl, 'eth_blockNumber')))
}

export async function mine(rpcUrl: string, blocks = 1): Promise<void> {
  await rpc(rpcUrl, 'anvil_mine', [`0x${blocks.toString(16)}`])
}

export interface ShopRig {
  engine: Engine
  clock: ManualClock
  dir: string
  address: Address
  /** A sale through the engine, as the cashier screen creates it; token 'any' offers both. */
  sale(
    amount: string,
    over?: { token?: 'USDC' | 'USDT' | 'any'; orderId?: string; expiresIn?: number },
  ): ReturnType<Engine['sessions']['create']>['session']
  close(): void
}

let orders = 0

/**
 * Opens (or reopens, given `dir`) a shop on the local chain. The clock starts
 * at the chain's latest block time, so expiry and block timestamps compare
 * as they would in a shop.
 */
export async function openShopOnChain(opts: {
  tokens: DemoChain
  rpcUrls: string[]
  wsUrls?: string[]
  confirmations?: number
  chainRpcUrl: string
  dir?: string
  address?: Address
  lateWindowSeconds?: number
  blockTimeMs?: number
}): Promise<ShopRig> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'stablepay-watcher-'))
  const clock = new ManualClock((await chainTime(opts.chainRpcUrl)) * 1000)
  const engine = createEngine({ dataDir: dir, clock, lateWindowSeconds: opts.lateWindowSeconds })
  const address = opts.address ?? randomAddress()
  engine.merchants.upsert({ id: MERCHANT_ID, name: 'Watcher Test Shop', currency: 'USD', receive: { mode: 'address', address } })
  engine.networks.update({
    chainId: 31337,
    name: 'Anvil',
    testnet: true,
    rpcUrls: opts.rpcUrls,
    wsUrls: opts.wsUrls ?? [],
    confirmations: opts.confirmations ?? 1,
    blockTimeMs: opts.blockTimeMs ?? 1000,
    tokens: [
      { symbol: DEMO_TOKENS.usdc.symbol, address: opts.tokens.usdc, decimals: DEMO_TOKENS.usdc.decimals },
      { symbol: DEMO_TOKENS.usdt.symbol, address: opts.tokens.usdt, decimals: DEMO_TOKENS.usdt.decimals },
    ],
  })
  return {
    engine,
    clock,
    dir,
    address,
    sale(amount, over = {}) {
      return engine.sessions.create({
        merchantId: MERCHANT_ID,
        livemode: false,
        orderId: over.orderId ?? `order-${process.pid}-${++orders}`,
        amount,
        currency: 'USD',
        chainId: 31337,
        token: over.token === 'any' ? undefined : (over.token ?? 'USDC'),
        expiresIn: over.expiresIn,
      }).session
    },
    close() {
      engine.close()
    },
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 })
}
