import { create } from 'zustand'
import type { ChainConnection, ChainState } from '../../../src-preload/contract'
import { api } from '../bridge'

/**
 * What the till can honestly promise right now: is the engine reachable, and
 * is each network's RPC answering. Fed by the transport (connection up/down)
 * and by chains:state / chain:state-changed (feed.ts). The cashier screen and
 * the customer display show it within a few seconds of a change.
 */
interface HealthState {
  server: 'up' | 'down'
  /** chain id → the watcher's connection. */
  chains: Record<number, ChainConnection>
  /** When the last problem cleared (ms), for a short "back" note; null when nothing has been wrong. */
  backAt: number | null
  setServer(up: boolean): void
  load(): Promise<void>
  receive(state: ChainState): void
}

function anyProblem(s: Pick<HealthState, 'server' | 'chains'>): boolean {
  return s.server === 'down' || Object.values(s.chains).includes('offline')
}

export const useHealthStore = create<HealthState>()((set, get) => {
  const update = (patch: Partial<Pick<HealthState, 'server' | 'chains'>>) => {
    const before = anyProblem(get())
    const next = { server: patch.server ?? get().server, chains: patch.chains ?? get().chains }
    set({ ...next, ...(before && !anyProblem(next) ? { backAt: Date.now() } : {}) })
  }
  return {
    server: 'up',
    chains: {},
    backAt: null,
    setServer(up) {
      if ((up ? 'up' : 'down') !== get().server) update({ server: up ? 'up' : 'down' })
    },
    async load() {
      try {
        const states = await api['chains:state']()
        update({ chains: Object.fromEntries(states.map((s) => [s.chain_id, s.connection])) })
      } catch {
        // Unreachable: the server state says so.
      }
    },
    receive(state) {
      if (get().chains[state.chain_id] === state.connection) return
      update({ chains: { ...get().chains, [state.chain_id]: state.connection } })
    },
  }
})

/** The sale's network cannot be reached: its QR is marked, the customer should not pay yet. */
export function isChainOffline(chains: Record<number, ChainConnection>, chainId: number | undefined): boolean {
  return chainId !== undefined && chains[chainId] === 'offline'
}
