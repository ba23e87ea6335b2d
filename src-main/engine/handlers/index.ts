import type { Engine } from '..'
import { conflict, invalid } from '../errors'
import { HandlerRegistry } from './registry'
import { exportSessionsCsvToFile, registerReportHandlers } from '../reports'
import { registerShopHandlers } from './shop'

export { HandlerRegistry, toContractError } from './registry'

/**
 * The shop the UI acts for: the app's own merchant (first-run creates it) in
 * the mode the owner chose (test or live), like an API key's scope.
 */
export function uiScope(engine: Engine): { merchantId: string; livemode: boolean } {
  const merchant = engine.merchants.first()
  if (!merchant) throw invalid('setup_required', 'The shop is not set up yet: finish the first-run wizard.')
  return { merchantId: merchant.id, livemode: engine.settings.get().livemode }
}

/** Registers the session handlers; other features register theirs beside it. */
export function registerSessionHandlers(registry: HandlerRegistry, engine: Engine): void {
  registry.register('sessions:create', (input) => {
    const scope = uiScope(engine)
    const merchant = engine.merchants.get(scope.merchantId)
    return engine.sessions.create({
      merchantId: scope.merchantId,
      livemode: scope.livemode,
      // A counter sale without a reference still needs a unique order id.
      orderId: input.order_id?.trim() || `pos-${engine.clock.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
      amount: input.amount,
      currency: input.currency ?? merchant.currency,
      chainId: input.chain_id,
      token: input.token,
      expiresIn: input.expires_in,
    }).session
  })
  registry.register('sessions:get', (input) => engine.sessions.get(input.id, uiScope(engine)))
  registry.register('sessions:list', (input) =>
    engine.sessions.list({ merchantId: uiScope(engine).merchantId, livemode: uiScope(engine).livemode }, input),
  )
  registry.register('sessions:cancel', (input) => engine.sessions.cancel(input.id, uiScope(engine)))
  registry.register('sessions:timeline', (input) => engine.sessions.timeline(input.id, uiScope(engine)))
}

/** What only a front door can do: the desktop shell has a save dialog, a browser downloads instead. */
export interface ShellHooks {
  /** Asks the owner where to save; null when they cancel. */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>
}

export function createHandlerRegistry(engine: Engine, shell: ShellHooks = {}): HandlerRegistry {
  const registry = new HandlerRegistry()
  registerSessionHandlers(registry, engine)
  registerShopHandlers(registry, engine)
  registerReportHandlers(registry, engine)
  registry.register('sessions:export-csv', async (filter) => {
    const choose = shell.chooseExportFile
    if (!choose) throw conflict('export_in_browser', 'In the browser the CSV downloads directly from History (Export CSV).')
    const scope = uiScope(engine)
    const day = new Date(engine.clock.now()).toISOString().slice(0, 10)
    const path = await choose(`stablepay-sales-${day}.csv`)
    if (!path) return { saved: false, rows: 0 }
    const { rows } = await exportSessionsCsvToFile(engine, scope, filter, path)
    return { saved: true, rows }
  })
  return registry
}
