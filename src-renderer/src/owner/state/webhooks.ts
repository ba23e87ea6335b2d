import { create } from 'zustand'
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../../../../src-preload/contract'
import { WEBHOOK_EVENT_TYPES } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { errorMessage } from '../../i18n'

/** The event types an endpoint can pick, as the contract lists them. */
export const EVENT_TYPES = WEBHOOK_EVENT_TYPES

/**
 * Webhook endpoints and the delivery log. A new endpoint's secret is held
 * here only until the owner closes the dialog that shows it once.
 */
const DELIVERY_PAGE = 100

const message = errorMessage

interface WebhooksState {
  endpoints: WebhookEndpoint[]
  endpointsLoaded: boolean
  endpointsError: string | null
  deliveries: WebhookDelivery[]
  deliveriesLoaded: boolean
  deliveriesError: string | null
  /** Delivery log filter: one endpoint or all. */
  endpointFilter: string | null
  attempts: Record<string, WebhookAttempt[] | undefined>
  openDelivery: string | null
  /** Shown once, right after creation; cleared when the dialog closes. */
  revealed: { endpoint: WebhookEndpoint; secret: string } | null
  loadEndpoints(): Promise<void>
  loadDeliveries(): Promise<void>
  setEndpointFilter(id: string | null): void
  create(input: { url: string; events: string[] }): Promise<void>
  update(id: string, patch: { url?: string; events?: string[]; enabled?: boolean }): Promise<void>
  sendTest(endpointId: string): Promise<WebhookDelivery>
  redeliver(deliveryId: string): Promise<WebhookDelivery>
  toggleDelivery(deliveryId: string): Promise<void>
  receiveDelivery(delivery: WebhookDelivery): void
  dismissSecret(): void
}

let deliveriesGeneration = 0

export const useWebhooksStore = create<WebhooksState>()((set, get) => ({
  endpoints: [],
  endpointsLoaded: false,
  endpointsError: null,
  deliveries: [],
  deliveriesLoaded: false,
  deliveriesError: null,
  endpointFilter: null,
  attempts: {},
  openDelivery: null,
  revealed: null,

  async loadEndpoints() {
    try {
      const endpoints = await api['webhooks:endpoints']()
      set({ endpoints, endpointsLoaded: true, endpointsError: null })
    } catch (error) {
      set({ endpointsLoaded: true, endpointsError: message(error) })
    }
  },

  async loadDeliveries() {
    const mine = ++deliveriesGeneration
    const endpointId = get().endpointFilter
    try {
      const deliveries = await api['webhooks:deliveries']({ limit: DELIVERY_PAGE, ...(endpointId ? { endpoint_id: endpointId } : {}) })
      if (mine === deliveriesGeneration) set({ deliveries, deliveriesLoaded: true, deliveriesError: null })
    } catch (error) {
      if (mine === deliveriesGeneration) set({ deliveriesLoaded: true, deliveriesError: message(error) })
    }
  },

  setEndpointFilter(endpointFilter) {
    set({ endpointFilter })
    void get().loadDeliveries()
  },

  async create(input) {
    const created = await api['webhooks:create-endpoint']({ url: input.url, events: input.events })
    const { secret, ...endpoint } = created
    set({ endpoints: [...get().endpoints, endpoint], revealed: { endpoint, secret } })
  },

  async update(id, patch) {
    const updated = await api['webhooks:update-endpoint']({ id, ...patch })
    set({ endpoints: get().endpoints.map((e) => (e.id === id ? updated : e)) })
  },

  async sendTest(endpointId) {
    const delivery = await api['webhooks:send-test']({ endpoint_id: endpointId })
    get().receiveDelivery(delivery)
    return delivery
  },

  async redeliver(deliveryId) {
    const delivery = await api['webhooks:redeliver']({ delivery_id: deliveryId })
    get().receiveDelivery(delivery)
    return delivery
  },

  async toggleDelivery(deliveryId) {
    if (get().openDelivery === deliveryId) return set({ openDelivery: null })
    set({ openDelivery: deliveryId })
    try {
      const attempts = await api['webhooks:attempts']({ delivery_id: deliveryId })
      set({ attempts: { ...get().attempts, [deliveryId]: attempts } })
    } catch {
      set({ attempts: { ...get().attempts, [deliveryId]: [] } })
    }
  },

  receiveDelivery(delivery) {
    const { deliveries, endpointFilter, openDelivery } = get()
    if (endpointFilter && delivery.endpoint_id !== endpointFilter) return
    const index = deliveries.findIndex((d) => d.id === delivery.id)
    const next = index >= 0 ? deliveries.map((d, i) => (i === index ? delivery : d)) : [delivery, ...deliveries].slice(0, DELIVERY_PAGE)
    set({ deliveries: next })
    // An open row's attempts grew: read them again.
    if (openDelivery === delivery.id)
      void api['webhooks:attempts']({ delivery_id: delivery.id }).then(
        (attempts) => set({ attempts: { ...get().attempts, [delivery.id]: attempts } }),
        () => undefined,
      )
  },

  dismissSecret() {
    set({ revealed: null })
  },
}))
