import { on, onReconnect } from '../../bridge'
import { useDetailStore } from './detail'
import { useHistoryStore } from './history'
import { useNetworksStore } from './networks'
import { useRefundsListStore, useSaleRefundsStore } from './refunds'
import { useTotalsStore } from './totals'
import { useTransfersStore } from './transfers'
import { useWebhooksStore } from './webhooks'

/**
 * The owner screens' one listener to the engine's pushes (the cashier's
 * feed is its own): hands each push to the store it concerns. Components
 * never subscribe to the transport.
 */
let started = false

export function startOwnerFeed(): void {
  if (started) return
  started = true
  on('session:updated', (session) => {
    useHistoryStore.getState().receive(session)
    useDetailStore.getState().receive(session)
    useTotalsStore.getState().changed()
  })
  on('transfer:recorded', (transfer) => useTransfersStore.getState().receive(transfer))
  on('webhook:delivered', (delivery) => {
    useWebhooksStore.getState().receiveDelivery(delivery)
    useDetailStore.getState().receiveDelivery(delivery)
  })
  on('chain:state-changed', (state) => useNetworksStore.getState().receiveState(state))
  on('refund:updated', (refund) => {
    useSaleRefundsStore.getState().receive(refund)
    useRefundsListStore.getState().receive(refund)
    // Refunded and net totals move when a refund succeeds.
    useTotalsStore.getState().changed()
  })
  onReconnect(() => {
    // Whatever changed while the line was down: ask again for what is on screen.
    const history = useHistoryStore.getState()
    if (history.loaded) void history.reload()
    const totals = useTotalsStore.getState()
    if (totals.filter) void totals.load(totals.filter)
    const detail = useDetailStore.getState()
    if (detail.id) void detail.open(detail.id)
    const transfers = useTransfersStore.getState()
    for (const view of ['all', 'unmatched'] as const) if (transfers[view].loaded) void transfers.load(view)
    const webhooks = useWebhooksStore.getState()
    if (webhooks.endpointsLoaded) void webhooks.loadEndpoints()
    if (webhooks.deliveriesLoaded) void webhooks.loadDeliveries()
    void useNetworksStore.getState().loadStates()
    // Refunds: the open sale's (its QR and status) and the Refunds tab.
    if (useSaleRefundsStore.getState().sessionId) void useSaleRefundsStore.getState().refresh()
    if (useRefundsListStore.getState().loaded) void useRefundsListStore.getState().reload()
  })
}
