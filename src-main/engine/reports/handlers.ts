import type { DailyTotal } from '../../../src-preload/contract'
import type { Engine } from '..'
import type { HandlerRegistry } from '../handlers'
import { uiScope } from '../handlers'
import { sessionTotals } from './totals'

/** The contract's report channels, for the UI's merchant in its current mode. */
export function registerReportHandlers(registry: HandlerRegistry, engine: Engine): void {
  // Two windows (or a History screen refreshing after each sale) asking for the same totals share one run.
  const running = new Map<string, Promise<DailyTotal[]>>()
  registry.register('sessions:totals', (input) => {
    const scope = uiScope(engine)
    const key = JSON.stringify([scope, input])
    let totals = running.get(key)
    if (!totals) {
      totals = sessionTotals(engine, scope, input).finally(() => running.delete(key))
      running.set(key, totals)
    }
    return totals
  })
}
