/**
 * `npm run demo`: a complete shop on a local chain, in one command.
 *
 * Starts anvil (src-main/devnet), deploys test USDC (6 decimals) and test USDT
 * (18 decimals), writes a serve-mode config (merchant, a test API key, chain
 * 31337 with both tokens at 1 confirmation, a manual EUR rate) into a fresh
 * folder, builds the app, starts serve mode (`out/main/serve.js`) and prints
 * the URL. In the cashier, "Simulate customer
 * payment" pays from a funded dev account. Ctrl-C stops serve mode and anvil.
 *
 *   npm run demo [-- --port 7420] [--currency USD] [--keep]
 *
 * --keep leaves the demo's folder (database and config) in place on exit.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Anvil } from '../src-main/devnet'
import { DEMO_TOKENS, setupDemoChain, startAnvil } from '../src-main/devnet'

const ROOT = resolve(import.meta.dirname, '..')
const args = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        currency: { type: 'string', default: 'EUR' },
        keep: { type: 'boolean', default: false },
      },
    }).values
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\nusage: npm run demo [-- --port 7420] [--currency USD] [--keep]\n`)
    process.exit(2)
  }
})()
const PORT = args.port
const CURRENCY = args.currency
const KEEP = args.keep

/** anvil dev account 5: the demo shop's receiving address (the customer pays from account 1). */
const SHOP_ADDRESS = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'
/** A fixed test key, so a back office script can be pointed at the demo without copying a new key each run. */
const DEMO_API_KEY = 'sk_test_demo_0000000000000000000000000000'
const EUR_RATE = '1.08'

function say(line: string): void {
  process.stdout.write(`${line}\n`)
}

let anvil: Anvil | null = null
let serve: ChildProcess | null = null
let folder: string | null = null
let stopping = false

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    if (serve && serve.exitCode === null && serve.signalCode === null) {
      const exited = new Promise<void>((done) => serve!.once('exit', () => done()))
      serve.kill('SIGTERM')
      const timer = setTimeout(() => serve?.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    await anvil?.stop()
    if (folder && !KEEP) rmSync(folder, { recursive: true, force: true })
    else if (folder) say(`demo data kept in ${folder}`)
  }
  process.exit(code)
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0))

  say('StablePay POS demo: starting a local chain…')
  anvil = await startAnvil()
  const tokens = await setupDemoChain(anvil)
  say(`  anvil ${anvil.rpcUrl} (chain ${anvil.chainId}), USDC ${tokens.usdc}, USDT ${tokens.usdt}`)

  folder = mkdtempSync(join(tmpdir(), 'stablepay-demo-'))
  mkdirSync(join(folder, 'data'), { recursive: true })
  const configFile = join(folder, 'config.json')
  const config = {
    dataDir: 'data',
    http: { host: '127.0.0.1', port: Number(PORT) },
    merchants: [{ id: 'demo', name: 'Demo Café', currency: CURRENCY, receive: { mode: 'address', address: SHOP_ADDRESS } }],
    apiKeys: [{ key: DEMO_API_KEY, merchantId: 'demo' }],
    chains: [
      {
        chainId: anvil.chainId,
        name: 'Local devnet',
        testnet: true,
        rpcUrls: [anvil.rpcUrl],
        confirmations: 1,
        // anvil mines a block per transaction; a short poll makes "paid" appear within a second.
        pollIntervalMs: 250,
        blockTimeMs: 1000,
        color: '#A855F7',
        tokens: [
          { symbol: DEMO_TOKENS.usdc.symbol, address: tokens.usdc, decimals: DEMO_TOKENS.usdc.decimals },
          { symbol: DEMO_TOKENS.usdt.symbol, address: tokens.usdt, decimals: DEMO_TOKENS.usdt.decimals },
        ],
      },
    ],
    rates: { manual: { EUR: EUR_RATE } },
    settings: { livemode: false },
  }
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`)

  say('  building…')
  // Always: a demo of stale screens is worse than a few seconds' wait.
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (build.status !== 0) throw new Error(`the build failed (exit ${build.status ?? build.signal})`)
  say('  starting serve mode…')
  serve = spawn(process.execPath, [join(ROOT, 'out/main/serve.js'), '--config', configFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  serve.once('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`serve mode stopped (${code ?? signal}); stopping the demo\n`)
      void stop(code ?? 1)
    }
  })
  let buffer = ''
  serve.stdout!.setEncoding('utf8')
  serve.stdout!.on('data', (chunk: string) => {
    buffer += chunk
    const match = /StablePay POS listening on (http:\/\/\S+)/.exec(buffer)
    if (!match) return
    buffer = ''
    const url = match[1]!
    const api = new URL(url).origin
    say('')
    say(`  Open the till:     ${url}`)
    say(`  Customer display:  ${api}/#/customer  (after opening the till in the same browser)`)
    say(`  REST API:          ${api}/v1   key ${DEMO_API_KEY}`)
    say(
      `  Prices in ${CURRENCY}${CURRENCY === 'EUR' ? ` (manual rate 1 EUR = ${EUR_RATE} USD)` : ''}; pay with "Simulate customer payment" on the sale screen.`,
    )
    say(`  Data: ${folder}${KEEP ? '' : ' (removed on exit; --keep to keep it)'}`)
    say('  Ctrl-C stops serve mode and the chain.')
  })
}

main().catch(async (error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`)
  await stop(1)
})
