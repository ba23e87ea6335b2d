import { on, onConnection, onReconnect, onSignedOut } from '../bridge'
import { useAppStore } from './app'
import { useChainClockStore } from './chainClock'
import { useCustomerStore } from './customer'
import { useHealthStore } from './health'
import { useOpenSalesStore } from './openSales'
import { useUnmatchedStore } from './unmatched'
import { useReversalsStore } from './reversals'
import { useSaleStore } from './sale'

/**
 * The one module that listens to the engine's pushes and hands them to the
 * stores. Components never subscribe to the transport themselves.
 */
let started = false

export function startFeed(): void {
  if (started) return
  started = true
  on('session:updated', (session) => {
    useSaleStore.getState().receive(session)
    useCustomerStore.getState().receive(session)
    useReversalsStore.getState().receive(session)
    useOpenSalesStore.getState().receive(session)
  })
  // Tips (#17): the cashier waits for the answer; the customer display offers the choice.
  on('tip:updated', (request) => {
    void useSaleStore.getState().receiveTip(request)
    useCustomerStore.getState().receiveTip(request)
  })
  on('chain:state-changed', (state) => {
    useChainClockStore.getState().receive(state)
    useHealthStore.getState().receive(state)
  })
  on('transfer:recorded', (transfer) => useUnmatchedStore.getState().receive(transfer))
  onConnection((up) => useHealthStore.getState().setServer(up))
  // A revoked or expired device learns it from the stream at once, not at its next click: the sign-in screen shows.
  onSignedOut(() => useAppStore.getState().signedOutNow())
  void useHealthStore.getState().load()
  onReconnect(() => {
    // Whatever happened while the line was down, ask again rather than trust the screen.
    void useSaleStore.getState().refetch()
    void useCustomerStore.getState().load()
    void useAppStore.getState().refreshSettings()
    void useChainClockStore.getState().load()
    void useHealthStore.getState().load()
    void useOpenSalesStore.getState().load()
    void useReversalsStore.getState().load()
  })
}
