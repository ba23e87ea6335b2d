import type { Address } from 'viem'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { Anvil, DemoChain } from '../../src-main/devnet'
import { startDevnet } from './anvil'
import type { RpcProxy } from './rpcProxy'
import { startRpcProxy } from './rpcProxy'

export interface ChainBehindProxy {
  anvil: Anvil
  /** The devnet's 6- and 18-decimal stablecoins. */
  tokens: DemoChain
  proxy: RpcProxy
  /** The anvil account that pays in this file's tests. */
  payer: Address
}

/**
 * For one test file: a real anvil with the devnet's stablecoins behind a
 * loopback JSON-RPC proxy the tests control, started before the file's tests
 * and stopped after them. `ready` hands the parts over once they run. Returns
 * the per-test cleanups: they run after each test, last first, and then the
 * proxy goes back to passing everything through.
 */
export function useChainBehindProxy(payerIndex: number, ready: (chain: ChainBehindProxy) => void): Array<() => Promise<void> | void> {
  const fileCleanups: Array<() => Promise<void>> = []
  const testCleanups: Array<() => Promise<void> | void> = []
  let proxy: RpcProxy | undefined

  beforeAll(async () => {
    const devnet = await startDevnet()
    fileCleanups.push(() => devnet.stop())
    proxy = await startRpcProxy({ target: { http: devnet.rpcUrl, ws: devnet.wsUrl } })
    const started = proxy
    fileCleanups.push(() => started.stop())
    ready({ anvil: devnet.anvil, tokens: { usdc: devnet.usdc, usdt: devnet.usdt }, proxy, payer: devnet.accounts[payerIndex]! })
  })

  afterAll(async () => {
    for (const cleanup of fileCleanups.reverse()) await cleanup()
  })

  afterEach(async () => {
    for (const cleanup of testCleanups.splice(0).reverse()) await cleanup()
    proxy?.reset()
  })

  return testCleanups
}
