import type { AuditFilter, OwnerNotice } from '../../../src-preload/contract'
import type { Engine } from '..'
import { nowSeconds } from '../clock'
import { saveAs } from '../handlers'
import type { ShellHooks } from '../handlers'
import type { HandlerRegistry } from '../handlers/registry'
import { writeFile } from 'node:fs/promises'

/** How long the cashier screen announces a change of the receiving address. */
export const NOTICE_SECONDS = 24 * 3600

/** The owner channels (#13): the PIN, the role, the audit log and the cashier's notices. */
export function registerOwnerHandlers(registry: HandlerRegistry, engine: Engine, shell: ShellHooks = {}): void {
  registry.register('owner:status', (_input, caller) => engine.owner.status(caller.device))
  registry.register('owner:unlock', ({ pin }, caller) => engine.owner.unlock(caller.device, pin))
  registry.register('owner:lock', (_input, caller) => engine.owner.lock(caller.device))
  registry.register('owner:set-pin', (input, caller) => engine.owner.setPin(caller.device, input))
  registry.register('owner:reset-pin', (input, caller) => engine.owner.resetPin(caller.device, input))
  registry.register('owner:notices', () => receiveNotices(engine))
  registry.register('audit:list', (filter) => engine.audit.list(filter))
  registry.register('audit:export-csv', async (filter) => {
    const csv = { name: 'audit-log', extension: 'csv', inBrowser: 'In the browser the audit log downloads directly (Export CSV).' }
    const saved = await saveAs(engine, shell, csv, async (path) => {
      const { text, rows } = auditCsv(engine, filter)
      await writeFile(path, text)
      return { rows }
    })
    return saved ?? { saved: false, rows: 0 }
  })
  // The cashier's one setting: the screen's language (settings:update, which switches test and live money, is the owner's).
  registry.register('settings:language', ({ language }) => engine.settings.update({ language }))
}

/** The audit log as CSV, its times in the shop's time zone. */
export function auditCsv(engine: Engine, filter: AuditFilter): { text: string; rows: number } {
  return engine.audit.csv(filter, engine.merchants.first()?.time_zone ?? 'UTC')
}

/** A change of the shop's receiving address or xpub in the last 24 hours (not the first setup). */
export function receiveNotices(engine: Engine): OwnerNotice[] {
  const now = nowSeconds(engine.clock)
  const merchantId = engine.merchants.first()?.id
  if (merchantId === undefined) return []
  return engine.audit
    .since('receive', now - NOTICE_SECONDS)
    .filter((e) => e.subject === merchantId && e.before !== null && e.after !== null)
    .slice(0, 1)
    .map((e) => ({
      kind: 'receive_changed',
      at: e.at,
      device: e.device,
      before: e.before as unknown as OwnerNotice['before'],
      after: e.after as unknown as OwnerNotice['after'],
      until: e.at + NOTICE_SECONDS,
    }))
}
