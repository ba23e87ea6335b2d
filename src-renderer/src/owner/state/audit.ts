import { create } from 'zustand'
import type { AuditEntry, AuditFilter, AuditKind } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { errorMessage } from '../../i18n'

interface AuditState {
  kind: AuditKind | ''
  device: string
  rows: AuditEntry[]
  hasMore: boolean
  loading: boolean
  error: string | null
  setKind(kind: AuditKind | ''): void
  setDevice(device: string): void
  reload(): Promise<void>
  more(): Promise<void>
  filter(): AuditFilter
  exportToFile(): Promise<{ saved: boolean; rows: number }>
}

const PAGE = 50
let generation = 0

/** The owner's audit log (#13): newest first, filtered by kind of change and by device. */
export const useAuditStore = create<AuditState>()((set, get) => ({
  kind: '',
  device: '',
  rows: [],
  hasMore: false,
  loading: false,
  error: null,

  filter() {
    const { kind, device } = get()
    return { ...(kind ? { kind } : {}), ...(device.trim() ? { device: device.trim() } : {}) }
  },

  setKind(kind) {
    set({ kind })
    void get().reload()
  },

  setDevice(device) {
    set({ device })
    void get().reload()
  },

  async reload() {
    const mine = ++generation
    set({ loading: true, error: null })
    try {
      const page = await api['audit:list']({ ...get().filter(), limit: PAGE })
      if (mine === generation) set({ rows: page.data, hasMore: page.has_more, loading: false })
    } catch (error) {
      if (mine === generation) set({ loading: false, error: errorMessage(error) })
    }
  },

  async more() {
    const last = get().rows[get().rows.length - 1]
    if (!last) return
    const mine = generation
    const page = await api['audit:list']({ ...get().filter(), limit: PAGE, starting_after: last.id })
    if (mine === generation) set({ rows: [...get().rows, ...page.data], hasMore: page.has_more })
  },

  exportToFile() {
    return api['audit:export-csv'](get().filter())
  },
}))

/** The browser's download link for the filtered log (serve mode). */
export function auditExportHref(filter: AuditFilter): string {
  const params = new URLSearchParams()
  if (filter.kind) params.set('kind', filter.kind)
  if (filter.device) params.set('device', filter.device)
  const query = params.toString()
  return `/export/audit.csv${query ? `?${query}` : ''}`
}
