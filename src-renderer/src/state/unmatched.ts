import { create } from 'zustand'
import type { PaymentSession, Transfer } from '../../../src-preload/contract'
import { api } from '../bridge'

/**
 * Money that matches no sale (#15): a transfer to the shop recorded while this
 * till is open, with an amount no open sale asked for (a wrong amount while
 * several sales wait on one address). The till shows it until the cashier
 * says which sale it was for (transfers:assign) or dismisses it; it never
 * vanishes into History unseen.
 */
interface UnmatchedState {
  transfers: Transfer[]
  receive(transfer: Transfer): void
  assign(transfer: Transfer, sessionId: string): Promise<PaymentSession>
  dismiss(transfer: Transfer): void
}

const keyOf = (t: Pick<Transfer, 'chain_id' | 'tx_hash' | 'log_index'>) => `${t.chain_id}:${t.tx_hash}:${t.log_index}`

export const useUnmatchedStore = create<UnmatchedState>()((set, get) => ({
  transfers: [],
  receive(transfer) {
    const others = get().transfers.filter((t) => keyOf(t) !== keyOf(transfer))
    const stillUnmatched = transfer.session_id === null && transfer.state !== 'orphaned'
    if (stillUnmatched) set({ transfers: [...others, transfer] })
    else if (others.length !== get().transfers.length) set({ transfers: others })
  },
  async assign(transfer, sessionId) {
    const session = await api['transfers:assign']({
      chain_id: transfer.chain_id,
      tx_hash: transfer.tx_hash,
      log_index: transfer.log_index,
      session_id: sessionId,
    })
    get().dismiss(transfer)
    return session
  },
  dismiss(transfer) {
    set({ transfers: get().transfers.filter((t) => keyOf(t) !== keyOf(transfer)) })
  },
}))

/** The open sales a transfer could belong to: same network, token and receiving address. */
export function couldBelongTo(transfer: Transfer, session: PaymentSession): boolean {
  return session.payment_options.some(
    (o) =>
      o.chain_id === transfer.chain_id &&
      o.token_address.toLowerCase() === transfer.token_address.toLowerCase() &&
      o.address.toLowerCase() === transfer.to.toLowerCase(),
  )
}
