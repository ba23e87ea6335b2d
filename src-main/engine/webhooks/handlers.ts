import type { Engine } from '..'
import type { HandlerRegistry } from '../handlers'
import { uiScope } from '../handlers'
import type { Webhooks } from './service'

/** The contract's `webhooks:*` channels, acting for the UI's merchant. Inputs arrive parsed (handlers/registry.ts). */
export function registerWebhookHandlers(registry: HandlerRegistry, engine: Engine, webhooks: Webhooks): void {
  const merchant = (): string => uiScope(engine).merchantId
  registry.register('webhooks:endpoints', () => webhooks.endpoints(merchant()))
  registry.register('webhooks:create-endpoint', (input) => webhooks.createEndpoint(merchant(), input))
  registry.register('webhooks:update-endpoint', ({ id, ...patch }) => webhooks.updateEndpoint(merchant(), id, patch))
  registry.register('webhooks:deliveries', (filter) => webhooks.deliveries(merchant(), filter))
  registry.register('webhooks:attempts', ({ delivery_id }) => webhooks.attempts(merchant(), delivery_id))
  registry.register('webhooks:redeliver', ({ delivery_id }) => webhooks.redeliver(merchant(), delivery_id))
  registry.register('webhooks:send-test', ({ endpoint_id }) => webhooks.sendTest(merchant(), endpoint_id))
}
