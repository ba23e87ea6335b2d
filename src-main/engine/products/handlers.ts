import type { Engine } from '..'
import type { ShellHooks } from '../handlers'
import { saveAs, uiScope } from '../handlers'
import { exportLineItemsCsvToFile } from '../reports'
import type { HandlerRegistry } from '../handlers/registry'

/**
 * Catalog and cart channels (#17). Which need the owner is declared with the
 * other channels' roles (contract CHANNEL_ROLES); the list is the one read a
 * cashier may make, and a cashier gets the active products in the shop's
 * currency only, whatever they ask for.
 */
export function registerProductHandlers(registry: HandlerRegistry, engine: Engine, shell: ShellHooks): void {
  const products = engine.products
  registry.register('products:list', (input, caller) => {
    const { merchantId } = uiScope(engine)
    const owner = registry.roleOf(caller) === 'owner'
    if (owner && input.include_inactive) return products.list(merchantId, { includeInactive: true })
    const currency = engine.merchants.get(merchantId).currency
    return products.list(merchantId).filter((p) => p.currency === currency)
  })
  registry.register('products:image', ({ id }) => ({ id, image: products.image(uiScope(engine).merchantId, id) }))
  registry.register('products:create', (input) => products.create(uiScope(engine).merchantId, input))
  registry.register('products:update', ({ id, ...patch }) => products.update(uiScope(engine).merchantId, id, patch))
  registry.register('products:delete', ({ id }) => products.delete(uiScope(engine).merchantId, id))
  registry.register('products:import-csv', ({ csv }) => products.importCsv(uiScope(engine).merchantId, csv))
  registry.register('products:export-csv', () => products.exportCsv(uiScope(engine).merchantId))
  registry.register('sale-mode:get', (_input, caller) => ({ mode: products.saleMode(engine.devices.tillOf(caller.device)) }))
  registry.register('sale-mode:set', ({ mode }, caller) => ({ mode: products.setSaleMode(engine.devices.tillOf(caller.device), mode) }))
  registry.register('sessions:export-line-items-csv', async (filter) => {
    const csv = { name: 'line-items', extension: 'csv', inBrowser: 'In the browser the line-items CSV downloads directly from History.' }
    const saved = await saveAs(engine, shell, csv, (path) => exportLineItemsCsvToFile(engine, uiScope(engine), filter, path))
    return saved ?? { saved: false, rows: 0 }
  })
}
