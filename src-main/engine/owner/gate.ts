import type { Channel, InputOf, SessionFilter } from '../../../src-preload/contract'
import { addDays, dayStart, safeTimeZone, shopDay } from '../../../src-preload/shared/time'
import type { Engine } from '..'
import { nowSeconds } from '../clock'
import type { RoleGate } from '../handlers/registry'
import { audited } from './changes'

/**
 * Channels whose change is written to the audit log (changes.ts). A channel
 * that changes the receiving side, networks, API keys, webhook endpoints or
 * the app's settings belongs here; the contract-walking test checks each kind leaves a row.
 */
export const AUDITED_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'setup:complete',
  'merchant:update',
  'chains:update',
  'api-keys:create',
  'api-keys:revoke',
  'api-keys:rotate-secret',
  'api-keys:set-signed-only',
  'webhooks:create-endpoint',
  'webhooks:update-endpoint',
  // #15: test or live mode and the counter's choices.
  'settings:update',
])

/** The handler registry's view of the owner role, backed by the engine. */
export function ownerGate(engine: Engine): RoleGate {
  return {
    holds: (device) => engine.owner.holds(device),
    touch: (device) => engine.owner.touch(device),
    audited: (channel, actor, run) => (AUDITED_CHANNELS.has(channel) ? audited(engine, engine.audit, actor, run) : run()),
    narrow: (channel, input, caller) => {
      if (channel !== 'sessions:list' && channel !== 'sessions:totals') return input
      return ownTill(engine, today(engine, input as InputOf<'sessions:list'>), caller.device) as typeof input
    },
  }
}

/** A cashier's list and totals: whatever till the filter asks for, only the caller's own till's sales. */
function ownTill(engine: Engine, filter: SessionFilter, device: string): SessionFilter {
  return { ...filter, till: engine.devices.tillOf(device) }
}

/** A cashier's list and totals: whatever the filter asks, only today in the shop's time zone. */
function today(engine: Engine, filter: SessionFilter): SessionFilter {
  const zone = safeTimeZone(engine.merchants.first()?.time_zone)
  const day = shopDay(nowSeconds(engine.clock), zone)
  const start = dayStart(day, zone)
  const end = dayStart(addDays(day, 1), zone)
  return {
    ...filter,
    created_gte: Math.max(filter.created_gte ?? start, start),
    created_lt: Math.min(filter.created_lt ?? end, end),
  }
}
