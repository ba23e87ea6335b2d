import type { Engine } from '..'
import { conflict, invalid } from '../errors'
import { HandlerRegistry } from './registry'
import { exportSessionsCsvToFile, registerReportHandlers } from '../reports'
import { registerShopHandlers } from './shop'
import type { ReceiptShellHooks } from '../receipts'
import { registerReceiptHandlers } from '../receipts'
import { registerRefundHandlers } from './refunds'
import { ownerGate, registerOwnerHandlers } from '../owner'
import { registerDeviceHandlers } from '../devices/handlers'
import { compositionInput } from '../sessions'

export { HandlerRegistry, LOCAL_CALLER, ownerRequired, parseInput, toContractError } from './registry'
export type { Caller, RoleGate } from './registry'

/**
 * The shop the UI acts for: the app's own merchant (first-run creates it) in
 * the mode the owner chose (test or live), like an API key's scope.
 */
export function uiScope(engine: Engine): { merchantId: string; livemode: boolean } {
  const merchant = engine.merchants.first()
  if (!merchant) throw invalid('setup_required', 'The shop is not set up yet: finish the first-run wizard.')
  return { merchantId: merchant.id, livemode: engine.settings.get().livemode }
}

/** Registers the session handlers; other features register theirs beside it. Inputs arrive parsed (registry.ts). */
export function registerSessionHandlers(registry: HandlerRegistry, engine: Engine): void {
  registry.register('sessions:create', (sale, caller) => {
    const scope = uiScope(engine)
    const merchant = engine.merchants.get(scope.merchantId)
    return engine.sessions.create({
      merchantId: scope.merchantId,
      livemode: scope.livemode,
      // A counter sale without a reference still needs a unique order id.
      orderId: sale.order_id ?? `pos-${engine.clock.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
      amount: sale.amount,
      currency: sale.currency ?? merchant.currency,
      chainId: sale.chain_id,
      token: sale.token,
      expiresIn: sale.expires_in,
      // The caller's till, from its device: the cashier cannot pick another till's counter.
      till: engine.devices.tillOf(caller.device),
      requireOnline: sale.require_online === true,
      ...compositionInput(sale),
    }).session
  })
  registry.register('sessions:get', ({ id }) => engine.sessions.get(id, uiScope(engine)))
  registry.register('sessions:list', (filter) => engine.sessions.list(uiScope(engine), filter))
  registry.register('sessions:cancel', ({ id }) => engine.sessions.cancel(id, uiScope(engine)))
  registry.register('sessions:timeline', ({ id }) => engine.sessions.timeline(id, uiScope(engine)))
  registry.register('sessions:reversals', () => engine.sessions.reversalAlerts(uiScope(engine)))
  registry.register('sessions:acknowledge-reversal', ({ id }) => engine.sessions.acknowledgeReversal(id, uiScope(engine)))
}

/** What only the app's shell can do: the desktop shell has a save dialog, a browser downloads instead. */
export interface ShellHooks extends ReceiptShellHooks {
  /** Asks the owner where to save; null when they cancel. */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>
}

export function createHandlerRegistry(engine: Engine, shell: ShellHooks = {}): HandlerRegistry {
  // Each channel's role (contract CHANNEL_ROLES) is checked against the engine's owner role, per device (#13).
  const registry = new HandlerRegistry(ownerGate(engine))
  registerOwnerHandlers(registry, engine, shell)
  registerSessionHandlers(registry, engine)
  registerShopHandlers(registry, engine)
  registerReportHandlers(registry, engine)
  registerReceiptHandlers(registry, engine, shell)
  registerRefundHandlers(registry, engine, shell)
  registerDeviceHandlers(registry, engine)
  registry.register('sessions:export-csv', async (filter) => {
    const csv = { name: 'sales', extension: 'csv', inBrowser: 'In the browser the CSV downloads directly from History (Export CSV).' }
    const saved = await saveAs(engine, shell, csv, (path) => exportSessionsCsvToFile(engine, uiScope(engine), filter, path))
    return saved ?? { saved: false, rows: 0 }
  })
  return registry
}

/**
 * The desktop's "save as": asks the shell where (`stablepay-NAME-YYYY-MM-DD.EXT`), then writes there.
 * Null when the owner cancelled. A browser has no such dialog: it downloads from an HTTP route instead.
 */
export async function saveAs<T extends object>(
  engine: Engine,
  shell: ShellHooks,
  file: { name: string; extension: string; inBrowser: string },
  write: (path: string) => Promise<T>,
): Promise<(T & { saved: true }) | null> {
  if (!shell.chooseExportFile) throw conflict('export_in_browser', file.inBrowser)
  const day = new Date(engine.clock.now()).toISOString().slice(0, 10)
  const path = await shell.chooseExportFile(`stablepay-${file.name}-${day}.${file.extension}`)
  return path ? { ...(await write(path)), saved: true } : null
}
