/**
 * A real shop for end-to-end tests: a devnet chain with the demo stablecoins
 * (USDC 6 decimals, USDT 18), and serve mode (`out/main/serve.js`) started as
 * its own process on a free loopback port with its own data folder. Both
 * come from test/support and are stopped by the handles that started them,
 * by PID, never by name.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Address } from 'viem'
import { createPublicClient, createWalletClient, http, parseAbi } from 'viem'
import type { Devnet } from '../../support/anvil'
import { startDevnetProcess } from '../../support/anvil'
import type { Listening, Serve } from '../../support/serve'
import { startServe } from '../../support/serve'
import { demoTokens, SHOP_ADDRESS as SHOP, shopConfig } from '../../support/shopConfig'
import { makeTempDir } from '../../support/tempDir'
import type { TempDir } from '../../support/tempDir'
import { OWNER_PIN } from './owner'

export { ROOT } from '../../support/serve'

/** The shop's receiving address (watch-only; the test never spends from it). */
export const SHOP_ADDRESS = SHOP as Address

export interface ShopOptions {
  /** false: no merchant, the first-run wizard shows (the devnet is still configured). */
  configured?: boolean
  currency?: string
  language?: 'en' | 'zh-CN'
  sessionTtlSeconds?: number
  confirmations?: number
  /** The owner PIN in the config file (#13); default OWNER_PIN for a configured shop, none for the first-run wizard. */
  ownerPin?: string | null
}

export interface Shop {
  /** http://127.0.0.1:PORT */
  url: string
  /** The URL serve mode printed, with the access token; visiting it sets the cookie. */
  loginUrl: string
  rpcUrl: string
  devnet: Devnet
  usdc: Address
  usdt: Address
  /** A funded dev account playing the customer's wallet. */
  customer: Address
  dataDir: string
  /** What serve mode printed, attached to a failing test. */
  output(): string
  /** Stops serve mode and starts it again on the same port, data and token (the chain keeps running). */
  restart(options?: { whileDown?: () => Promise<void> }): Promise<void>
  stop(): Promise<void>
}

function configFor(dir: string, devnet: Devnet, options: ShopOptions): object {
  return shopConfig({
    dataDir: join(dir, 'data'),
    http: { host: '127.0.0.1', port: 0 },
    merchant:
      options.configured === false
        ? null
        : { id: 'shop', name: 'Corner Café', currency: options.currency, sessionTtlSeconds: options.sessionTtlSeconds ?? 900 },
    keys: options.configured === false ? [] : ['sk_test_e2e_0123456789abcdef0123456789abcdef'],
    chain: {
      chainId: devnet.chainId,
      name: 'Local devnet',
      rpcUrls: [devnet.rpcUrl],
      confirmations: options.confirmations ?? 1,
      // anvil mines on demand; polling often keeps "paid within a second" true in tests too.
      pollIntervalMs: 100,
      blockTimeMs: 1000,
      color: '#A855F7',
      tokens: demoTokens(devnet),
    },
    rates: { manual: { EUR: '1.08' } },
    settings: { language: options.language ?? 'en', livemode: false },
    ...ownerPinOf(options),
  })
}

function ownerPinOf(options: ShopOptions): { ownerPin?: string } {
  const pin = options.ownerPin === undefined ? (options.configured === false ? null : OWNER_PIN) : options.ownerPin
  return pin === null ? {} : { ownerPin: pin }
}

export async function startShop(options: ShopOptions = {}): Promise<Shop> {
  const dir: TempDir = makeTempDir('stablepay-e2e')
  const cleanups: Array<() => Promise<void>> = [() => dir.cleanup()]
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined)
  }
  try {
    const devnet = await startDevnetProcess()
    cleanups.push(() => devnet.stop())
    const configFile = join(dir.path, 'config.json')
    mkdirSync(join(dir.path, 'data'), { recursive: true })
    writeFileSync(configFile, JSON.stringify(configFor(dir.path, devnet, options), null, 2))
    // A fixed token per shop, so a restarted server still accepts the browser's cookie.
    const env = { ...process.env, STABLEPAY_ACCESS_TOKEN: `e2e_${randomBytes(16).toString('hex')}` }
    let serve: Serve & Listening = await startServe(['--config', configFile], { env })
    let log = ''
    cleanups.push(() => serve.stop())
    return {
      url: serve.origin,
      loginUrl: serve.loginUrl,
      async restart(options = {}) {
        log += serve.output()
        await serve.stop()
        await options.whileDown?.()
        serve = await startServe(['--config', configFile, '--port', new URL(serve.origin).port], { env })
      },
      rpcUrl: devnet.rpcUrl,
      devnet,
      usdc: devnet.usdc,
      usdt: devnet.usdt,
      customer: devnet.accounts[1]!,
      dataDir: join(dir.path, 'data'),
      output: () => log + serve.output(),
      stop: stopAll,
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}

export interface ParsedPaymentUri {
  token: Address
  chainId: number
  to: Address
  amount: bigint
}

/** Reads an EIP-681 transfer URI as a wallet does. */
export function parsePaymentUri(uri: string): ParsedPaymentUri {
  const match = /^ethereum:(0x[0-9a-fA-F]{40})@(\d+)\/transfer\?address=(0x[0-9a-fA-F]{40})&uint256=(\d+)$/.exec(uri)
  if (!match) throw new Error(`not an EIP-681 token transfer: ${uri}`)
  return { token: match[1] as Address, chainId: Number(match[2]), to: match[3] as Address, amount: BigInt(match[4]!) }
}

const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])

/**
 * The customer's wallet pays what the QR says (or another amount), from an
 * unlocked dev account, and waits for the receipt.
 */
export async function payFromWallet(shop: Shop, uri: string, amount?: bigint): Promise<string> {
  const request = parsePaymentUri(uri)
  if (request.chainId !== shop.devnet.chainId) throw new Error(`QR asks for chain ${request.chainId}, the devnet is ${shop.devnet.chainId}`)
  return transferToken(shop, { token: request.token, to: request.to, amount: amount ?? request.amount })
}

/**
 * Any ERC-20 transfer from the customer's dev account (e.g. one that matches
 * no sale). Use this rather than src-main/devnet's sendStablecoin, which
 * Playwright's CommonJS loader cannot load.
 */
export async function transferToken(
  shop: Shop,
  transfer: { token: Address; to: Address; amount: bigint; from?: Address },
): Promise<string> {
  // No retries: a retried send whose first attempt landed would pay twice.
  const wallet = createWalletClient({ transport: http(shop.rpcUrl, { retryCount: 0 }) })
  const hash = await wallet.writeContract({
    address: transfer.token,
    abi: erc20,
    functionName: 'transfer',
    args: [transfer.to, transfer.amount],
    account: transfer.from ?? shop.customer,
    chain: null,
  })
  const receipt = await createPublicClient({ transport: http(shop.rpcUrl) }).waitForTransactionReceipt({
    hash,
    pollingInterval: 50,
    timeout: 30_000,
  })
  if (receipt.status !== 'success') throw new Error(`transfer ${hash} reverted`)
  return hash
}

/** One more block on top of the chain (anvil mines on demand). */
export async function mineBlock(shop: Shop): Promise<void> {
  const response = await fetch(shop.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_mine', params: [] }),
  })
  const body = (await response.json()) as { error?: { message: string } }
  if (body.error) throw new Error(`evm_mine: ${body.error.message}`)
}
