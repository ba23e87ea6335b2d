import type { Engine } from '..'
import { conflict } from '../errors'
import type { HandlerRegistry } from './registry'

/**
 * PLACEHOLDER (branch base-refunds only): the refunds engine (#11) replaces
 * these with real handlers. Never merged to main as is.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function registerRefundHandlers(registry: HandlerRegistry, engine: Engine): void {
  const todo = () => {
    throw conflict('not_implemented', 'refunds are being built')
  }
  registry.register('refunds:refundable', todo)
  registry.register('refunds:create', todo)
  registry.register('refunds:get', todo)
  registry.register('refunds:list', todo)
  registry.register('refunds:cancel', todo)
  registry.register('refunds:prove', todo)
  registry.register('refunds:export-csv', todo)
}
