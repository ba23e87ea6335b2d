import type { Address } from 'viem'
import { deployStablecoin } from './token'

/**
 * The demo chain's tokens. USDT uses 18 decimals to mirror BNB Chain's USDT,
 * so the app is exercised with both common stablecoin precisions.
 */
export const DEMO_TOKENS = {
  usdc: { name: 'USD Coin (devnet)', symbol: 'USDC', decimals: 6 },
  usdt: { name: 'Tether USD (devnet)', symbol: 'USDT', decimals: 18 },
} as const

export interface DemoChain {
  usdc: Address
  usdt: Address
}

/** Deploys the demo USDC (6) and USDT (18) and funds the first 5 dev accounts. */
export async function setupDemoChain(anvil: { rpcUrl: string }): Promise<DemoChain> {
  // Sequential: both deploys come from dev account 0 and must not race on its nonce.
  const usdc = await deployStablecoin(anvil.rpcUrl, DEMO_TOKENS.usdc)
  const usdt = await deployStablecoin(anvil.rpcUrl, DEMO_TOKENS.usdt)
  return { usdc, usdt }
}
