/**
 * Audited changes: a change to the shop's receiving side, networks, API keys,
 * webhook endpoints or the app's settings (#15: test or live mode, the
 * counter's choices) runs inside one transaction with a look at those
 * before and after it, and every difference becomes an audit row in that
 * same transaction (a change is never stored without its row, nor the other
 * way round). One way for the screens and the config file alike, so neither
 * can forget a kind of change.
 *
 * A change of a merchant also goes to the back office as a signed
 * `merchant.updated` webhook, through the outbox like every other event.
 */
import type { ChainConfig, Merchant } from '../../../src-preload/contract'
import type { Engine } from '..'
import { nowSeconds } from '../clock'
import { all, run } from '../db/sql'
import { storedAddress } from '../shop/merchants'
import { afterCommit, transaction } from '../db/transaction'
import { newId } from '../ids'
import type { Actor, AuditLog } from './audit'
import { changedFields, redactUrl } from './audit'

type Snapshot = Map<string, Record<string, unknown>>

interface Look {
  merchants: Map<string, Merchant>
  networks: Snapshot
  apiKeys: Snapshot
  webhooks: Snapshot
  /** The app's settings (none is a secret: a printer's name is the most private of them). */
  settings: Record<string, unknown>
}

/** Runs `change` and records what it changed, as `actor`. `change` must not await (it runs inside a transaction). */
export function audited<T>(engine: Pick<Engine, 'db' | 'clock' | 'events' | 'settings'>, audit: AuditLog, actor: Actor, change: () => T): T {
  return transaction(engine.db, () => {
    const before = look(engine)
    const result = change()
    recordDifferences(engine, audit, actor, before, look(engine))
    return result
  })
}

function look(engine: Pick<Engine, 'db' | 'settings'>): Look {
  const db = engine.db
  const merchants = new Map(
    all<{ id: string; name: string; currency: string; receive_mode: 'address' | 'xpub'; receive_address: string | null; receive_xpub: string | null; session_ttl_seconds: number; time_zone: string }>(
      db,
      'SELECT id, name, currency, receive_mode, receive_address, receive_xpub, session_ttl_seconds, time_zone FROM merchants',
    ).map((m): [string, Merchant] => [
      m.id,
      {
        id: m.id,
        name: m.name,
        currency: m.currency,
        receive: m.receive_mode === 'address' ? { mode: 'address', address: m.receive_address ?? '' } : { mode: 'xpub', xpub: m.receive_xpub ?? '' },
        session_ttl_seconds: m.session_ttl_seconds,
        time_zone: m.time_zone,
        address: storedAddress(db, m.id),
      },
    ]),
  )
  const tokens = all<{ chain_id: number; symbol: string; address: string; decimals: number; enabled: number }>(
    db,
    'SELECT chain_id, symbol, address, decimals, enabled FROM tokens ORDER BY chain_id, symbol',
  )
  const networks: Snapshot = new Map(
    all<{ chain_id: number; name: string; rpc_urls: string; ws_urls: string; confirmations: number; enabled: number; explorer_url: string | null; poll_interval_ms: number | null }>(
      db,
      'SELECT chain_id, name, rpc_urls, ws_urls, confirmations, enabled, explorer_url, poll_interval_ms FROM chains',
    ).map((c) => [
      String(c.chain_id),
      {
        name: c.name,
        enabled: c.enabled === 1,
        rpc_urls: (JSON.parse(c.rpc_urls) as string[]).map(redactUrl),
        ws_urls: (JSON.parse(c.ws_urls) as string[]).map(redactUrl),
        confirmations: c.confirmations,
        poll_interval_ms: c.poll_interval_ms,
        explorer_url: c.explorer_url,
        tokens: tokens
          .filter((t) => t.chain_id === c.chain_id)
          .map((t) => `${t.symbol} ${t.address} (${t.decimals})${t.enabled === 1 ? '' : ' off'}`),
      } satisfies Partial<Record<keyof ChainConfig, unknown>>,
    ]),
  )
  // The hint ("sk_test_…a1b2") only: enough to recognise a key, never enough to use it.
  const apiKeys: Snapshot = new Map(
    all<{
      id: string
      merchant_id: string
      hint: string
      livemode: number
      revoked_at: number | null
      secret_sealed: string | null
      signed_only: number
    }>(db, 'SELECT id, merchant_id, hint, livemode, revoked_at, secret_sealed, signed_only FROM api_keys').map((k) => [
      k.id,
      {
        merchant_id: k.merchant_id,
        hint: k.hint,
        livemode: k.livemode === 1,
        revoked: k.revoked_at !== null,
        signed_only: k.signed_only === 1,
        // Compared, never shown (#12): a new API secret shows as `secret_replaced`.
        sealed: k.secret_sealed,
      },
    ]),
  )
  // The sealed secret is compared, never shown: a new one shows as `secret_replaced`.
  const webhooks: Snapshot = new Map(
    all<{ id: string; merchant_id: string; url: string; events: string; enabled: number; secret_sealed: string; deleted_at: number | null }>(
      db,
      'SELECT id, merchant_id, url, events, enabled, secret_sealed, deleted_at FROM webhook_endpoints',
    ).map((w) => [
      w.id,
      {
        merchant_id: w.merchant_id,
        url: redactUrl(w.url),
        events: JSON.parse(w.events) as string[],
        enabled: w.enabled === 1,
        // Deleted over the API (#12).
        ...(w.deleted_at !== null ? { deleted: true } : {}),
        sealed: w.secret_sealed,
      },
    ]),
  )
  return { merchants, networks, apiKeys, webhooks, settings: { ...engine.settings.get() } }
}

function recordDifferences(
  engine: Pick<Engine, 'db' | 'clock' | 'events' | 'settings'>,
  audit: AuditLog,
  actor: Actor,
  before: Look,
  after: Look,
): void {
  for (const [id, merchant] of after.merchants) {
    const old = before.merchants.get(id) ?? null
    const { receive, ...details } = merchant
    const { receive: oldReceive, ...oldDetails } = old ?? { receive: null }
    if (JSON.stringify(oldReceive) !== JSON.stringify(receive)) audit.record(actor, 'receive', id, oldReceive ? { ...oldReceive } : null, { ...receive })
    const diff = changedFields(oldDetails, details)
    if (diff) audit.record(actor, 'merchant', id, old ? diff.before : null, diff.after)
    // Only a change of an existing shop is news for the back office (a new one has no endpoints yet).
    if (old && JSON.stringify(old) !== JSON.stringify(merchant)) merchantUpdated(engine, merchant)
  }

  // Each changed key, old → new: the switch between test and real money above all.
  const settings = changedFields(before.settings, after.settings)
  if (settings) audit.record(actor, 'settings', null, settings.before, settings.after)

  for (const [chainId, network] of after.networks) {
    const old = before.networks.get(chainId)
    const diff = changedFields(old ?? {}, network)
    if (diff) audit.record(actor, 'network', chainId, old ? diff.before : null, diff.after)
  }

  for (const [id, key] of after.apiKeys) {
    const old = before.apiKeys.get(id)
    const { sealed, ...shown } = key
    if (!old) {
      audit.record(actor, 'api_key.created', id, null, { ...shown, has_secret: sealed !== null })
      continue
    }
    if (!old.revoked && key.revoked) audit.record(actor, 'api_key.revoked', id, { revoked: false }, { revoked: true })
    // Signed requests (#12): a new API secret and "signed requests only" are changes of the key too.
    if (sealed !== old.sealed) audit.record(actor, 'api_key.updated', id, {}, { secret_replaced: true })
    if (shown.signed_only !== old.signed_only)
      audit.record(actor, 'api_key.updated', id, { signed_only: old.signed_only }, { signed_only: shown.signed_only })
  }

  for (const [id, endpoint] of after.webhooks) {
    const { sealed, ...shown } = endpoint
    const old = before.webhooks.get(id)
    if (!old) {
      audit.record(actor, 'webhook.created', id, null, shown)
      continue
    }
    const { sealed: oldSealed, ...oldShown } = old
    const diff = changedFields(oldShown, shown)
    const secretReplaced = sealed !== oldSealed
    if (diff || secretReplaced)
      audit.record(
        actor,
        'webhook.updated',
        id,
        diff?.before ?? {},
        secretReplaced ? { ...(diff?.after ?? {}), secret_replaced: true } : (diff?.after ?? {}),
      )
  }
}

/** Writes `merchant.updated` into the outbox: the fan-out trigger queues it for every subscribed endpoint, in this transaction. */
function merchantUpdated(engine: Pick<Engine, 'db' | 'clock' | 'events' | 'settings'>, merchant: Merchant): void {
  const id = newId('evt')
  const created = nowSeconds(engine.clock)
  const livemode = engine.settings.get().livemode
  const body = JSON.stringify({ id, type: 'merchant.updated', created, livemode, data: { object: merchant } })
  run(
    engine.db,
    'INSERT INTO events (id, type, merchant_id, livemode, session_id, created, body) VALUES (?, ?, ?, ?, NULL, ?, ?)',
    id,
    'merchant.updated',
    merchant.id,
    livemode ? 1 : 0,
    created,
    body,
  )
  afterCommit(engine.db, 'outbox:written', () => engine.events.emitInternal('outbox:written'))
}
