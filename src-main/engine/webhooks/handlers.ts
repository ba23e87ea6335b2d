import type { Engine } from '..'
import { invalid } from '../errors'
import type { HandlerRegistry } from '../handlers'
import { uiScope } from '../handlers'
import type { Webhooks } from './service'

/** The contract's `webhooks:*` channels, acting for the UI's merchant. */
export function registerWebhookHandlers(registry: HandlerRegistry, engine: Engine, webhooks: Webhooks): void {
  const merchant = (): string => uiScope(engine).merchantId
  registry.register('webhooks:endpoints', () => webhooks.endpoints(merchant()))
  registry.register('webhooks:create-endpoint', (input) => {
    const i = object(input)
    return webhooks.createEndpoint(merchant(), {
      url: i.url as string,
      events: i.events as string[] | undefined,
      secret: i.secret as string | undefined,
    })
  })
  registry.register('webhooks:update-endpoint', (input) => {
    const i = object(input)
    return webhooks.updateEndpoint(merchant(), i.id as string, {
      url: i.url as string | undefined,
      events: i.events as string[] | undefined,
      enabled: i.enabled as boolean | undefined,
    })
  })
  registry.register('webhooks:deliveries', (input) => {
    const i = object(input ?? {})
    return webhooks.deliveries(merchant(), {
      endpoint_id: i.endpoint_id as string | undefined,
      session_id: i.session_id as string | undefined,
      limit: i.limit as number | undefined,
    })
  })
  registry.register('webhooks:attempts', (input) => webhooks.attempts(merchant(), object(input).delivery_id as string))
  registry.register('webhooks:redeliver', (input) => webhooks.redeliver(merchant(), object(input).delivery_id as string))
  registry.register('webhooks:send-test', (input) => webhooks.sendTest(merchant(), object(input).endpoint_id as string))
}

// The renderer's input is typed at compile time only; the fields are checked where they are used.
function object(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('parameter_invalid', 'expected an object')
  return input as Record<string, unknown>
}
