import { create } from 'zustand'
import type { PaymentSession, Transfer } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { errorMessage } from '../../i18n'

/**
 * On-chain transfers to the shop: every one (the "transactions" tab) or only
 * those no session claimed (the "unmatched" tab), newest first, paged by the
 * last one's chain:hash:index.
 */
export type TransferView = 'all' | 'unmatched'
const TRANSFER_PAGE = 100

interface TransferList {
  rows: Transfer[]
  hasMore: boolean
  loading: boolean
  loaded: boolean
  error: string | null
}

const emptyList = (): TransferList => ({ rows: [], hasMore: false, loading: false, loaded: false, error: null })

interface TransfersState {
  all: TransferList
  unmatched: TransferList
  load(view: TransferView): Promise<void>
  loadMore(view: TransferView): Promise<void>
  receive(transfer: Transfer): void
  /** Sales a transfer may be for: found by order or session id, else recent ones offering its token on its network. */
  candidates(transfer: Transfer, search: string): Promise<PaymentSession[]>
  /** Credits an unmatched transfer to a session by hand; the engine applies the usual rules. */
  assign(transfer: Transfer, sessionId: string): Promise<PaymentSession>
}

export const transferKey = (t: Pick<Transfer, 'chain_id' | 'tx_hash' | 'log_index'>) => `${t.chain_id}:${t.tx_hash}:${t.log_index}`

const generations: Record<TransferView, number> = { all: 0, unmatched: 0 }

export const useTransfersStore = create<TransfersState>()((set, get) => ({
  all: emptyList(),
  unmatched: emptyList(),

  async load(view) {
    const mine = ++generations[view]
    set({ [view]: { ...get()[view], loading: true, error: null } } as Partial<TransfersState>)
    try {
      const rows = await api['transfers:list']({ unmatched: view === 'unmatched', limit: TRANSFER_PAGE })
      if (mine !== generations[view]) return
      set({
        [view]: { rows, hasMore: rows.length === TRANSFER_PAGE, loading: false, loaded: true, error: null },
      } as Partial<TransfersState>)
    } catch (error) {
      if (mine !== generations[view]) return
      set({
        [view]: { ...emptyList(), loaded: true, error: errorMessage(error) },
      } as Partial<TransfersState>)
    }
  },

  async loadMore(view) {
    const list = get()[view]
    const last = list.rows[list.rows.length - 1]
    if (!list.hasMore || list.loading || !last) return
    const mine = generations[view]
    set({ [view]: { ...list, loading: true } } as Partial<TransfersState>)
    try {
      const rows = await api['transfers:list']({ unmatched: view === 'unmatched', limit: TRANSFER_PAGE, before: transferKey(last) })
      if (mine !== generations[view]) return
      const current = get()[view]
      set({
        [view]: { ...current, rows: [...current.rows, ...rows], hasMore: rows.length === TRANSFER_PAGE, loading: false },
      } as Partial<TransfersState>)
    } catch (error) {
      if (mine !== generations[view]) return
      set({
        [view]: { ...get()[view], loading: false, error: errorMessage(error) },
      } as Partial<TransfersState>)
    }
  },

  receive(transfer) {
    const key = transferKey(transfer)
    for (const view of ['all', 'unmatched'] as const) {
      const list = get()[view]
      if (!list.loaded) continue
      const index = list.rows.findIndex((r) => transferKey(r) === key)
      const belongs = view === 'all' || (transfer.session_id === null && transfer.state !== 'orphaned')
      let rows = list.rows
      if (index >= 0) rows = belongs ? rows.map((r, i) => (i === index ? transfer : r)) : rows.filter((_, i) => i !== index)
      else if (belongs) rows = [transfer, ...rows]
      if (rows !== list.rows) set({ [view]: { ...list, rows } } as Partial<TransfersState>)
    }
  },

  async candidates(transfer, search) {
    const q = search.trim()
    const page = await api['sessions:list'](
      q ? { search: q, limit: 20 } : { chain_id: transfer.chain_id, token: transfer.token, limit: 20 },
    )
    return page.data
  },

  async assign(transfer, sessionId) {
    const session = await api['transfers:assign']({
      chain_id: transfer.chain_id,
      tx_hash: transfer.tx_hash,
      log_index: transfer.log_index,
      session_id: sessionId,
    })
    get().receive({ ...transfer, session_id: session.id })
    return session
  },
}))
