import { createHmac } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE, openDatabase, schemaVersion } from '../../src-main/engine'
import { applyConfig, ConfigError } from '../../src-main/engine/config'
import { MIGRATIONS } from '../../src-main/engine/db/migrations'
import { HandlerRegistry } from '../../src-main/engine/handlers'
import {
  classify,
  DEFAULT_RETRY_POLICY,
  FileKeySecretBox,
  registerWebhookHandlers,
  retryAfterMs,
  retryBackoffMs,
  SECRET_KEY_FILE,
  SecretBoxError,
  verifyWebhook,
  WebhookVerificationError,
  Webhooks,
} from '../../src-main/engine/webhooks'
import { makeTempDir } from '../support/tempDir'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

let shop: Shop | undefined
afterEach(() => {
  shop?.close()
  shop = undefined
})

const MERCHANT = 'merchant_123'
const SECRET = 'whsec_unit_test_secret_0123456789'

function openWebhooks(): { shop: Shop; webhooks: Webhooks } {
  shop = openShop()
  const webhooks = new Webhooks(shop.engine, { secretBox: new FileKeySecretBox(shop.dir) })
  return { shop, webhooks }
}

function cancelledSession(s: Shop, orderId: string): string {
  const { session } = s.engine.sessions.create({ merchantId: MERCHANT, livemode: false, orderId, amount: '5.00', currency: 'USD' })
  s.engine.sessions.cancel(session.id, { merchantId: MERCHANT })
  return session.id
}

describe('webhooks schema', () => {
  it('a fresh database has the webhook tables and the fan-out trigger', () => {
    const dir = makeTempDir('webhooks-migration')
    try {
      const db = openDatabase(join(dir.path, DATABASE_FILE))
      expect(schemaVersion(db)).toBe(MIGRATIONS.length)
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE 'webhook%' ORDER BY name`)
        .pluck()
        .all()
      expect(tables).toEqual(['webhook_attempts', 'webhook_deliveries', 'webhook_endpoints', 'webhook_fan_out'])
      db.close()
    } finally {
      dir.cleanupSync()
    }
  })

  it('fans an event out, in its own transaction, to each enabled endpoint whose filter matches', () => {
    const { shop: s, webhooks } = openWebhooks()
    const all = webhooks.createEndpoint(MERCHANT, { url: 'http://127.0.0.1:1/all' })
    const cancelledOnly = webhooks.createEndpoint(MERCHANT, { url: 'http://127.0.0.1:1/c', events: ['payment.cancelled'] })
    const completedOnly = webhooks.createEndpoint(MERCHANT, { url: 'http://127.0.0.1:1/p', events: ['payment.completed'] })
    const disabled = webhooks.createEndpoint(MERCHANT, { url: 'http://127.0.0.1:1/off', enabled: false })
    const sessionId = cancelledSession(s, 'fan-out')
    const deliveries = webhooks.deliveries(MERCHANT, { session_id: sessionId })
    expect(deliveries.map((d) => d.endpoint_id).sort()).toEqual([all.id, cancelledOnly.id].sort())
    expect(deliveries.every((d) => d.event_type === 'payment.cancelled' && d.state === 'pending' && d.attempts === 0)).toBe(true)
    expect(deliveries.map((d) => d.endpoint_id)).not.toContain(completedOnly.id)
    expect(deliveries.map((d) => d.endpoint_id)).not.toContain(disabled.id)

    // A status change that rolls back leaves neither an event nor a delivery.
    const { session } = s.engine.sessions.create({
      merchantId: MERCHANT,
      livemode: false,
      orderId: 'rolled-back',
      amount: '6.00',
      currency: 'USD',
    })
    const before = s.engine.db.prepare('SELECT count(*) FROM webhook_deliveries').pluck().get()
    expect(() =>
      s.engine.sessions.transaction(() => {
        s.engine.sessions.transition(s.engine.sessions.rowById(session.id)!.seq, 'CANCELLED', 'test')
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(s.engine.db.prepare('SELECT count(*) FROM webhook_deliveries').pluck().get()).toBe(before)
  })

  it('does not fan out to another merchant', () => {
    const { shop: s, webhooks } = openWebhooks()
    s.engine.merchants.upsert({
      id: 'other',
      name: 'Other',
      currency: 'USD',
      receive: { mode: 'address', address: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
    })
    webhooks.createEndpoint('other', { url: 'http://127.0.0.1:1/other' })
    cancelledSession(s, 'mine')
    expect(webhooks.deliveries('other')).toEqual([])
  })
})

describe('retry policy', () => {
  it('retries network errors, timeouts, 408, 429 and 5xx; other statuses are final', () => {
    expect(classify(null)).toBe('unreachable')
    expect(classify(200)).toBe('delivered')
    expect(classify(204)).toBe('delivered')
    for (const s of [429, 502, 503, 504]) expect(classify(s)).toBe('unreachable')
    for (const s of [408, 500, 501, 599]) expect(classify(s)).toBe('retry')
    for (const s of [301, 400, 401, 404, 410, 422]) expect(classify(s)).toBe('final')
  })

  it('backs off exponentially with ±25 % jitter, never above one hour', () => {
    const at = (r: number) => ({ ...DEFAULT_RETRY_POLICY, random: () => r })
    expect(retryBackoffMs(1, at(0.5))).toBe(5_000)
    expect(retryBackoffMs(2, at(0.5))).toBe(10_000)
    expect(retryBackoffMs(3, at(0))).toBe(15_000)
    expect(retryBackoffMs(3, at(0.999999))).toBeLessThanOrEqual(25_000)
    for (let n = 1; n < 200; n++) expect(retryBackoffMs(n, at(0.999999))).toBeLessThanOrEqual(3_600_000)
    expect(retryBackoffMs(20, at(0))).toBe(2_700_000)
  })

  it('reads Retry-After as seconds or an HTTP date, at least 1 s, clamped to a day', () => {
    const now = Date.UTC(2026, 10, 26, 12, 0, 0)
    expect(retryAfterMs(undefined, now, DEFAULT_RETRY_POLICY)).toBeNull()
    expect(retryAfterMs('garbage', now, DEFAULT_RETRY_POLICY)).toBeNull()
    expect(retryAfterMs('120', now, DEFAULT_RETRY_POLICY)).toBe(120_000)
    expect(retryAfterMs('0', now, DEFAULT_RETRY_POLICY)).toBe(1_000)
    expect(retryAfterMs(new Date(now + 90_000).toUTCString(), now, DEFAULT_RETRY_POLICY)).toBe(90_000)
    expect(retryAfterMs('99999999', now, DEFAULT_RETRY_POLICY)).toBe(86_400_000)
    // A date already past waits the floor too, not zero.
    expect(retryAfterMs(new Date(now - 90_000).toUTCString(), now, DEFAULT_RETRY_POLICY)).toBe(1_000)
  })
})

describe('FileKeySecretBox', () => {
  it('seals with AES-256-GCM under a 0600 key file, and a second box on the same folder opens it', () => {
    const dir = makeTempDir('secret-box')
    try {
      const box = new FileKeySecretBox(dir.path)
      const sealed = box.seal(SECRET)
      expect(sealed).toMatch(/^fk1:/)
      expect(sealed).not.toContain(SECRET)
      expect(box.seal(SECRET)).not.toBe(sealed)
      expect(new FileKeySecretBox(dir.path).open(sealed)).toBe(SECRET)
      if (process.platform !== 'win32') expect(statSync(join(dir.path, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600)
    } finally {
      dir.cleanupSync()
    }
  })

  it('refuses a tampered value or a different key without echoing anything sealed', () => {
    const a = makeTempDir('secret-box-a')
    const b = makeTempDir('secret-box-b')
    try {
      const sealed = new FileKeySecretBox(a.path).seal(SECRET)
      const other = new FileKeySecretBox(b.path)
      expect(() => other.open(sealed)).toThrow(SecretBoxError)
      try {
        other.open(sealed)
      } catch (error) {
        expect((error as Error).message).not.toContain(sealed.slice(4, 20))
      }
      const raw = Buffer.from(sealed.slice(4), 'base64')
      raw[raw.length - 1]! ^= 1
      expect(() => new FileKeySecretBox(a.path).open(`fk1:${raw.toString('base64')}`)).toThrow(SecretBoxError)
      expect(() => other.open('plain-text')).toThrow(SecretBoxError)
    } finally {
      a.cleanupSync()
      b.cleanupSync()
    }
  })
})

describe('verifyWebhook', () => {
  const now = 1_790_000_000
  const body = JSON.stringify({ id: 'evt_1', type: 'payment.completed', created: now, livemode: false, data: { object: { id: 'ps_1' } } })
  const nonce = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
  const sign = (ts: number, n: string, b: string, secret = SECRET) => createHmac('sha256', secret).update(`${ts}.${n}.${b}`).digest('hex')
  const headers = (over: Record<string, string | undefined> = {}) => ({
    'x-stablepay-signature': sign(now, nonce, body),
    'x-stablepay-timestamp': String(now),
    'x-stablepay-nonce': nonce,
    'x-stablepay-event-id': 'evt_1',
    'x-stablepay-event-type': 'payment.completed',
    ...over,
  })
  const reason = (fn: () => unknown): string => {
    try {
      fn()
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookVerificationError)
      return (error as WebhookVerificationError).reason
    }
    throw new Error('expected a WebhookVerificationError')
  }

  it('returns the parsed event for a good signature, from a string, bytes, plain headers or Fetch Headers', () => {
    expect(verifyWebhook(body, headers(), SECRET, { now }).id).toBe('evt_1')
    expect(verifyWebhook(Buffer.from(body), headers(), SECRET, { now }).type).toBe('payment.completed')
    expect(verifyWebhook(new TextEncoder().encode(body), new Headers(headers() as Record<string, string>), SECRET, { now }).created).toBe(
      now,
    )
    const mixedCase = Object.fromEntries(Object.entries(headers()).map(([k, v]) => [k.toUpperCase(), v]))
    expect(verifyWebhook(body, mixedCase, SECRET, { now }).id).toBe('evt_1')
  })

  it('says why it refuses', () => {
    expect(reason(() => verifyWebhook(body, headers(), 'whsec_a_different_secret_000', { now }))).toBe('signature_mismatch')
    expect(reason(() => verifyWebhook(`${body} `, headers(), SECRET, { now }))).toBe('signature_mismatch')
    expect(reason(() => verifyWebhook(body, headers({ 'x-stablepay-signature': undefined }), SECRET, { now }))).toBe('missing_header')
    expect(reason(() => verifyWebhook(body, headers({ 'x-stablepay-signature': 'zz' }), SECRET, { now }))).toBe('invalid_signature_format')
    expect(reason(() => verifyWebhook(body, headers(), SECRET, { now: now + 301 }))).toBe('timestamp_outside_tolerance')
    expect(reason(() => verifyWebhook(body, headers(), SECRET, { now: now - 301 }))).toBe('timestamp_outside_tolerance')
    expect(verifyWebhook(body, headers(), SECRET, { now: now + 301, toleranceSeconds: 600 }).id).toBe('evt_1')
    expect(reason(() => verifyWebhook(body, headers({ 'x-stablepay-timestamp': '12.5' }), SECRET, { now }))).toBe('invalid_timestamp')
    const shortNonce = 'abc'
    expect(
      reason(() =>
        verifyWebhook(body, headers({ 'x-stablepay-nonce': shortNonce, 'x-stablepay-signature': sign(now, shortNonce, body) }), SECRET, {
          now,
        }),
      ),
    ).toBe('invalid_nonce')
    const longNonce = 'n'.repeat(65)
    expect(
      reason(() =>
        verifyWebhook(body, headers({ 'x-stablepay-nonce': longNonce, 'x-stablepay-signature': sign(now, longNonce, body) }), SECRET, {
          now,
        }),
      ),
    ).toBe('invalid_nonce')
    expect(reason(() => verifyWebhook(body, headers({ 'x-stablepay-event-id': 'evt_other' }), SECRET, { now }))).toBe(
      'header_body_mismatch',
    )
    expect(reason(() => verifyWebhook(body, { ...headers(), 'x-stablepay-nonce': [nonce, nonce] }, SECRET, { now }))).toBe(
      'duplicate_header',
    )
    const notJson = 'not json'
    expect(reason(() => verifyWebhook(notJson, headers({ 'x-stablepay-signature': sign(now, nonce, notJson) }), SECRET, { now }))).toBe(
      'invalid_body',
    )
  })

  it('depends on node:crypto only, so it can be copied out', () => {
    const source = readFileSync(join(__dirname, '../../src-main/engine/webhooks/verify.ts'), 'utf8')
    const imports = [...source.matchAll(/^import .* from '([^']+)'/gm)].map((m) => m[1])
    expect(imports).toEqual(['node:crypto'])
  })
})

describe('endpoints', () => {
  it('generates a secret when none is given, returns it once, and stores it only sealed', () => {
    const { shop: s, webhooks } = openWebhooks()
    const created = webhooks.createEndpoint(MERCHANT, { url: 'https://erp.example/hooks' })
    expect(created.secret).toMatch(/^whsec_[0-9A-Za-z]{40}$/)
    expect(created.events).toEqual(['*'])
    expect(created.enabled).toBe(true)
    const listed = webhooks.endpoints(MERCHANT)
    expect(listed).toEqual([
      {
        id: created.id,
        merchant_id: MERCHANT,
        url: 'https://erp.example/hooks',
        events: ['*'],
        enabled: true,
        created_at: created.created_at,
      },
    ])
    expect(JSON.stringify(listed)).not.toContain(created.secret)
    s.engine.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(s.dir, DATABASE_FILE)).includes(Buffer.from(created.secret))).toBe(false)
  })

  it('validates url, events and secret without echoing the secret', () => {
    const { webhooks } = openWebhooks()
    expect(() => webhooks.createEndpoint(MERCHANT, { url: 'ftp://x' })).toThrow(/http/)
    expect(() => webhooks.createEndpoint(MERCHANT, { url: 'http://x', events: [] })).toThrow(/events/)
    expect(() => webhooks.createEndpoint(MERCHANT, { url: 'http://x', events: ['payment.done'] })).toThrow(/unknown event type/)
    const weak = 'short secret'
    expect(() => webhooks.createEndpoint(MERCHANT, { url: 'http://x', secret: weak })).toThrow(/secret must be/)
    try {
      webhooks.createEndpoint(MERCHANT, { url: 'http://x', secret: weak })
    } catch (error) {
      expect((error as Error).message).not.toContain(weak)
    }
    expect(() => webhooks.createEndpoint('nobody', { url: 'http://x' })).toThrow()
    const e = webhooks.createEndpoint(MERCHANT, { url: 'http://x', events: ['payment.failed', 'payment.completed', 'payment.completed'] })
    expect(e.events).toEqual(['payment.completed', 'payment.failed'])
    const updated = webhooks.updateEndpoint(MERCHANT, e.id, { enabled: false, events: ['*'] })
    expect(updated).toMatchObject({ enabled: false, events: ['*'] })
    expect(() => webhooks.updateEndpoint('other', e.id, { enabled: true })).toThrow(/no webhook endpoint/)
  })

  it('applies config endpoints idempotently, keyed by (merchant, url), inside applyConfig', () => {
    const { shop: s, webhooks } = openWebhooks()
    const hooks = { webhooks: (list: Parameters<Webhooks['applyConfig']>[0]) => webhooks.applyConfig(list) }
    const config = { webhooks: [{ merchantId: MERCHANT, url: 'http://127.0.0.1:9/erp', secret: SECRET, events: ['payment.completed'] }] }
    applyConfig(s.engine, config, hooks)
    const snapshot = () => s.engine.db.prepare('SELECT * FROM webhook_endpoints ORDER BY seq').all()
    const first = snapshot()
    s.clock.advance(60_000)
    applyConfig(s.engine, config, hooks)
    expect(snapshot()).toEqual(first)
    expect(webhooks.store.open(webhooks.store.rows(MERCHANT)[0]!)).toBe(SECRET)

    // The file rules what it names: a changed secret and filter are applied to the same endpoint.
    applyConfig(
      s.engine,
      { webhooks: [{ merchantId: MERCHANT, url: 'http://127.0.0.1:9/erp', secret: `${SECRET}-2`, enabled: false }] },
      hooks,
    )
    const rows = webhooks.store.rows(MERCHANT)
    expect(rows).toHaveLength(1)
    expect(webhooks.store.open(rows[0]!)).toBe(`${SECRET}-2`)
    expect(webhooks.endpoints(MERCHANT)[0]).toMatchObject({ events: ['*'], enabled: false })

    // A new endpoint without its secret is refused, and nothing in that file is written.
    const bad = { settings: { language: 'zh-CN' as const }, webhooks: [{ merchantId: MERCHANT, url: 'http://127.0.0.1:9/new' }] }
    expect(() => applyConfig(s.engine, bad, hooks)).toThrow(ConfigError)
    expect(() => applyConfig(s.engine, bad, hooks)).toThrow(/webhooks\[0\]\.secret/)
    expect(s.engine.settings.get().language).toBe('en')
    expect(webhooks.store.rows(MERCHANT)).toHaveLength(1)
  })
})

describe('handlers', () => {
  it('registers every webhooks:* channel of the contract, scoped to the UI merchant', async () => {
    const { shop: s, webhooks } = openWebhooks()
    const registry = new HandlerRegistry()
    registerWebhookHandlers(registry, s.engine, webhooks)
    expect(registry.missing().filter((c) => c.startsWith('webhooks:'))).toEqual([])
    const created = await registry.invoke('webhooks:create-endpoint', { url: 'http://127.0.0.1:9/h' })
    expect(created.ok).toBe(true)
    if (!created.ok) return
    expect(created.value.secret).toMatch(/^whsec_/)
    const list = await registry.invoke('webhooks:endpoints', undefined)
    expect(list.ok && list.value.map((e) => e.id)).toEqual([created.value.id])
    const sessionId = cancelledSession(s, 'h-1')
    const deliveries = await registry.invoke('webhooks:deliveries', { session_id: sessionId })
    expect(deliveries.ok && deliveries.value).toHaveLength(1)
    const bad = await registry.invoke('webhooks:update-endpoint', { id: 'we_nope', enabled: false })
    expect(bad).toEqual({ ok: false, error: { code: 'resource_missing', message: 'no webhook endpoint "we_nope"', param: 'id' } })
    const noInput = await registry.invoke('webhooks:attempts', null as never)
    expect(noInput.ok).toBe(false)
    const test = await registry.invoke('webhooks:send-test', { endpoint_id: created.value.id })
    expect(test.ok && test.value).toMatchObject({ event_type: 'webhook.test', state: 'pending', session_id: null })
  })
})
