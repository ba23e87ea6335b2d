import { create } from 'zustand'
import type { PaymentSession } from '../../../src-preload/contract'
import { api } from '../bridge'

/**
 * The customer display follows "the current sale" without any link to the
 * cashier's window (in serve mode it is another tab, maybe another device):
 * the newest session of the shop, learnt from `sessions:list {limit: 1}` at
 * load and after a reconnect, then from `session:updated` pushes. A push for
 * an older session (a late payment to yesterday's sale) never takes the
 * screen from a newer one.
 */
interface CustomerState {
  session: PaymentSession | null
  loaded: boolean
  load(): Promise<void>
  receive(session: PaymentSession): void
}

function isNewer(candidate: PaymentSession, current: PaymentSession | null): boolean {
  if (!current || candidate.id === current.id) return true
  if (candidate.created_at !== current.created_at) return candidate.created_at > current.created_at
  // Same second: the one that is still open is the one at the counter.
  return candidate.status === 'PENDING' && current.status !== 'PENDING'
}

export const useCustomerStore = create<CustomerState>()((set, get) => ({
  session: null,
  loaded: false,
  async load() {
    try {
      const page = await api['sessions:list']({ limit: 1 })
      const newest = page.data[0] ?? null
      if (!newest || isNewer(newest, get().session)) set({ session: newest })
      set({ loaded: true })
    } catch {
      set({ loaded: true })
    }
  },
  receive(session) {
    if (isNewer(session, get().session)) set({ session })
  },
}))
