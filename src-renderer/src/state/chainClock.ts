import { create } from 'zustand'
import type { ChainState } from '../../../src-preload/contract'
import { api } from '../bridge'

interface ChainClockState {
  /** chain id → the till's clock minus the chain's time (s), null until measured. */
  drift: Record<number, number | null>
  load(): Promise<void>
  receive(state: ChainState): void
}

/** How far the till's clock is from each watched chain (chains:state, then chain:state-changed pushes). */
export const useChainClockStore = create<ChainClockState>()((set, get) => ({
  drift: {},
  async load() {
    try {
      const states = await api['chains:state']()
      set({ drift: Object.fromEntries(states.map((s) => [s.chain_id, s.clock_drift_seconds])) })
    } catch {
      // No watcher running: nothing is measured, so nothing to warn about.
    }
  },
  receive(state) {
    if (get().drift[state.chain_id] === state.clock_drift_seconds) return
    set({ drift: { ...get().drift, [state.chain_id]: state.clock_drift_seconds } })
  },
}))
