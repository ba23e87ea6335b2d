/**
 * A local chain for the tests: anvil with the devnet's stablecoins (USDC with
 * 6 decimals, USDT with 18), stopped through the handle that started it, by
 * PID, never by name.
 *
 * startDevnet runs it from this process (vitest, tsx). Playwright loads test
 * files as CommonJS, which cannot load src-main/devnet (it uses
 * import.meta.url), so end-to-end tests call startDevnetProcess: the same
 * devnet, started by devnetProcess.ts in a tsx child process.
 */
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Address } from 'viem'
import type { Anvil } from '../../src-main/devnet'
import { spawnNode } from './nodeProcess'

export interface Devnet {
  rpcUrl: string
  wsUrl: string
  chainId: number
  /** anvil's funded, unlocked dev accounts. */
  accounts: Address[]
  usdc: Address
  usdt: Address
  /** anvil's own process id (startDevnetProcess): a test can freeze the chain with SIGSTOP and thaw it with SIGCONT. */
  pid?: number
  stop(): Promise<void>
}

export async function startDevnet(): Promise<Devnet & { anvil: Anvil }> {
  // Loaded when called, so that Playwright can load this file for startDevnetProcess.
  const { setupDemoChain, startAnvil } = await import('../../src-main/devnet')
  const anvil = await startAnvil()
  try {
    const tokens = await setupDemoChain(anvil)
    return { anvil, rpcUrl: anvil.rpcUrl, wsUrl: anvil.wsUrl, chainId: anvil.chainId, accounts: anvil.accounts, ...tokens, stop: () => anvil.stop() }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}

/** The devnet in a tsx child process, which prints it as one JSON line and stops anvil when stopped itself. */
export async function startDevnetProcess(): Promise<Devnet> {
  const root = resolve(__dirname, '../..')
  const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href
  const child = spawnNode(['--import', tsx, join(__dirname, 'devnetProcess.ts')], {
    name: 'the devnet',
    ready: /^\{.*\}$/m,
    cwd: root,
    stdin: 'pipe',
    readyTimeoutMs: 60_000,
  })
  try {
    const [line] = await child.ready
    return { ...(JSON.parse(line) as Omit<Devnet, 'stop'>), stop: () => child.stop() }
  } catch (error) {
    await child.stop()
    throw error
  }
}
