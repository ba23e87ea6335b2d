import { create } from 'zustand'
import type { DailyTotal, SessionFilter } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { errorMessage } from '../../i18n'

/**
 * The totals bar: the engine's daily totals for the History filter. Sales
 * keep coming while the owner looks, so a refresh after a change is
 * coalesced: a busy till must not make the engine add a million rows up for
 * every sale.
 */
const REFRESH_AFTER_CHANGE_MS = 3000

interface TotalsState {
  rows: DailyTotal[]
  filter: SessionFilter | null
  loading: boolean
  error: string | null
  load(filter: SessionFilter): Promise<void>
  /** A session changed: refresh soon (at most once per few seconds). */
  changed(): void
}

let generation = 0
let timer: ReturnType<typeof setTimeout> | undefined

export const useTotalsStore = create<TotalsState>()((set, get) => ({
  rows: [],
  filter: null,
  loading: false,
  error: null,

  async load(filter) {
    const mine = ++generation
    clearTimeout(timer)
    timer = undefined
    set({ filter, loading: true, error: null })
    try {
      const rows = await api['sessions:totals'](filter)
      if (mine === generation) set({ rows, loading: false })
    } catch (error) {
      if (mine === generation) set({ loading: false, error: errorMessage(error) })
    }
  },

  changed() {
    const filter = get().filter
    if (!filter || timer) return
    timer = setTimeout(() => {
      timer = undefined
      void get().load(filter)
    }, REFRESH_AFTER_CHANGE_MS)
  },
}))
