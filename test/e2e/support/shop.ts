/**
 * A real shop for end-to-end tests: an anvil chain with the demo stablecoins
 * (USDC 6 decimals, USDT 18), and serve mode (`out/main/serve.js`) started as
 * its own process on a free loopback port with its own data folder. Stopped
 * by the handle that started it, by PID, never by name.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Address } from 'viem'
import { createPublicClient, createWalletClient, http, parseAbi } from 'viem'
import { makeTempDir } from '../../support/tempDir'
import type { TempDir } from '../../support/tempDir'

export const ROOT = resolve(__dirname, '../../..')
export const SERVE_ENTRY = join(ROOT, 'out/main/serve.js')

/** anvil dev account 5: the shop's receiving address (watch-only; the test never spends from it). */
export const SHOP_ADDRESS = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc' as Address
export const TEST_API_KEY = 'sk_test_e2e_0123456789abcdef0123456789abcdef'
export const DEVNET_COLOR = '#A855F7'

/** The demo tokens (src-main/devnet DEMO_TOKENS), restated: that module cannot load in Playwright's CommonJS loader. */
export const DEMO_TOKENS = {
  usdc: { symbol: 'USDC', decimals: 6 },
  usdt: { symbol: 'USDT', decimals: 18 },
} as const

export interface Devnet {
  rpcUrl: string
  chainId: number
  accounts: Address[]
  usdc: Address
  usdt: Address
  stop(): Promise<void>
}

/** anvil with the demo tokens, in its own tsx process (see devnetProcess.ts); stopped by that process's PID. */
export async function startDevnet(): Promise<Devnet> {
  const tsx = join(ROOT, 'node_modules/tsx/dist/loader.mjs')
  const child = spawn(process.execPath, ['--import', pathToFileURL(tsx).href, join(__dirname, 'devnetProcess.ts')], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const info = await new Promise<Omit<Devnet, 'stop'>>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`devnet did not start within 60 s:\n${output}`)), 60_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const line = output.split('\n').find((l) => l.startsWith('{'))
      if (line) {
        clearTimeout(timer)
        done(JSON.parse(line) as Omit<Devnet, 'stop'>)
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`devnet exited (${code}) before it was ready:\n${output}`))
    })
  })
  let stopping: Promise<void> | undefined
  return {
    ...info,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      })()
      return stopping
    },
  }
}

export interface ShopOptions {
  /** false: no merchant, the first-run wizard shows (the devnet is still configured). */
  configured?: boolean
  currency?: string
  language?: 'en' | 'zh-CN'
  sessionTtlSeconds?: number
  confirmations?: number
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
  /** What serve mode printed, for a failing test's report. */
  output(): string
  /** Stops serve mode and starts it again on the same port, data and token (the chain keeps running). */
  restart(options?: { whileDown?: () => Promise<void> }): Promise<void>
  stop(): Promise<void>
}

export interface ServeProcess {
  loginUrl: string
  url: string
  child: ChildProcess
  output(): string
  stop(): Promise<void>
}

/** Starts `node out/main/serve.js …` and resolves with the URL it prints once listening. */
export async function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [SERVE_ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const loginUrl = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve mode did not start within 20 s:\n${output}`)), 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const match = /StablePay POS listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        done(match[1])
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      fail(new Error(`serve mode exited (${code ?? signal}) before listening:\n${output}`))
    })
  })
  let stopping: Promise<void> | undefined
  return {
    loginUrl,
    url: new URL(loginUrl).origin,
    child,
    output: () => output,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      })()
      return stopping
    },
  }
}

export function shopConfig(
  dir: string,
  anvil: { rpcUrl: string; chainId: number },
  tokens: { usdc: Address; usdt: Address },
  options: ShopOptions,
): object {
  const configured = options.configured ?? true
  return {
    dataDir: join(dir, 'data'),
    http: { host: '127.0.0.1', port: 0 },
    ...(configured
      ? {
          merchants: [
            {
              id: 'shop',
              name: 'Corner Café',
              currency: options.currency ?? 'USD',
              receive: { mode: 'address', address: SHOP_ADDRESS },
              sessionTtlSeconds: options.sessionTtlSeconds ?? 900,
            },
          ],
          apiKeys: [{ key: TEST_API_KEY, merchantId: 'shop' }],
        }
      : {}),
    chains: [
      {
        chainId: anvil.chainId,
        name: 'Local devnet',
        testnet: true,
        rpcUrls: [anvil.rpcUrl],
        confirmations: options.confirmations ?? 1,
        // anvil mines on demand; polling often keeps "paid within a second" true in tests too.
        pollIntervalMs: 100,
        blockTimeMs: 1000,
        color: DEVNET_COLOR,
        tokens: [
          { symbol: DEMO_TOKENS.usdc.symbol, address: tokens.usdc, decimals: DEMO_TOKENS.usdc.decimals },
          { symbol: DEMO_TOKENS.usdt.symbol, address: tokens.usdt, decimals: DEMO_TOKENS.usdt.decimals },
        ],
      },
    ],
    rates: { manual: { EUR: '1.08' } },
    settings: { language: options.language ?? 'en', livemode: false },
  }
}

export async function startShop(options: ShopOptions = {}): Promise<Shop> {
  const dir: TempDir = makeTempDir('stablepay-e2e')
  const cleanups: Array<() => Promise<void>> = [() => dir.cleanup()]
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined)
  }
  try {
    const anvil = await startDevnet()
    cleanups.push(() => anvil.stop())
    const tokens = { usdc: anvil.usdc, usdt: anvil.usdt }
    const configFile = join(dir.path, 'config.json')
    mkdirSync(join(dir.path, 'data'), { recursive: true })
    writeFileSync(configFile, JSON.stringify(shopConfig(dir.path, anvil, tokens, options), null, 2))
    // A fixed token per shop, so a restarted server still accepts the browser's cookie.
    const env = { STABLEPAY_ACCESS_TOKEN: `e2e_${randomBytes(16).toString('hex')}` }
    let serve = await startServe(['--config', configFile], env)
    let log = ''
    cleanups.push(() => serve.stop())
    return {
      url: serve.url,
      loginUrl: serve.loginUrl,
      async restart(options = {}) {
        log += serve.output()
        await serve.stop()
        await options.whileDown?.()
        serve = await startServe(['--config', configFile, '--port', new URL(serve.url).port], env)
      },
      rpcUrl: anvil.rpcUrl,
      devnet: anvil,
      usdc: tokens.usdc,
      usdt: tokens.usdt,
      customer: anvil.accounts[1]!,
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
