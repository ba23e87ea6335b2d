import { randomBytes } from 'node:crypto'
import { version } from '../../../package.json'
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../../../src-preload/contract'
import type { Engine } from '..'
import type { Clock } from '../clock'
import { ClockGuard } from '../clockGuard'
import { nowSeconds } from '../clock'
import type { WebhookConfig } from '../config'
import { all, get, run } from '../db/sql'
import { conflict, invalid, notFound } from '../errors'
import { newId } from '../ids'
import type { EndpointInput } from './endpoints'
import { EndpointStore, generateSecret, TEST_EVENT_TYPE, toEndpoint, validateUrl } from './endpoints'
import type { AttemptRow, DeliveryViewRow } from './log'
import { ATTEMPT_VIEW, DELIVERY_VIEW, toAttempt, toDelivery } from './log'
import type { RetryPolicy } from './policy'
import { DEFAULT_RETRY_POLICY } from './policy'
import type { SecretBox } from './secretBox'
import { Sender } from './sender'
import { transaction } from '../db/transaction'

export interface WebhooksOptions {
  /** Seals endpoint secrets at rest: Electron safeStorage in the desktop app, `FileKeySecretBox` in serve mode. */
  secretBox: SecretBox
  /** Defaults to the engine's clock (tests pass a ManualClock and call `runDue()`). */
  clock?: Clock
  /** Requests in flight across all endpoints; default 16. */
  concurrency?: number
  /** Requests in flight to one healthy endpoint; default 8. */
  perEndpointConcurrency?: number
  /** A request with no response after this long counts as a failed attempt; default 10 s. */
  fetchTimeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Default `StablePay-POS/<package version>`. */
  userAgent?: string
}

export interface DeliveryFilter {
  endpoint_id?: string
  session_id?: string
  limit?: number
}

/**
 * Webhooks: endpoints per merchant, a durable outbox delivered at least once
 * with StablePay's signature, and the delivery log.
 *
 * The outbox is the `events` table, written by Sessions in the same
 * transaction as the status change; a trigger (in the baseline schema) fans each
 * event out into one delivery per subscribed endpoint in that same
 * transaction. This class only sends what the database says is due.
 */
export class Webhooks {
  readonly store: EndpointStore
  private readonly sender: Sender
  private readonly clock: Clock

  constructor(
    private readonly engine: Pick<Engine, 'db' | 'clock' | 'clockGuard' | 'events' | 'merchants'>,
    options: WebhooksOptions,
  ) {
    this.clock = options.clock ?? engine.clock
    this.store = new EndpointStore(engine.db, this.clock, options.secretBox)
    const concurrency = positiveInt(options.concurrency ?? 16, 'concurrency')
    this.sender = new Sender(engine.db, engine.events, this.store, {
      clock: this.clock,
      concurrency,
      perEndpointConcurrency: Math.min(concurrency, positiveInt(options.perEndpointConcurrency ?? 8, 'perEndpointConcurrency')),
      fetchTimeoutMs: positiveInt(options.fetchTimeoutMs ?? 10_000, 'fetchTimeoutMs'),
      policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      userAgent: options.userAgent ?? `StablePay-POS/${version}`,
      clockGuard: this.clock === engine.clock ? engine.clockGuard : new ClockGuard(this.clock),
    })
  }

  // ---------------------------------------------------------------- the sender

  /** Starts the sender (outbox wake-ups plus a timer for retries). Returns stop(), which aborts requests in flight. */
  start(): () => Promise<void> {
    return this.sender.start()
  }

  /** Aborts requests in flight and releases sockets: for a sender driven by `runDue()` alone (stop() does this itself). */
  close(): Promise<void> {
    return this.sender.close()
  }

  /** Sends everything due by the clock now, and waits for the results. For tests and tools; the started sender does this by itself. */
  runDue(): Promise<number> {
    return this.sender.runDue()
  }

  /** When (ms, by the clock) something next becomes due, or null. */
  nextWakeAt(): number | null {
    return this.sender.nextWakeAt()
  }

  // ---------------------------------------------------------------- endpoints

  endpoints(merchantId: string): WebhookEndpoint[] {
    return this.store.rows(merchantId).map(toEndpoint)
  }

  /** The secret is returned here and never again; it is stored sealed and never logged. */
  createEndpoint(merchantId: string, input: EndpointInput): WebhookEndpoint & { secret: string } {
    this.engine.merchants.get(merchantId)
    const { row, secret } = transaction(this.engine.db, () => this.store.create(merchantId, input, 'app'))
    this.sender.invalidate()
    return { ...toEndpoint(row), secret }
  }

  updateEndpoint(merchantId: string, id: string, patch: { url?: string; events?: string[]; enabled?: boolean }): WebhookEndpoint {
    const row = transaction(this.engine.db, () => {
      const row = this.store.scoped(id, merchantId)
      this.store.update(row, { url: patch.url, events: patch.events, enabled: patch.enabled })
      return this.store.bySeq(row.seq)!
    })
    this.sender.invalidate()
    this.sender.wake()
    return toEndpoint(row)
  }

  /** Deleted over the API (#12): pending deliveries to it stop with it (it is switched off). */
  deleteEndpoint(merchantId: string, id: string): { id: string; deleted: true } {
    transaction(this.engine.db, () => this.store.delete(this.store.scoped(id, merchantId)))
    this.sender.invalidate()
    return { id, deleted: true }
  }

  /** A new signing secret (#12), returned here and never again; the old one stops signing at once. */
  rotateEndpointSecret(merchantId: string, id: string): WebhookEndpoint & { secret: string } {
    const secret = generateSecret()
    const row = transaction(this.engine.db, () => {
      const row = this.store.scoped(id, merchantId)
      this.store.update(row, { secret })
      return this.store.bySeq(row.seq)!
    })
    this.sender.invalidate()
    return { ...toEndpoint(row), secret }
  }

  /**
   * The config file's endpoints, applied inside `applyConfig`'s transaction.
   * An endpoint is found again by (merchant, url); only what differs is
   * written, so applying the same file twice changes nothing. A new endpoint
   * must carry its secret: one generated here could never be shown to anyone.
   */
  applyConfig(list: WebhookConfig[]): void {
    transaction(this.engine.db, () => {
      list.forEach((w, i) => {
        const url = validateUrl(w.url, `webhooks[${i}].url`)
        const existing = this.store.findByUrl(w.merchantId, url)
        if (existing) {
          this.store.update(existing, { events: w.events ?? ['*'], enabled: w.enabled ?? true, secret: w.secret, source: 'config' })
        } else {
          if (w.secret === undefined)
            throw invalid(
              'parameter_missing',
              'a new webhook endpoint needs its "secret" (the back office verifies signatures with it)',
              `webhooks[${i}].secret`,
            )
          this.engine.merchants.get(w.merchantId)
          this.store.create(w.merchantId, { url, events: w.events, secret: w.secret, enabled: w.enabled }, 'config')
        }
      })
    })
    // Re-read after the outer transaction too: if it rolls back, the next read sees the old rows again.
    this.sender.invalidate()
  }

  // ---------------------------------------------------------------- delivery log

  deliveries(merchantId: string, filter: DeliveryFilter = {}): WebhookDelivery[] {
    // Its form (limit 1-500, ids as strings) is checked by the channel's schema.
    const limit = filter.limit ?? 50
    const where = ['e.merchant_id = @merchant']
    const params: Record<string, unknown> = { merchant: merchantId, limit }
    if (filter.endpoint_id !== undefined) {
      where.push('d.endpoint_seq = @endpoint')
      params.endpoint = this.store.scoped(filter.endpoint_id, merchantId, 'endpoint_id').seq
    }
    if (filter.session_id !== undefined) {
      where.push('d.session_id = @session')
      params.session = filter.session_id
    }
    return all<DeliveryViewRow>(
      this.engine.db,
      `${DELIVERY_VIEW} WHERE ${where.join(' AND ')} ORDER BY d.seq DESC LIMIT @limit`,
      params,
    ).map(toDelivery)
  }

  delivery(merchantId: string, id: string): WebhookDelivery {
    return toDelivery(this.scopedDelivery(id, merchantId))
  }

  /** Every attempt of one delivery, oldest first. */
  attempts(merchantId: string, deliveryId: string): WebhookAttempt[] {
    const row = this.scopedDelivery(deliveryId, merchantId, 'delivery_id')
    return all<AttemptRow>(this.engine.db, `${ATTEMPT_VIEW} WHERE a.delivery_seq = ? ORDER BY a.id`, row.seq).map(toAttempt)
  }

  /** A new delivery of the same event (same event id, so the back office can de-duplicate) to the same endpoint. */
  redeliver(merchantId: string, deliveryId: string): WebhookDelivery {
    const created = transaction(this.engine.db, () => {
      const original = this.scopedDelivery(deliveryId, merchantId, 'delivery_id')
      this.requireEnabled(original.endpoint_seq)
      return this.insertDelivery({
        endpointSeq: original.endpoint_seq,
        eventSeq: original.event_seq,
        eventId: original.event_id,
        eventType: original.event_type,
        sessionId: original.session_id,
        testBody: original.test_body,
      })
    })
    this.sender.wake()
    return created
  }

  /**
   * Sends a `webhook.test` event to one endpoint, whatever its filter, so the
   * owner can check the URL and the secret. It is not a shop event: it is not
   * in the outbox and no other endpoint receives it.
   */
  sendTest(merchantId: string, endpointId: string): WebhookDelivery {
    const created = transaction(this.engine.db, () => {
      const endpoint = this.store.scoped(endpointId, merchantId, 'endpoint_id')
      this.requireEnabled(endpoint.seq)
      const id = newId('evt')
      const body = JSON.stringify({
        id,
        type: TEST_EVENT_TYPE,
        created: nowSeconds(this.clock),
        livemode: false,
        data: { object: { ...toEndpoint(endpoint), object: 'webhook_endpoint' } },
      })
      return this.insertDelivery({
        endpointSeq: endpoint.seq,
        eventSeq: null,
        eventId: id,
        eventType: TEST_EVENT_TYPE,
        sessionId: null,
        testBody: body,
      })
    })
    this.sender.wake()
    return created
  }

  private requireEnabled(endpointSeq: number): void {
    const endpoint = this.store.bySeq(endpointSeq)
    if (!endpoint || endpoint.enabled !== 1)
      throw conflict('endpoint_disabled', 'this webhook endpoint is disabled; enable it first', 'endpoint_id')
  }

  private insertDelivery(d: {
    endpointSeq: number
    eventSeq: number | null
    eventId: string
    eventType: string
    sessionId: string | null
    testBody: string | null
  }): WebhookDelivery {
    const now = this.clock.now()
    const info = run(
      this.engine.db,
      `INSERT INTO webhook_deliveries (id, endpoint_seq, event_seq, event_id, event_type, session_id, test_body, state, next_attempt_ms, created_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      `whd_${randomBytes(12).toString('hex')}`,
      d.endpointSeq,
      d.eventSeq,
      d.eventId,
      d.eventType,
      d.sessionId,
      d.testBody,
      now,
      now,
    )
    return toDelivery(get<DeliveryViewRow>(this.engine.db, `${DELIVERY_VIEW} WHERE d.seq = ?`, info.lastInsertRowid)!)
  }

  private scopedDelivery(id: unknown, merchantId: string, param = 'id'): DeliveryViewRow {
    const row =
      typeof id === 'string'
        ? get<DeliveryViewRow>(this.engine.db, `${DELIVERY_VIEW} WHERE d.id = ? AND e.merchant_id = ?`, id, merchantId)
        : undefined
    if (!row) throw notFound(`no webhook delivery "${String(id)}"`, param)
    return row
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`webhooks: ${name} must be a positive integer`)
  return value
}
