import { create } from 'zustand'
import type { PaymentSession } from '../../../src-preload/contract'
import { api } from '../bridge'
import { isOpen } from './sessionView'

/**
 * The open-sales tray (#15): every sale still waiting for money, whichever tab
 * or window opened it, so a parked sale (or one left in another tab) is never
 * lost and can be brought back to the screen. Loaded from the engine, then
 * kept by `session:updated` pushes (feed.ts); a sale leaves the tray when it is
 * paid, expires or is cancelled.
 */
interface OpenSalesState {
  sales: PaymentSession[]
  load(): Promise<void>
  receive(session: PaymentSession): void
}

const LIMIT = 50

function sorted(sales: PaymentSession[]): PaymentSession[] {
  return sales.sort((a, b) => b.created_at - a.created_at || b.id.localeCompare(a.id))
}

export const useOpenSalesStore = create<OpenSalesState>()((set, get) => ({
  sales: [],
  async load() {
    try {
      const [pending, processing] = await Promise.all([
        api['sessions:list']({ status: 'PENDING', limit: LIMIT }),
        api['sessions:list']({ status: 'PROCESSING', limit: LIMIT }),
      ])
      set({ sales: sorted([...processing.data, ...pending.data]) })
    } catch {
      // Unreachable: the health banner says so; the next reconnect loads again.
    }
  },
  receive(session) {
    const others = get().sales.filter((s) => s.id !== session.id)
    const known = others.length !== get().sales.length
    if (isOpen(session)) set({ sales: sorted([...others, session]) })
    else if (known) set({ sales: others })
  },
}))
