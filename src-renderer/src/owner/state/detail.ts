import { create } from 'zustand'
import type { PaymentSession, TimelineEntry, WebhookDelivery } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { useSaleRefundsStore } from './refunds'
import { errorMessage } from '../../i18n'

/**
 * The History drawer: one session with its status timeline and the webhook
 * deliveries it caused. Kept live: a push for this session refreshes it.
 */
interface DetailState {
  id: string | null
  session: PaymentSession | null
  timeline: TimelineEntry[]
  deliveries: WebhookDelivery[] | null
  deliveriesError: string | null
  loading: boolean
  error: string | null
  open(id: string): Promise<void>
  close(): void
  receive(session: PaymentSession): void
  receiveDelivery(delivery: WebhookDelivery): void
}

export const useDetailStore = create<DetailState>()((set, get) => ({
  id: null,
  session: null,
  timeline: [],
  deliveries: null,
  deliveriesError: null,
  loading: false,
  error: null,

  async open(id) {
    set({ id, session: null, timeline: [], deliveries: null, deliveriesError: null, loading: true, error: null })
    try {
      const [session, timeline] = await Promise.all([api['sessions:get']({ id }), api['sessions:timeline']({ id })])
      if (get().id !== id) return
      set({ session, timeline, loading: false })
    } catch (error) {
      if (get().id === id) set({ loading: false, error: errorMessage(error) })
      return
    }
    try {
      const deliveries = await api['webhooks:deliveries']({ session_id: id, limit: 50 })
      if (get().id === id) set({ deliveries })
    } catch (error) {
      // The drawer still shows the sale; only this part says it could not be read.
      if (get().id === id) set({ deliveriesError: errorMessage(error) })
    }
  },

  close() {
    set({ id: null, session: null, timeline: [], deliveries: null, error: null })
    // The refund form or panel belonged to this sale.
    useSaleRefundsStore.getState().clear()
  },

  receive(session) {
    if (session.id !== get().id) return
    set({ session })
    // A status change adds a timeline entry; ask for it rather than guess it.
    void api['sessions:timeline']({ id: session.id }).then(
      (timeline) => get().id === session.id && set({ timeline }),
      () => undefined,
    )
  },

  receiveDelivery(delivery) {
    const { id, deliveries } = get()
    if (!id || delivery.session_id !== id || !deliveries) return
    const rest = deliveries.filter((d) => d.id !== delivery.id)
    set({ deliveries: [delivery, ...rest].sort((a, b) => b.created_at - a.created_at) })
  },
}))
