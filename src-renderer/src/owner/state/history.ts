import { create } from 'zustand'
import type { PaymentSession, SessionFilter } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { useShopStore } from '../../state'
import type { HistoryFilter, HistoryRow } from '../historyQuery'
import { EMPTY_FILTER, PAGE_SIZE, toHistoryRow, toSessionFilter } from '../historyQuery'
import { safeTimeZone } from '../time'
import { errorMessage } from '../../i18n'

/**
 * The History list: the owner's filter, and the sessions loaded so far,
 * newest first, a page (100) at a time by cursor as the list is scrolled.
 * Rows are kept compact (what the table shows): a million sessions scrolled
 * through must not hold a million full session objects.
 */

/** The shop's time zone as the screens use it (the merchant setting, checked). */
function shopTimeZone(): string {
  return safeTimeZone(useShopStore.getState().merchant?.time_zone)
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

interface HistoryState {
  filter: HistoryFilter
  /** The engine filter the rows (and totals, and the CSV) were asked with. */
  applied: SessionFilter
  rows: HistoryRow[]
  hasMore: boolean
  loading: boolean
  loaded: boolean
  error: string | null
  /**
   * Sessions that appeared while the owner was scrolled down the list (shown as "new activity", not jumped
   * into the list under their finger). At the top, a new sale simply appears (#15).
   */
  newActivity: number
  /** The list is scrolled to its top: new sales are put in place as they come. */
  atTop: boolean
  setAtTop(atTop: boolean): void
  /** Puts in the sales newer than the top row that match the filter (the engine filters, as for every page). */
  refreshTop(): Promise<void>
  setFilter(patch: Partial<HistoryFilter>): void
  resetFilter(): void
  reload(): Promise<void>
  loadMore(): Promise<void>
  receive(session: PaymentSession): void
  /** Desktop only: the main process asks where to save and writes the file. */
  exportToFile(): Promise<{ saved: boolean; rows: number }>
}

// Answers to an older filter arrive after a newer one's: each reload starts a new generation and drops the rest.
let generation = 0

// A burst of pushes (a sale created, then detected, then paid) asks for the top page once.
const TOP_REFRESH_MS = 250
let topRefresh: ReturnType<typeof setTimeout> | null = null
function scheduleTopRefresh(run: () => void): void {
  if (topRefresh) return
  topRefresh = setTimeout(() => {
    topRefresh = null
    run()
  }, TOP_REFRESH_MS)
}

export const useHistoryStore = create<HistoryState>()((set, get) => ({
  filter: EMPTY_FILTER,
  applied: {},
  rows: [],
  hasMore: false,
  loading: false,
  loaded: false,
  error: null,
  newActivity: 0,
  atTop: true,

  async exportToFile() {
    return api['sessions:export-csv'](get().applied)
  },

  setFilter(patch) {
    set({ filter: { ...get().filter, ...patch } })
    void get().reload()
  },

  resetFilter() {
    set({ filter: EMPTY_FILTER })
    void get().reload()
  },

  async reload() {
    const mine = ++generation
    const applied = toSessionFilter(get().filter, shopTimeZone(), nowSeconds())
    set({ applied, loading: true, error: null, newActivity: 0 })
    try {
      const page = await api['sessions:list']({ ...applied, limit: PAGE_SIZE })
      if (mine !== generation) return
      set({ rows: page.data.map(toHistoryRow), hasMore: page.has_more, loading: false, loaded: true })
    } catch (error) {
      if (mine !== generation) return
      set({ rows: [], hasMore: false, loading: false, loaded: true, error: errorMessage(error) })
    }
  },

  async loadMore() {
    const { rows, hasMore, loading, applied } = get()
    const last = rows[rows.length - 1]
    if (!hasMore || loading || !last) return
    const mine = generation
    set({ loading: true })
    try {
      const page = await api['sessions:list']({ ...applied, limit: PAGE_SIZE, starting_after: last.id })
      if (mine !== generation) return
      set({ rows: [...get().rows, ...page.data.map(toHistoryRow)], hasMore: page.has_more, loading: false })
    } catch (error) {
      if (mine !== generation) return
      set({ loading: false, error: errorMessage(error) })
    }
  },

  receive(session) {
    const { rows } = get()
    const index = rows.findIndex((r) => r.id === session.id)
    if (index >= 0) {
      const next = rows.slice()
      next[index] = toHistoryRow(session)
      set({ rows: next })
      return
    }
    // A sale newer than the top of the list: put in place when the top is in view (it may not match the
    // filter: the engine decides), else say so rather than shift the rows under the owner's finger.
    const top = rows[0]
    if (top && session.created_at < top.createdAt) return
    if (get().atTop && get().loaded) scheduleTopRefresh(() => void get().refreshTop())
    else set({ newActivity: get().newActivity + 1 })
  },

  setAtTop(atTop) {
    if (atTop === get().atTop) return
    set({ atTop })
    if (atTop && get().newActivity > 0) void get().refreshTop()
  },

  async refreshTop() {
    const mine = generation
    try {
      const page = await api['sessions:list']({ ...get().applied, limit: PAGE_SIZE })
      if (mine !== generation) return
      const { rows } = get()
      const known = new Set(rows.map((r) => r.id))
      const top = rows[0]
      const fresh = page.data.filter((s) => !known.has(s.id) && (!top || s.created_at >= top.createdAt)).map(toHistoryRow)
      set({ rows: [...fresh, ...rows], newActivity: 0 })
    } catch {
      // The list stays as it is; the next push or a reconnect asks again.
    }
  },
}))

/**
 * The download is an HTTP route: present in serve mode (a browser), not in
 * Electron, whose renderer is a file:// page; there `exportToFile` asks the
 * main process, which shows a save dialog.
 */
export function canDownloadCsv(): boolean {
  return window.stablepay === undefined && window.location.protocol.startsWith('http')
}
