/**
 * Signed API requests (#12) over real HTTP on a real SQLite file, with the
 * client written from StablePay's reference (test/support/stablepayClient.ts):
 * signature, clock window, nonce replay (also across a restart), "signed
 * requests only", API secrets from the config file and from the screens.
 * Every refusal is checked for having changed nothing but the spent nonce.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { ManualClock } from '../../src-main/engine'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { parseConfig } from '../../src-main/engine/config'
import { dump } from '../support/dump'
import { shopConfig } from '../support/shopConfig'
import type { StablePayError } from '../support/stablepayClient'
import { signature, StablePayClient } from '../support/stablepayClient'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'

const KEY = 'sk_test_signing_corner_cafe_0000000000001'
const SECRET = 'sps_config_file_secret_0123456789abcdef0123'
const PLAIN_KEY = 'sk_test_signing_no_secret_000000000000001'
const config = shopConfig({ keys: [{ key: KEY, merchantId: 'merchant_123', secret: SECRET }, PLAIN_KEY] })

let dir: TempDir
let clock: ManualClock
let app: App
let server: HttpServerHandle
let client: StablePayClient

async function start(): Promise<void> {
  app = await startApp({ dataDir: dir.path, config, clock })
  server = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: dir.path })
  client = new StablePayClient(server.url, KEY, SECRET, () => Math.floor(clock.now() / 1000))
}
async function stop(): Promise<void> {
  await server.close()
  await app.stop()
}

beforeAll(async () => {
  dir = makeTempDir('stablepay-signing')
  clock = new ManualClock()
  await start()
})
afterAll(async () => {
  await stop()
  dir.cleanup()
})

let n = 0
const sale = () => ({ merchant_id: 'merchant_123', order_id: `signed_${++n}`, amount: '12.34', currency: 'USD' })

/** Everything but the spent nonces: a refused request changes nothing else. */
const state = () => {
  const { api_nonces: _spent, ...rest } = dump(dir.path)
  return rest
}

async function refused(send: () => Promise<{ status: number; json: unknown }>, code: string): Promise<string> {
  const before = state()
  const reply = await send()
  expect({ status: reply.status, code: (reply.json as StablePayError).error?.code }).toEqual({ status: 401, code })
  expect(state()).toEqual(before)
  return (reply.json as StablePayError).error.message
}

describe('signed requests on /v1', () => {
  it("a request signed with the config file's secret is accepted; GETs are signed over an empty body", async () => {
    const created = await client.request<{ id: string }>('POST', '/v1/payment/sessions/create', sale())
    expect(created.status).toBe(201)
    const read = await client.request<{ id: string }>('GET', `/v1/payment/sessions/${created.json.id}`)
    expect(read.status).toBe(200)
    expect(read.json.id).toBe(created.json.id)
  })

  it('refuses a wrong signature, a changed body, another secret, and a half-signed request', async () => {
    await refused(
      () => client.request('POST', '/v1/payment/sessions/create', sale(), { secret: 'sps_not_the_secret_0123456789abcdef012345' }),
      'signature_invalid',
    )
    // Signed over one body, another sent: the signature covers the bytes as sent.
    const body = sale()
    const signedFor = JSON.stringify(body)
    const tampered = await fetch(`${server.url}/v1/payment/sessions/create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, ...signedHeaders(signedFor) },
      body: JSON.stringify({ ...body, amount: '0.01' }),
    })
    expect(tampered.status).toBe(401)
    expect(((await tampered.json()) as StablePayError).error.code).toBe('signature_invalid')
    // Same body, spacing changed: different bytes, so refused too (re-serialising breaks signatures, as the reference says).
    await refused(
      () =>
        fetch(`${server.url}/v1/payment/sessions/create`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${KEY}`, ...signedHeaders(signedFor) },
          body: JSON.stringify(body, null, 2),
        }).then(async (r) => ({ status: r.status, json: await r.json() })),
      'signature_invalid',
    )
    await refused(
      () =>
        fetch(`${server.url}/v1/payment/sessions/create`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${KEY}`, 'X-StablePay-Timestamp': String(Math.floor(clock.now() / 1000)) },
          body: JSON.stringify(sale()),
        }).then(async (r) => ({ status: r.status, json: await r.json() })),
      'signature_missing',
    )
  })

  it("refuses a timestamp more than 5 minutes from the till's clock, saying so; 5 minutes is fine", async () => {
    const now = Math.floor(clock.now() / 1000)
    const message = await refused(
      () => client.request('POST', '/v1/payment/sessions/create', sale(), { timestamp: now - 301 }),
      'timestamp_out_of_range',
    )
    expect(message).toContain('301 s behind')
    await refused(() => client.request('POST', '/v1/payment/sessions/create', sale(), { timestamp: now + 400 }), 'timestamp_out_of_range')
    expect((await client.request('POST', '/v1/payment/sessions/create', sale(), { timestamp: now - 300 })).status).toBe(201)
    expect((await client.request('POST', '/v1/payment/sessions/create', sale(), { timestamp: now + 300 })).status).toBe(201)
    await refused(() => client.request('POST', '/v1/payment/sessions/create', sale(), { nonce: 'short' }), 'nonce_invalid')
  })

  it('refuses a nonce used before by the key (a replay), also after a restart, and even when the first use was refused', async () => {
    const nonce = 'nonce-replay-0000000000000001'
    const first = sale()
    expect((await client.request('POST', '/v1/payment/sessions/create', first, { nonce })).status).toBe(201)
    await refused(() => client.request('POST', '/v1/payment/sessions/create', first, { nonce }), 'nonce_reused')
    // A new body with the old nonce is a replay too.
    await refused(() => client.request('POST', '/v1/payment/sessions/create', sale(), { nonce }), 'nonce_reused')
    // Replayed GET.
    const getNonce = 'nonce-replay-get-00000000001'
    expect((await client.request('GET', '/v1/payment/sessions', undefined, { nonce: getNonce })).status).toBe(200)
    await refused(() => client.request('GET', '/v1/payment/sessions', undefined, { nonce: getNonce }), 'nonce_reused')
    // A signed request refused for its content spends its nonce: sent again later, it is not run.
    const badNonce = 'nonce-replay-bad-00000000001'
    const bad = await client.request<StablePayError>(
      'POST',
      '/v1/payment/sessions/create',
      { ...sale(), amount: 'ten' },
      { nonce: badNonce },
    )
    expect(bad.status).toBe(400)
    await refused(
      () => client.request('POST', '/v1/payment/sessions/create', { ...sale(), amount: 'ten' }, { nonce: badNonce }),
      'nonce_reused',
    )

    await stop()
    await start()
    await refused(() => client.request('POST', '/v1/payment/sessions/create', first, { nonce }), 'nonce_reused')
  })

  it('prunes nonces older than 10 minutes (by then their timestamp is out of the window anyway)', async () => {
    const count = () => (app.engine.db.prepare('SELECT count(*) AS n FROM api_nonces').get() as { n: number }).n
    expect(count()).toBeGreaterThan(0)
    clock.advance(601_000)
    expect((await client.request('GET', '/v1/payment/sessions')).status).toBe(200)
    app.engine.apiKeys.pruneNonces(Math.floor(clock.now() / 1000))
    expect(count()).toBe(1)
  })

  it('/v1 still takes unsigned requests, unless the key is "signed requests only"', async () => {
    const plain = new StablePayClient(server.url, PLAIN_KEY)
    expect((await plain.request('POST', '/v1/payment/sessions/create', sale())).status).toBe(201)
    const unsigned = new StablePayClient(server.url, KEY)
    expect((await unsigned.request('POST', '/v1/payment/sessions/create', sale())).status).toBe(201)
    const id = app.engine.apiKeys.authenticate(KEY)!.id
    await app.handlers.invoke('api-keys:set-signed-only', { id, signed_only: true }, { device: 'local' })
    await refused(() => unsigned.request('POST', '/v1/payment/sessions/create', sale()), 'signature_missing')
    await refused(() => unsigned.request('GET', '/v1/payment/sessions'), 'signature_missing')
    expect((await client.request('POST', '/v1/payment/sessions/create', sale())).status).toBe(201)
    await app.handlers.invoke('api-keys:set-signed-only', { id, signed_only: false }, { device: 'local' })
  })

  it('a key made before signing has no secret until the owner makes one; a new secret replaces the old at once', async () => {
    const plainSigned = new StablePayClient(server.url, PLAIN_KEY, SECRET, () => Math.floor(clock.now() / 1000))
    await refused(() => plainSigned.request('POST', '/v1/payment/sessions/create', sale()), 'api_secret_missing')
    const id = app.engine.apiKeys.authenticate(PLAIN_KEY)!.id
    const made = await app.handlers.invoke('api-keys:rotate-secret', { id }, { device: 'local' })
    if (!made.ok) throw new Error(made.error.message)
    expect(made.value.api_secret).toMatch(/^sps_[0-9a-f]{64}$/)
    expect(made.value).toMatchObject({ has_secret: true, signed_only: false })
    const fresh = new StablePayClient(server.url, PLAIN_KEY, made.value.api_secret, () => Math.floor(clock.now() / 1000))
    expect((await fresh.request('POST', '/v1/payment/sessions/create', sale())).status).toBe(201)
    const again = await app.handlers.invoke('api-keys:rotate-secret', { id }, { device: 'local' })
    if (!again.ok) throw new Error(again.error.message)
    await refused(() => fresh.request('POST', '/v1/payment/sessions/create', sale()), 'signature_invalid')
    // Stored sealed: the database holds neither secret.
    const rows = JSON.stringify(dump(dir.path).api_keys)
    expect(rows).not.toContain(again.value.api_secret)
    expect(rows).not.toContain(SECRET)
  })

  it('a new key comes with its API secret, shown once', async () => {
    const made = await app.handlers.invoke('api-keys:create', { livemode: false }, { device: 'local' })
    if (!made.ok) throw new Error(made.error.message)
    expect(made.value).toMatchObject({ has_secret: true })
    const listed = await app.handlers.invoke('api-keys:list', undefined, { device: 'local' })
    expect(JSON.stringify(listed)).not.toContain(made.value.api_secret)
    const fresh = new StablePayClient(server.url, made.value.secret, made.value.api_secret, () => Math.floor(clock.now() / 1000))
    expect((await fresh.request('GET', '/v1/payment/sessions')).status).toBe(200)
  })

  it("the config file's secret must be 32+ characters", async () => {
    const short = JSON.stringify(shopConfig({ keys: [{ key: KEY, merchantId: 'merchant_123', secret: 'too-short-secret' }] }))
    const dir2 = makeTempDir('stablepay-signing-config')
    try {
      const loaded = parseConfig(short, 'config.json')
      await expect(startApp({ dataDir: dir2.path, config: loaded.config })).rejects.toThrow(/32-200 printable/)
    } finally {
      dir2.cleanup()
    }
  })
})

function signedHeaders(body: string, secret = SECRET): Record<string, string> {
  const timestamp = Math.floor(clock.now() / 1000)
  const nonce = randomUUID()
  return {
    'X-StablePay-Timestamp': String(timestamp),
    'X-StablePay-Nonce': nonce,
    'X-StablePay-Signature': signature(secret, timestamp, nonce, body),
  }
}
