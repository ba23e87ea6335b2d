import { create } from 'zustand'
import type { ChainConfig, Merchant, RateInfo } from '../../../src-preload/contract'
import { api } from '../bridge'

/** One (network, token) pair the cashier can offer, e.g. Base · USDC. */
export interface PayChoice {
  key: string
  chainId: number
  network: string
  color: string
  token: string
}

interface ShopState {
  merchant: Merchant | null
  chains: ChainConfig[]
  loaded: boolean
  load(): Promise<void>
  /** Exchange rates, for the rate's date and staleness beside a price in another currency than USD. */
  rates: RateInfo[]
  loadRates(): Promise<void>
}

/** The shop's own setup as the cashier needs it: name, price currency, networks. */
export const useShopStore = create<ShopState>()((set) => ({
  merchant: null,
  chains: [],
  loaded: false,
  rates: [],
  async load() {
    const [merchant, chains] = await Promise.all([api['merchant:get'](), api['chains:list']()])
    set({ merchant, chains, loaded: true })
  },
  async loadRates() {
    set({ rates: await api['rates:list']() })
  },
}))

const choiceKey = (chainId: number, token: string) => `${chainId}:${token}`

/** What a sale may be paid with in this mode: live sells on mainnets, test on testnets (like an API key's mode). */
export function payChoices(chains: ChainConfig[], livemode: boolean): PayChoice[] {
  const out: PayChoice[] = []
  for (const chain of chains) {
    if (!chain.enabled || chain.testnet === livemode) continue
    for (const token of chain.tokens) {
      if (!token.enabled) continue
      out.push({
        key: choiceKey(chain.chain_id, token.symbol),
        chainId: chain.chain_id,
        network: chain.name,
        color: chain.color,
        token: token.symbol,
      })
    }
  }
  return out
}
