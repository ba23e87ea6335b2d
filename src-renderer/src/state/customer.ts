import { create } from 'zustand'
import type { PaymentSession, TipRequest } from '../../../src-preload/contract'
import { api } from '../bridge'

/**
 * The customer display follows "the current sale" of its own till without any
 * link to the cashier's window (in serve mode it is another tab, maybe another
 * device): the newest session of this device's till (#13: a shop with two
 * tills never shows the other counter's QR), learnt from
 * `sessions:list {limit: 1, till}` at load and after a reconnect, then from
 * `session:updated` pushes of that till. A push for an older session (a late
 * payment to yesterday's sale) never takes the screen from a newer one.
 */
interface CustomerState {
  session: PaymentSession | null
  /** This device's till, once known (devices:me). */
  till: string | null
  loaded: boolean
  /**
   * Pushes that arrived before this device's till was known (the display just opened while the cashier
   * charged): kept, and judged once `devices:me` answers, or the display would miss the sale at its counter.
   */
  early: PaymentSession[]
  load(): Promise<void>
  receive(session: PaymentSession): void
  /** Tips (#17): the till's charge waiting for this customer's tip, shown before the QR. */
  tip: TipRequest | null
  receiveTip(request: TipRequest): void
}

function isNewer(candidate: PaymentSession, current: PaymentSession | null): boolean {
  if (!current || candidate.id === current.id) return true
  if (candidate.created_at !== current.created_at) return candidate.created_at > current.created_at
  // Same second: the one that is still open is the one at the counter.
  return candidate.status === 'PENDING' && current.status !== 'PENDING'
}

export const useCustomerStore = create<CustomerState>()((set, get) => ({
  session: null,
  till: null,
  loaded: false,
  early: [],
  tip: null,
  receiveTip(request) {
    const till = get().till
    if (till !== null && request.till !== till) return
    if (request.status === 'pending') set({ tip: request })
    else if (get().tip?.id === request.id) set({ tip: null })
  },
  async load() {
    try {
      // Asked each time: the owner may have moved this device to another till.
      const till = (await api['devices:me']()).device.till
      if (till !== get().till) set({ till, session: null })
      // A charge already waiting for the tip (the display opened, or came back, meanwhile).
      set({ tip: await api['tips:current']().catch(() => null) })
      const page = await api['sessions:list']({ limit: 1, till })
      const newest = page.data[0] ?? null
      if (!newest || isNewer(newest, get().session)) set({ session: newest })
      const waiting = get().early.filter((session) => session.till === till)
      set({ early: [] })
      for (const session of waiting) if (isNewer(session, get().session)) set({ session })
      set({ loaded: true })
    } catch {
      set({ loaded: true })
    }
  },
  receive(session) {
    const till = get().till
    if (till === null) {
      // A few suffice (only the newest can win); bounded in case the till never becomes known.
      set({ early: [...get().early.slice(-19), session] })
      return
    }
    if (session.till !== till) return
    if (isNewer(session, get().session)) set({ session })
  },
}))
