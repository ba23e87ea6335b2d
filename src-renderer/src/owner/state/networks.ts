import { create } from 'zustand'
import type { ChainConfig, ChainState } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { useShopStore } from '../../state'
import { rpcLines } from '../validate'
import type { SaveState } from './shopSettings'
import { errorMessage } from '../../i18n'

/**
 * Settings → networks: each chain's settings as a draft the owner edits,
 * and its live connection state (chains:state, then chain:state-changed pushes).
 */
interface NetworkDraft {
  enabled: boolean
  rpcText: string
  confirmations: string
  tokens: Record<string, boolean>
}

const message = errorMessage

function draftOf(chain: ChainConfig): NetworkDraft {
  return {
    enabled: chain.enabled,
    rpcText: chain.rpc_urls.join('\n'),
    confirmations: String(chain.confirmations),
    tokens: Object.fromEntries(chain.tokens.map((t) => [t.symbol, t.enabled])),
  }
}

export function draftChanged(chain: ChainConfig, draft: NetworkDraft): boolean {
  const base = draftOf(chain)
  return (
    base.enabled !== draft.enabled ||
    rpcLines(base.rpcText).join('\n') !== rpcLines(draft.rpcText).join('\n') ||
    base.confirmations !== draft.confirmations.trim() ||
    chain.tokens.some((t) => base.tokens[t.symbol] !== draft.tokens[t.symbol])
  )
}

interface NetworksState {
  chains: ChainConfig[]
  loaded: boolean
  loadError: string | null
  drafts: Record<number, NetworkDraft>
  saves: Record<number, SaveState>
  states: Record<number, ChainState>
  /** chains:state may be unavailable (the watcher is not running): connection is then shown as unknown. */
  statesError: string | null
  load(): Promise<void>
  loadStates(): Promise<void>
  edit(chainId: number, patch: Partial<NetworkDraft>): void
  reset(chainId: number): void
  save(chainId: number): Promise<void>
  receiveState(state: ChainState): void
}

export const useNetworksStore = create<NetworksState>()((set, get) => ({
  chains: [],
  loaded: false,
  loadError: null,
  drafts: {},
  saves: {},
  states: {},
  statesError: null,

  async load() {
    try {
      const chains = await api['chains:list']()
      set({ chains, loaded: true, loadError: null, drafts: Object.fromEntries(chains.map((c) => [c.chain_id, draftOf(c)])), saves: {} })
    } catch (error) {
      set({ loaded: true, loadError: message(error) })
    }
  },

  async loadStates() {
    try {
      const states = await api['chains:state']()
      set({ states: Object.fromEntries(states.map((s) => [s.chain_id, s])), statesError: null })
    } catch (error) {
      set({ statesError: message(error) })
    }
  },

  edit(chainId, patch) {
    const draft = get().drafts[chainId]
    if (!draft) return
    set({ drafts: { ...get().drafts, [chainId]: { ...draft, ...patch } }, saves: { ...get().saves, [chainId]: { state: 'idle' } } })
  },

  reset(chainId) {
    const chain = get().chains.find((c) => c.chain_id === chainId)
    if (chain) set({ drafts: { ...get().drafts, [chainId]: draftOf(chain) }, saves: { ...get().saves, [chainId]: { state: 'idle' } } })
  },

  async save(chainId) {
    const chain = get().chains.find((c) => c.chain_id === chainId)
    const draft = get().drafts[chainId]
    if (!chain || !draft) return
    set({ saves: { ...get().saves, [chainId]: { state: 'saving' } } })
    try {
      const saved = await api['chains:update']({
        chain_id: chainId,
        enabled: draft.enabled,
        rpc_urls: rpcLines(draft.rpcText),
        confirmations: Number(draft.confirmations.trim()),
        tokens: chain.tokens.map((t) => ({ ...t, enabled: draft.tokens[t.symbol] ?? t.enabled })),
      })
      set({
        chains: get().chains.map((c) => (c.chain_id === chainId ? saved : c)),
        drafts: { ...get().drafts, [chainId]: draftOf(saved) },
        saves: { ...get().saves, [chainId]: { state: 'saved' } },
      })
      // The cashier's network chips come from the shop store.
      await useShopStore.getState().load()
    } catch (error) {
      set({ saves: { ...get().saves, [chainId]: { state: 'failed', message: message(error) } } })
    }
  },

  receiveState(state) {
    set({ states: { ...get().states, [state.chain_id]: state } })
  },
}))
