import { create } from 'zustand'
import type { PaymentSession, ReversalAlert } from '../../../src-preload/contract'
import { api, BridgeError } from '../bridge'

/**
 * Completed sales whose payment a chain reorganisation took back, not yet
 * acknowledged by the owner: the banner on every staff screen. The engine
 * keeps the list (it survives a restart); this store asks again whenever a
 * push says a sale gained or lost `reversed`, or was acknowledged elsewhere.
 */
interface ReversalsState {
  alerts: ReversalAlert[]
  /** The last acknowledge that failed, as the engine said it (the banner words it). */
  error: { code: string; message: string } | null
  busy: string | null
  load(): Promise<void>
  acknowledge(id: string): Promise<void>
  /** A pushed sale: reload only when it concerns a reversal, not on every confirmation of every sale. */
  receive(session: PaymentSession): void
}

export const useReversalsStore = create<ReversalsState>()((set, get) => ({
  alerts: [],
  error: null,
  busy: null,

  async load() {
    try {
      set({ alerts: await api['sessions:reversals'](undefined) })
    } catch {
      // Not set up yet, or the line is down: the feed asks again on reconnect.
    }
  },

  async acknowledge(id) {
    set({ busy: id, error: null })
    try {
      set({ alerts: await api['sessions:acknowledge-reversal']({ id }), busy: null })
    } catch (error) {
      const failure =
        error instanceof BridgeError ? { code: error.code, message: error.message } : { code: 'connection_lost', message: String(error) }
      set({ busy: null, error: failure })
    }
  },

  receive(session) {
    if (session.exceptions.includes('reversed') || get().alerts.some((a) => a.session_id === session.id)) void get().load()
  },
}))
