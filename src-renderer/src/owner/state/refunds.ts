import { create } from 'zustand'
import type { CreateRefundInput, Refund, Refundable } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import type { RefundsFilter } from '../refunds'
import { EMPTY_REFUNDS_FILTER, mergeRefund, toRefundFilter } from '../refunds'
import { errorMessage } from '../../i18n'

/**
 * Refunds on the owner screens: the open sale's refunds (in its drawer: what
 * can still be refunded, the form, each refund's QR and live status), and the
 * Refunds tab of History. Fed by pushes ('refund:updated') through the owner
 * feed, and asked again when the line comes back.
 */

const message = errorMessage

/** A fresh idempotency key for a refund the owner is about to create. */
function newRefundId(): string {
  return `pos_${crypto.randomUUID()}`
}

type CreateTerms = Omit<CreateRefundInput, 'refund_id'>

interface SaleRefundsState {
  /** The sale whose refunds these are (the drawer's sale). */
  sessionId: string | null
  refundable: Refundable | null
  /** Its refunds, oldest first, whatever their status. */
  refunds: Refund[]
  loaded: boolean
  error: string | null
  /** The refund shown in full (QR, status, hash), if any. */
  activeId: string | null
  formOpen: boolean
  /**
   * The terms last sent and the key they were sent with: the same terms sent
   * again (a retry after a lost answer) reuse the key, so the engine answers
   * with the refund it already made instead of a second one.
   */
  lastAttempt: { terms: string; refundId: string } | null
  /** Show this sale's refunds with one refund open or the form open, before the drawer has loaded. */
  focus(sessionId: string, view: { refundId?: string; form?: boolean }): void
  load(sessionId: string): Promise<void>
  /** What can be refunded, and the list, asked again (a refund or the sale changed). */
  refresh(): Promise<void>
  clear(): void
  openForm(): void
  closeForm(): void
  show(id: string | null): void
  create(terms: CreateTerms): Promise<Refund>
  cancel(id: string): Promise<Refund>
  prove(id: string, txHash: string): Promise<Refund>
  receive(refund: Refund): void
}

let saleGeneration = 0

export const useSaleRefundsStore = create<SaleRefundsState>()((set, get) => ({
  sessionId: null,
  refundable: null,
  refunds: [],
  loaded: false,
  error: null,
  activeId: null,
  formOpen: false,
  lastAttempt: null,

  focus(sessionId, view) {
    saleGeneration++
    set({
      sessionId,
      refundable: null,
      refunds: [],
      loaded: false,
      error: null,
      activeId: view.refundId ?? null,
      formOpen: view.form ?? false,
      lastAttempt: null,
    })
  },

  async load(sessionId) {
    // Another sale: start from its list; the same sale (focused from a link) keeps the view it was given.
    if (get().sessionId !== sessionId)
      set({ sessionId, refundable: null, refunds: [], loaded: false, error: null, activeId: null, formOpen: false, lastAttempt: null })
    await get().refresh()
  },

  async refresh() {
    const sessionId = get().sessionId
    if (!sessionId) return
    const mine = ++saleGeneration
    try {
      const [refundable, page] = await Promise.all([
        api['refunds:refundable']({ session_id: sessionId }),
        api['refunds:list']({ session_id: sessionId, limit: 100 }),
      ])
      if (mine !== saleGeneration) return
      const refunds = [...page.data].sort((a, b) => a.created_at - b.created_at)
      set({ refundable, refunds, loaded: true, error: null })
    } catch (error) {
      if (mine === saleGeneration) set({ loaded: true, error: message(error) })
    }
  },

  clear() {
    saleGeneration++
    set({ sessionId: null, refundable: null, refunds: [], loaded: false, error: null, activeId: null, formOpen: false, lastAttempt: null })
  },

  openForm() {
    set({ formOpen: true, activeId: null })
  },

  closeForm() {
    set({ formOpen: false })
  },

  show(activeId) {
    set({ activeId, formOpen: activeId ? false : get().formOpen })
  },

  async create(terms) {
    const key = JSON.stringify(terms)
    const last = get().lastAttempt
    const refundId = last && last.terms === key ? last.refundId : newRefundId()
    set({ lastAttempt: { terms: key, refundId } })
    const refund = await api['refunds:create']({ ...terms, refund_id: refundId })
    if (get().sessionId === refund.session_id) {
      set({ refunds: mergeRefund(get().refunds, refund, 'oldestFirst'), activeId: refund.id, formOpen: false, lastAttempt: null })
      void get().refresh()
    }
    useRefundsListStore.getState().receive(refund)
    return refund
  },

  async cancel(id) {
    const refund = await api['refunds:cancel']({ id })
    get().receive(refund)
    useRefundsListStore.getState().receive(refund)
    return refund
  },

  async prove(id, txHash) {
    const refund = await api['refunds:prove']({ id, tx_hash: txHash })
    get().receive(refund)
    useRefundsListStore.getState().receive(refund)
    return refund
  },

  receive(refund) {
    const { sessionId, refunds } = get()
    if (refund.session_id !== sessionId) return
    const before = refunds.find((r) => r.id === refund.id)
    set({ refunds: mergeRefund(refunds, refund, 'oldestFirst') })
    // A refund that started, ended or was given back changes what is left to refund.
    if (!before || before.status !== refund.status) void get().refresh()
  },
}))

interface RefundsListState {
  filter: RefundsFilter
  rows: Refund[]
  hasMore: boolean
  loading: boolean
  loaded: boolean
  error: string | null
  setFilter(patch: Partial<RefundsFilter>): void
  reload(): Promise<void>
  loadMore(): Promise<void>
  receive(refund: Refund): void
  /** Desktop only: the main process asks where to save and writes the file. */
  exportToFile(): Promise<{ saved: boolean; rows: number }>
}

const PAGE_SIZE = 100
let listGeneration = 0

/** The Refunds tab: every refund, newest first, a page at a time, filtered by status and sale. */
export const useRefundsListStore = create<RefundsListState>()((set, get) => ({
  filter: EMPTY_REFUNDS_FILTER,
  rows: [],
  hasMore: false,
  loading: false,
  loaded: false,
  error: null,

  setFilter(patch) {
    set({ filter: { ...get().filter, ...patch } })
    void get().reload()
  },

  async reload() {
    const mine = ++listGeneration
    set({ loading: true, error: null })
    try {
      const page = await api['refunds:list']({ ...toRefundFilter(get().filter), limit: PAGE_SIZE })
      if (mine !== listGeneration) return
      set({ rows: page.data, hasMore: page.has_more, loading: false, loaded: true })
    } catch (error) {
      if (mine === listGeneration) set({ rows: [], hasMore: false, loading: false, loaded: true, error: message(error) })
    }
  },

  async loadMore() {
    const { rows, hasMore, loading } = get()
    const last = rows[rows.length - 1]
    if (!hasMore || loading || !last) return
    const mine = listGeneration
    set({ loading: true })
    try {
      const page = await api['refunds:list']({ ...toRefundFilter(get().filter), limit: PAGE_SIZE, starting_after: last.id })
      if (mine !== listGeneration) return
      set({ rows: [...get().rows, ...page.data], hasMore: page.has_more, loading: false })
    } catch (error) {
      if (mine === listGeneration) set({ loading: false, error: message(error) })
    }
  },

  receive(refund) {
    const { rows, loaded, filter } = get()
    if (!loaded) return
    const known = rows.some((r) => r.id === refund.id)
    // A changed row stays where it is (even if it no longer matches the status filter): rows do not
    // jump from under the owner's finger. A new one joins if the filter wants it.
    const wanted = filter.sessionId.trim() === '' || filter.sessionId.trim() === refund.session_id
    if (!known && (!wanted || (filter.status !== '' && filter.status !== refund.status))) return
    set({ rows: mergeRefund(rows, refund, 'newestFirst') })
  },

  async exportToFile() {
    return api['refunds:export-csv'](toRefundFilter(get().filter))
  },
}))
