import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createEngine, DATABASE_FILE } from '../../src-main/engine'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { version } from '../../package.json'
import type { WebhookDelivery } from '../../src-preload/contract'
import type { WebhooksOptions } from '../../src-main/engine/webhooks'
import { FileKeySecretBox, verifyWebhook, Webhooks } from '../../src-main/engine/webhooks'
import { getFreePort } from '../support/freePort'
import type { HttpReceiver, RecordedRequest } from '../support/httpReceiver'
import { startHttpReceiver } from '../support/httpReceiver'
import type { Shop } from '../unit/engineFixture'
import { openShop, SHOP_ADDRESS, USDC6 } from '../unit/engineFixture'
import { makeTempDir } from '../support/tempDir'
import { captureLog } from '../../src-main/engine/log'

const MERCHANT = 'merchant_123'
const SECRET = 'whsec_integration_secret_0123456789abcdef'
const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Rig {
  shop: Shop
  webhooks: Webhooks
  receiver: HttpReceiver
  endpointId: string
}

/** A real engine, a real receiver on loopback, one endpoint with a known secret. Jitter pinned so backoffs are exact. */
async function rig(options: Partial<WebhooksOptions> = {}, path = '/hooks'): Promise<Rig> {
  const shop = openShop()
  cleanups.push(() => shop.close())
  const receiver = await startHttpReceiver()
  cleanups.push(() => receiver.stop())
  const webhooks = newWebhooks(shop, options)
  const endpointId = webhooks.createEndpoint(MERCHANT, { url: `${receiver.url}${path}`, secret: SECRET }).id
  return { shop, webhooks, receiver, endpointId }
}

function newWebhooks(shop: Shop, options: Partial<WebhooksOptions> = {}): Webhooks {
  const webhooks = new Webhooks(shop.engine, {
    secretBox: new FileKeySecretBox(shop.dir),
    fetchTimeoutMs: 5_000,
    retry: { random: () => 0.5 },
    ...options,
  })
  // Not started: these tests drive the sender with runDue() and a ManualClock. close() releases its sockets.
  cleanups.push(() => webhooks.close())
  return webhooks
}

let orders = 0
function openSession(shop: Shop): { id: string; seq: number } {
  const { session } = shop.engine.sessions.create({
    merchantId: MERCHANT,
    livemode: false,
    orderId: `order-${++orders}`,
    amount: `${1 + (orders % 500)}.00`,
    currency: 'USD',
  })
  return { id: session.id, seq: shop.engine.sessions.rowById(session.id)!.seq }
}

/** One `payment.cancelled` event, committed. */
function cancelled(shop: Shop): string {
  const s = openSession(shop)
  shop.engine.sessions.cancel(s.id, { merchantId: MERCHANT })
  return s.id
}

/** `payment.processing` then `payment.completed`, two commits, as the watcher would make them. */
function paid(shop: Shop): string {
  const s = openSession(shop)
  shop.engine.sessions.transaction(() => shop.engine.sessions.transition(s.seq, 'PROCESSING', 'transfer seen'))
  shop.engine.sessions.transaction(() => shop.engine.sessions.transition(s.seq, 'COMPLETED', 'confirmed'))
  return s.id
}

function outbox(shop: Shop): Array<{ id: string; type: string; session_id: string; body: string }> {
  return shop.engine.db.prepare('SELECT id, type, session_id, body FROM events ORDER BY seq').all() as never
}

/** An implementation of the scheme written from the spec, independent of the product's code. */
function signatureHolds(req: RecordedRequest, secret: string): boolean {
  const ts = String(req.headers['x-stablepay-timestamp'])
  const nonce = String(req.headers['x-stablepay-nonce'])
  const mac = createHmac('sha256', secret)
  mac.update(Buffer.concat([Buffer.from(`${ts}.${nonce}.`, 'utf8'), req.body]))
  return mac.digest('hex') === req.headers['x-stablepay-signature']
}

const eventId = (r: RecordedRequest): string => String(r.headers['x-stablepay-event-id'])
const ok = (r: RecordedRequest): boolean => r.outcome.kind === 'responded' && r.outcome.status < 300

function only<T>(list: T[]): T {
  expect(list).toHaveLength(1)
  return list[0]!
}

describe('webhook delivery to a real HTTP receiver', () => {
  it('POSTs the frozen outbox body with StablePay headers, signed so that an independent implementation agrees', async () => {
    const { shop, webhooks, receiver, endpointId } = await rig()
    const sessionId = cancelled(shop)
    expect(await webhooks.runDue()).toBe(1)

    const req = only([...receiver.requests])
    const event = only(outbox(shop))
    expect(req.method).toBe('POST')
    expect(req.url).toBe('/hooks')
    expect(req.text).toBe(event.body)
    expect(req.headers['content-type']).toBe('application/json')
    expect(req.headers['user-agent']).toBe(`StablePay-POS/${version}`)
    expect(req.headers['x-stablepay-event-type']).toBe('payment.cancelled')
    expect(req.headers['x-stablepay-event-id']).toBe(event.id)
    expect(req.headers['x-stablepay-signature']).toMatch(/^[0-9a-f]{64}$/)
    expect(req.headers['x-stablepay-timestamp']).toBe(String(Math.floor(shop.clock.now() / 1000)))
    expect(String(req.headers['x-stablepay-nonce']).length).toBeGreaterThanOrEqual(16)
    expect(String(req.headers['x-stablepay-nonce']).length).toBeLessThanOrEqual(64)
    expect(signatureHolds(req, SECRET)).toBe(true)
    expect(signatureHolds(req, `${SECRET}x`)).toBe(false)

    // The body is the StablePay event, its object exactly what the REST API returns for the session.
    const verified = verifyWebhook<{ id: string }>(req.body, req.headers, SECRET, { now: Math.floor(shop.clock.now() / 1000) })
    expect(Object.keys(verified)).toEqual(['id', 'type', 'created', 'livemode', 'data'])
    expect(verified).toMatchObject({ id: event.id, type: 'payment.cancelled', livemode: false })
    expect(verified.data.object).toEqual(shop.engine.sessions.get(sessionId, { merchantId: MERCHANT }))

    const delivery = only(webhooks.deliveries(MERCHANT, { endpoint_id: endpointId }))
    expect(delivery).toMatchObject({
      state: 'delivered',
      attempts: 1,
      last_status: 200,
      last_error: null,
      next_attempt_at: null,
      session_id: sessionId,
    })
    const attempt = only(webhooks.attempts(MERCHANT, delivery.id))
    expect(attempt).toMatchObject({ delivery_id: delivery.id, status: 200, error: null, response_snippet: 'ok' })
    expect(attempt.duration_ms).toBeGreaterThanOrEqual(0)
  })

  it('a retry that fell due after the sender last looked is the next wake-up at once, not at the safety poll', async () => {
    const { shop, webhooks, receiver } = await rig()
    receiver.enqueue({ kind: 'respond', status: 500 })
    cancelled(shop)
    expect(await webhooks.runDue()).toBe(1)
    const retryAt = shop.clock.now() + 5_000
    expect(webhooks.nextWakeAt()).toBe(retryAt)
    // The turn that scheduled the retry ran long (a loaded machine): by the time it arms its timer, the retry is due.
    shop.clock.advance(6_000)
    expect(webhooks.nextWakeAt()).toBe(retryAt)
    expect(await webhooks.runDue()).toBe(1)
  })

  it('retries a 500 after its backoff, with a fresh nonce and the same event id', async () => {
    const { shop, webhooks, receiver, endpointId } = await rig()
    receiver.enqueue({ kind: 'respond', status: 500, body: 'database is down' })
    cancelled(shop)
    expect(await webhooks.runDue()).toBe(1)
    const pending = only(webhooks.deliveries(MERCHANT, { endpoint_id: endpointId }))
    expect(pending).toMatchObject({ state: 'pending', attempts: 1, last_status: 500 })
    expect(pending.next_attempt_at).toBe(Math.floor(shop.clock.now() / 1000) + 5)

    shop.clock.advance(4_999)
    expect(await webhooks.runDue()).toBe(0)
    shop.clock.advance(1)
    expect(await webhooks.runDue()).toBe(1)
    const [first, second] = receiver.requests
    expect(eventId(first!)).toBe(eventId(second!))
    expect(first!.headers['x-stablepay-nonce']).not.toBe(second!.headers['x-stablepay-nonce'])
    expect(signatureHolds(second!, SECRET)).toBe(true)
    const delivery = only(webhooks.deliveries(MERCHANT))
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 2, last_status: 200 })
    expect(webhooks.attempts(MERCHANT, delivery.id).map((a) => [a.status, a.response_snippet])).toEqual([
      [500, 'database is down'],
      [200, 'ok'],
    ])
  })

  it('honours Retry-After on 429 (seconds) and 503 (HTTP date) instead of its own backoff', async () => {
    const { shop, webhooks, receiver } = await rig()
    receiver.enqueue({ kind: 'respond', status: 429, headers: { 'retry-after': '120' } })
    cancelled(shop)
    expect(await webhooks.runDue()).toBe(1)
    shop.clock.advance(119_999)
    expect(await webhooks.runDue()).toBe(0)
    receiver.enqueue({ kind: 'respond', status: 503, headers: { 'retry-after': new Date(shop.clock.now() + 1 + 600_000).toUTCString() } })
    shop.clock.advance(1)
    expect(await webhooks.runDue()).toBe(1)
    // An HTTP date has whole seconds: the retry is due at that second, not before.
    shop.clock.advance(599_000)
    expect(await webhooks.runDue()).toBe(0)
    shop.clock.advance(1_000)
    expect(await webhooks.runDue()).toBe(1)
    expect(receiver.requests.map((r) => r.outcome)).toEqual([
      { kind: 'responded', status: 429 },
      { kind: 'responded', status: 503 },
      { kind: 'responded', status: 200 },
    ])
  })

  it('retries after a timeout (the receiver never answers)', async () => {
    const { shop, webhooks, receiver } = await rig({ fetchTimeoutMs: 300 })
    receiver.hangNext()
    cancelled(shop)
    expect(await webhooks.runDue()).toBe(1)
    const delivery = only(webhooks.deliveries(MERCHANT))
    expect(delivery).toMatchObject({ state: 'pending', last_status: null })
    expect(delivery.last_error).toMatch(/timed out after 300 ms/)
    expect(only(webhooks.attempts(MERCHANT, delivery.id)).duration_ms).toBeGreaterThanOrEqual(290)
    shop.clock.advance(HOUR)
    expect(await webhooks.runDue()).toBe(1)
    expect(receiver.requests.map((r) => r.outcome.kind)).toEqual(['hung', 'responded'])
    expect(only(webhooks.deliveries(MERCHANT)).state).toBe('delivered')
  })

  it('retries after a refused connection, once the receiver listens again', async () => {
    const { shop, webhooks, receiver } = await rig()
    await receiver.down()
    cancelled(shop)
    expect(await webhooks.runDue()).toBe(1)
    expect(only(webhooks.deliveries(MERCHANT)).last_error).toMatch(/ECONNREFUSED/)
    await receiver.up()
    shop.clock.advance(HOUR)
    expect(await webhooks.runDue()).toBe(1)
    expect(only(receiver.requests.filter(ok))).toBeDefined()
    expect(only(webhooks.deliveries(MERCHANT)).state).toBe('delivered')
  })

  it('does not retry a 400 (or any other 4xx but 408/429): the failure is final', async () => {
    const { shop, webhooks, receiver } = await rig()
    receiver.enqueue({ kind: 'respond', status: 400, body: 'unknown order' }, { kind: 'respond', status: 401 })
    cancelled(shop)
    cancelled(shop)
    expect(await webhooks.runDue()).toBe(2)
    for (let day = 0; day < 4; day++) {
      shop.clock.advance(DAY)
      expect(await webhooks.runDue()).toBe(0)
    }
    expect(receiver.requests).toHaveLength(2)
    const deliveries = webhooks.deliveries(MERCHANT)
    expect(deliveries.map((d) => [d.state, d.attempts, d.next_attempt_at])).toEqual([
      ['failed', 1, null],
      ['failed', 1, null],
    ])
    expect(deliveries.map((d) => d.last_status).sort()).toEqual([400, 401])
    expect(deliveries[0]!.last_error).toMatch(/not retried/)
  })

  it('delivers everything after the receiver was down for two (simulated) days, probing it instead of hammering it', async () => {
    const { shop, webhooks, receiver, endpointId } = await rig()
    await receiver.down()
    const sessions: string[] = []
    for (let i = 0; i < 10; i++) sessions.push(paid(shop), cancelled(shop))
    let attemptsWhileDown = 0
    for (let t = 0; t < 2 * DAY; t += 10 * MINUTE) {
      attemptsWhileDown += await webhooks.runDue()
      shop.clock.advance(10 * MINUTE)
      // The shop keeps selling while the back office is away.
      if (t % (6 * HOUR) === 0) sessions.push(cancelled(shop))
    }
    const events = outbox(shop)
    expect(events.length).toBe(38)
    // A dead endpoint gets one probe per pause (the pause grows to an hour), not a retry storm per event.
    expect(attemptsWhileDown).toBeGreaterThan(40)
    expect(attemptsWhileDown).toBeLessThan(100)
    expect(webhooks.deliveries(MERCHANT, { endpoint_id: endpointId, limit: 100 }).every((d) => d.state === 'pending')).toBe(true)

    await receiver.up()
    for (let i = 0; i < 8 && webhooks.deliveries(MERCHANT, { limit: 100 }).some((d) => d.state !== 'delivered'); i++) {
      shop.clock.advance(10 * MINUTE)
      await webhooks.runDue()
    }
    const received = new Set(receiver.requests.filter(ok).map(eventId))
    expect([...received].sort()).toEqual(events.map((e) => e.id).sort())
    expect(webhooks.deliveries(MERCHANT, { limit: 100 }).every((d) => d.state === 'delivered')).toBe(true)
    for (const r of receiver.requests) expect(signatureHolds(r, SECRET)).toBe(true)
    assertSessionOrder(events, receiver.requests)
  })

  it('after a long outage, the next sale reaches the back office at once and brings the backlog with it', async () => {
    const { shop, webhooks, receiver } = await rig()
    await receiver.down()
    for (let i = 0; i < 5; i++) cancelled(shop)
    for (let t = 0; t < DAY; t += 10 * MINUTE) {
      await webhooks.runDue()
      shop.clock.advance(10 * MINUTE)
    }
    // By now the endpoint is probed about once an hour; the back office comes back in between.
    await receiver.up()
    expect(await webhooks.runDue()).toBe(0)
    // A new sale is probed early (rate-limited to one per base backoff), succeeds, and everything queued follows.
    cancelled(shop)
    expect(await webhooks.runDue()).toBe(6)
    expect(webhooks.deliveries(MERCHANT).every((d) => d.state === 'delivered')).toBe(true)
  })

  it('gives up on a delivery not delivered within three days, and says so in the log', async () => {
    const { shop, webhooks, receiver } = await rig()
    await receiver.down()
    cancelled(shop)
    cancelled(shop)
    for (let t = 0; t <= 3 * DAY + HOUR; t += 30 * MINUTE) {
      await webhooks.runDue()
      shop.clock.advance(30 * MINUTE)
    }
    const deliveries = webhooks.deliveries(MERCHANT)
    expect(deliveries.map((d) => d.state)).toEqual(['failed', 'failed'])
    for (const d of deliveries) expect(d.last_error).toMatch(/gave up after 3 days: .*ECONNREFUSED/)
    await receiver.up()
    shop.clock.advance(DAY)
    expect(await webhooks.runDue()).toBe(0)
    expect(receiver.requests).toHaveLength(0)
  })

  it('a clock set four days forward (a box without a battery finding a time server) gives up on nothing', async () => {
    const { shop, webhooks, receiver } = await rig()
    await receiver.down()
    cancelled(shop)
    cancelled(shop)
    expect(await webhooks.runDue()).toBe(2)
    shop.clock.advance(MINUTE)
    shop.clock.jump(4 * DAY)
    // Tried again a minute later (the endpoint's pause is over), failing again: neither has been tried for 3 days.
    expect(await webhooks.runDue()).toBe(1)
    expect(webhooks.deliveries(MERCHANT).map((d) => d.state)).toEqual(['pending', 'pending'])
    await receiver.up()
    shop.clock.advance(HOUR)
    await webhooks.runDue()
    expect(webhooks.deliveries(MERCHANT).map((d) => d.state)).toEqual(['delivered', 'delivered'])
  })

  it('pulls queued retries forward when the endpoint answers again', async () => {
    const { shop, webhooks, receiver } = await rig()
    // One event is told to come back in an hour...
    receiver.enqueue({ kind: 'respond', status: 500, headers: { 'retry-after': '3600' } })
    const slow = cancelled(shop)
    expect(await webhooks.runDue()).toBe(1)
    // ...then the back office drops off the network for a while.
    await receiver.down()
    cancelled(shop)
    expect(await webhooks.runDue()).toBe(1)
    await receiver.up()
    shop.clock.advance(MINUTE)
    // The probe succeeds, and the hour-long wait is cut short in the same pass.
    expect(await webhooks.runDue()).toBe(2)
    expect(webhooks.deliveries(MERCHANT, { session_id: slow })[0]!.state).toBe('delivered')
    expect(webhooks.deliveries(MERCHANT).every((d) => d.state === 'delivered')).toBe(true)
  })

  it('keeps the events of one session in order per endpoint through failures and retries', async () => {
    const { shop, webhooks, receiver } = await rig({ concurrency: 8, perEndpointConcurrency: 8 })
    // A receiver that fails a third of the time, in a fixed pattern, with every kind of failure.
    const pattern = [500, 200, 200, 503, 200, 'reset', 200, 429, 200, 200, 502, 200] as const
    const plans = Array.from({ length: 400 }, (_, i) => {
      const p = pattern[i % pattern.length]!
      return p === 'reset' ? ({ kind: 'reset' } as const) : ({ kind: 'respond', status: p } as const)
    })
    receiver.enqueue(...plans)
    for (let i = 0; i < 20; i++) {
      paid(shop)
      if (i % 3 === 0) cancelled(shop)
    }
    for (let i = 0; i < 200 && webhooks.deliveries(MERCHANT, { limit: 500 }).some((d) => d.state === 'pending'); i++) {
      await webhooks.runDue()
      shop.clock.advance(HOUR)
    }
    const events = outbox(shop)
    expect(webhooks.deliveries(MERCHANT, { limit: 500 }).every((d) => d.state === 'delivered')).toBe(true)
    expect(new Set(receiver.requests.filter(ok).map(eventId)).size).toBe(events.length)
    expect(receiver.requests.some((r) => !ok(r))).toBe(true)
    assertSessionOrder(events, receiver.requests)
  })

  it('redelivers an event (new delivery, same event id) and sends a signed test event to one endpoint only', async () => {
    const { shop, webhooks, receiver, endpointId } = await rig()
    const other = await startHttpReceiver()
    cleanups.push(() => other.stop())
    webhooks.createEndpoint(MERCHANT, { url: other.url, secret: `${SECRET}-other` })
    cancelled(shop)
    await webhooks.runDue()
    const original = only(webhooks.deliveries(MERCHANT, { endpoint_id: endpointId }))
    const again = webhooks.redeliver(MERCHANT, original.id)
    expect(again.id).not.toBe(original.id)
    expect(again).toMatchObject({ event_id: original.event_id, endpoint_id: endpointId, state: 'pending', attempts: 0 })
    const test = webhooks.sendTest(MERCHANT, endpointId)
    expect(await webhooks.runDue()).toBe(2)
    expect(receiver.requests.map(eventId)).toEqual([original.event_id, original.event_id, test.event_id])
    const testRequest = receiver.requests[2]!
    expect(signatureHolds(testRequest, SECRET)).toBe(true)
    const body = verifyWebhook<{ id: string; object: string }>(testRequest.body, testRequest.headers, SECRET, {
      now: Math.floor(shop.clock.now() / 1000),
    })
    expect(body).toMatchObject({ type: 'webhook.test', livemode: false, data: { object: { id: endpointId, object: 'webhook_endpoint' } } })
    expect(other.requests.map((r) => r.headers['x-stablepay-event-type'])).toEqual(['payment.cancelled'])
    expect(() => webhooks.redeliver('someone-else', original.id)).toThrow(/no webhook delivery/)
    webhooks.updateEndpoint(MERCHANT, endpointId, { enabled: false })
    expect(() => webhooks.sendTest(MERCHANT, endpointId)).toThrow(/disabled/)
  })

  it('never writes the secret to a log, an error, the delivery log or the database file; never sends unsigned', async () => {
    const { shop, webhooks, receiver, endpointId } = await rig()
    const logged: string[] = []
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const spy = vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')))
      cleanups.push(() => spy.mockRestore())
    }
    // And the app's own log, every level.
    const appLog = captureLog()
    cleanups.push(() => appLog.stop())
    receiver.enqueue({ kind: 'respond', status: 500, body: 'no' }, { kind: 'respond', status: 400 })
    cancelled(shop)
    cancelled(shop)
    await webhooks.runDue()
    await receiver.down()
    cancelled(shop)
    await webhooks.runDue()
    // A sender whose secret box cannot open the sealed secret (the key file was swapped) records why, and sends nothing.
    const other = makeTempDir('stablepay-other-key')
    cleanups.push(() => other.cleanup())
    await receiver.up()
    const wrongKey = new Webhooks(shop.engine, { secretBox: new FileKeySecretBox(other.path), retry: { random: () => 0.5 } })
    cleanups.push(() => wrongKey.close())
    shop.clock.advance(HOUR)
    const before = receiver.requests.length
    await wrongKey.runDue()
    expect(receiver.requests.length).toBe(before)
    const deliveries = webhooks.deliveries(MERCHANT, { endpoint_id: endpointId })
    expect(deliveries.some((d) => d.last_error?.startsWith('not sent: a webhook secret could not be decrypted'))).toBe(true)

    const attempts = deliveries.flatMap((d) => webhooks.attempts(MERCHANT, d.id))
    logged.push(appLog.text())
    const everything = JSON.stringify([deliveries, attempts, webhooks.endpoints(MERCHANT), logged])
    expect(everything).not.toContain(SECRET)
    shop.engine.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(shop.dir, DATABASE_FILE)).includes(Buffer.from(SECRET))).toBe(false)
  })

  it('pushes webhook:delivered after each recorded attempt', async () => {
    const { shop, webhooks, receiver } = await rig()
    const pushed: WebhookDelivery[] = []
    cleanups.push(shop.engine.events.on('webhook:delivered', (d) => pushed.push(d)))
    receiver.enqueue({ kind: 'respond', status: 500 })
    cancelled(shop)
    await webhooks.runDue()
    shop.clock.advance(HOUR)
    await webhooks.runDue()
    expect(pushed.map((d) => [d.state, d.attempts, d.last_status])).toEqual([
      ['pending', 1, 500],
      ['delivered', 2, 200],
    ])
  })

  it('finds its due work in the database after a restart, with nothing but the data folder', async () => {
    const { shop, webhooks, receiver } = await rig()
    await receiver.down()
    const events = [cancelled(shop), cancelled(shop), paid(shop)]
    expect(events).toHaveLength(3)
    await webhooks.runDue()
    // "Restart": a second engine and sender on the same folder (the first is simply abandoned, as after kill -9).
    const engine = createEngine({ dataDir: shop.dir, clock: shop.clock })
    cleanups.push(() => engine.close())
    const restarted = new Webhooks(engine, { secretBox: new FileKeySecretBox(shop.dir), retry: { random: () => 0.5 } })
    cleanups.push(() => restarted.close())
    await receiver.up()
    // The first sender left backoffs in the database; the new one honours them rather than starting over.
    expect(await restarted.runDue()).toBe(0)
    shop.clock.advance(HOUR)
    await restarted.runDue()
    expect(new Set(receiver.requests.filter(ok).map(eventId)).size).toBe(4)
    for (const r of receiver.requests) expect(signatureHolds(r, SECRET)).toBe(true)
  })
})

describe('the running sender', () => {
  it('delivers within milliseconds of the commit, with no polling', async () => {
    const { shop, receiver, webhooks } = await rig()
    cleanups.push(webhooks.start())
    const latencies: number[] = []
    for (let i = 0; i < 20; i++) {
      const committed = Date.now()
      cancelled(shop)
      const [arrived] = (await receiver.waitFor((rs) => rs.length > i, 5_000)).slice(i)
      latencies.push(arrived!.receivedAt - committed)
    }
    latencies.sort((a, b) => a - b)
    expect(latencies[10]!).toBeLessThan(50)
  })

  it('retries on its own timer by the system clock, honouring the backoff', async () => {
    const dir = makeTempDir('stablepay-webhooks-timer')
    cleanups.push(() => dir.cleanup())
    const engine = createEngine({ dataDir: dir.path })
    cleanups.push(() => engine.close())
    engine.merchants.upsert({ id: MERCHANT, name: 'Corner Cafe', currency: 'USD', receive: { mode: 'address', address: SHOP_ADDRESS } })
    engine.networks.update({
      chainId: 31337,
      name: 'Local',
      testnet: true,
      rpcUrls: ['http://127.0.0.1:9'],
      confirmations: 1,
      tokens: [{ symbol: 'USDC', address: USDC6, decimals: 6 }],
    })
    const receiver = await startHttpReceiver()
    cleanups.push(() => receiver.stop())
    receiver.enqueue({ kind: 'respond', status: 500 }, { kind: 'respond', status: 503 })
    const webhooks = new Webhooks(engine, { secretBox: new FileKeySecretBox(dir.path), retry: { baseMs: 200, random: () => 0.5 } })
    webhooks.createEndpoint(MERCHANT, { url: receiver.url, secret: SECRET })
    cleanups.push(webhooks.start())
    const { session } = engine.sessions.create({ merchantId: MERCHANT, livemode: false, orderId: 'timer', amount: '3.00', currency: 'USD' })
    engine.sessions.cancel(session.id, { merchantId: MERCHANT })
    const requests = await receiver.waitFor((rs) => rs.some(ok), 10_000, 'delivered after two retries')
    expect(requests.map((r) => r.outcome)).toEqual([
      { kind: 'responded', status: 500 },
      { kind: 'responded', status: 503 },
      { kind: 'responded', status: 200 },
    ])
    // 200 ms, then 400 ms (doubled): not sooner.
    expect(requests[1]!.receivedAt - requests[0]!.receivedAt).toBeGreaterThanOrEqual(190)
    expect(requests[2]!.receivedAt - requests[1]!.receivedAt).toBeGreaterThanOrEqual(390)
  })

  it('keeps delivering promptly to a live endpoint while others hang, refuse or fail', async () => {
    const shop = openShop()
    cleanups.push(() => shop.close())
    const live = await startHttpReceiver()
    const hanging = await startHttpReceiver()
    const failing = await startHttpReceiver()
    cleanups.push(
      () => live.stop(),
      () => hanging.stop(),
      () => failing.stop(),
    )
    hanging.enqueue(...Array.from({ length: 500 }, () => ({ kind: 'hang' }) as const))
    failing.respondWith(500)
    const refusedPort = await getFreePort()
    // Two shared slots only: without the per-endpoint guarantee, the hung requests alone would fill them.
    const webhooks = new Webhooks(shop.engine, {
      secretBox: new FileKeySecretBox(shop.dir),
      concurrency: 2,
      perEndpointConcurrency: 2,
      fetchTimeoutMs: 30_000,
    })
    for (const url of [hanging.url, `http://127.0.0.1:${refusedPort}/`, failing.url, `${hanging.url}/second`, live.url])
      webhooks.createEndpoint(MERCHANT, { url, secret: SECRET })
    const stop = webhooks.start()
    cleanups.push(stop)

    const latencies: number[] = []
    for (let i = 0; i < 30; i++) {
      const committed = Date.now()
      cancelled(shop)
      const arrivals = await live.waitFor((rs) => rs.length > i, 5_000, `live endpoint receives event ${i + 1}`)
      latencies.push(arrivals[i]!.receivedAt - committed)
    }
    expect(hanging.requests.length).toBeGreaterThanOrEqual(2)
    expect(hanging.requests.every((r) => r.outcome.kind === 'hung')).toBe(true)
    expect(Math.max(...latencies)).toBeLessThan(1_000)
    // Stopping does not wait out the 30-second timeouts of the hung requests.
    const stopping = Date.now()
    await stop()
    expect(Date.now() - stopping).toBeLessThan(2_000)
    // The interrupted attempts are not recorded as failures: those deliveries are simply still pending.
    const stillPending = shop.engine.db.prepare(`SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'`).pluck().get() as number
    expect(stillPending).toBeGreaterThan(0)
  })
})

/** For each session, a later event is never sent before an earlier one was acknowledged. */
function assertSessionOrder(events: Array<{ id: string; session_id: string }>, requests: readonly RecordedRequest[]): void {
  const bySession = new Map<string, string[]>()
  for (const e of events) bySession.set(e.session_id, [...(bySession.get(e.session_id) ?? []), e.id])
  const index = (id: string, pick: 'first' | 'lastOk'): number => {
    const positions = requests.flatMap((r, i) => (eventId(r) === id && (pick === 'first' || ok(r)) ? [i] : []))
    return pick === 'first' ? positions[0]! : positions[positions.length - 1]!
  }
  for (const ids of bySession.values()) {
    for (let k = 1; k < ids.length; k++) expect(index(ids[k]!, 'first')).toBeGreaterThan(index(ids[k - 1]!, 'lastOk'))
  }
}
