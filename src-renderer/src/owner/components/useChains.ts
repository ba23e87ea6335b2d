import { useMemo } from 'react'
import type { ChainConfig } from '../../../../src-preload/contract'
import { useShopStore } from '../../state'

/** The shop's networks by chain id (names, colours, explorers, token decimals). */
export function useChainsById(): Map<number, ChainConfig> {
  const chains = useShopStore((s) => s.chains)
  return useMemo(() => new Map(chains.map((c) => [c.chain_id, c])), [chains])
}
