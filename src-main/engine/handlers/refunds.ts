import type { Engine } from '..'
import { exportRefundsCsvToFile } from '../reports'
import type { HandlerRegistry, ShellHooks } from '.'
import { saveAs, uiScope } from '.'

/**
 * The refunds channels (#11) for the UI's merchant in its current mode.
 * `refunds:prove` needs the chain, so the watcher registers it
 * (watcher/handlers.ts).
 */
export function registerRefundHandlers(registry: HandlerRegistry, engine: Engine, shell: ShellHooks = {}): void {
  registry.register('refunds:refundable', ({ session_id }) => engine.refunds.refundable(session_id, uiScope(engine)))
  registry.register('refunds:create', (input) => {
    const scope = uiScope(engine)
    return engine.refunds.create({ ...input, merchantId: scope.merchantId, livemode: scope.livemode }).refund
  })
  registry.register('refunds:get', ({ id }) => engine.refunds.get(id, uiScope(engine)))
  registry.register('refunds:list', (filter) => engine.refunds.list(uiScope(engine), filter))
  registry.register('refunds:cancel', ({ id }) => engine.refunds.cancel(id, uiScope(engine)))
  registry.register('refunds:export-csv', async (filter) => {
    const csv = {
      name: 'refunds',
      extension: 'csv',
      inBrowser: 'In the browser the refunds CSV downloads directly from History (Refunds).',
    }
    const saved = await saveAs(engine, shell, csv, (path) => exportRefundsCsvToFile(engine, uiScope(engine), filter, path))
    return saved ?? { saved: false, rows: 0 }
  })
}
