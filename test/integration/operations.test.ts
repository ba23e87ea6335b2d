/**
 * The till's own operations over real HTTP on a real SQLite file: logs a
 * person can find, diagnostics without secrets, backups from the owner's
 * screen, and a client that hangs up mid-request.
 */
import { connect } from 'node:net'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServeHandle } from '../../src-main/http'
import { runServe } from '../../src-main/http'
import { captureLog, logLocation } from '../../src-main/engine/log'
import { seedEngine, shopConfig } from '../support/shopConfig'
import { spawnServe, startServe } from '../support/serve'
import { createEngine, LATEST_SCHEMA } from '../../src-main/engine'
import { backupDatabase } from '../../src-main/engine/backup'
import { makeTempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SignedIn } from '../support/signIn'
import { downloadTicketUrl, signInDevice } from '../support/signIn'

const KEY = 'sk_test_operations_corner_cafe_00000001'
const WEBHOOK_SECRET = 'whsec_operations_never_in_a_zip_0000001'
const RPC_KEY = 'ALCHEMY_KEY_NEVER_IN_A_ZIP'
/** Backups and settings are the owner's: the device signs in and unlocks with it (#13). */
const OWNER_PIN = '246810'
const dir = makeTempDir('operations')
let handle: ServeHandle
let base: string
let device: SignedIn

beforeAll(async () => {
  const file = join(dir.path, 'config.json')
  const config = shopConfig({ keys: [KEY], ownerPin: OWNER_PIN })
  config.chains![0]!.rpcUrls = [`http://127.0.0.1:9/v2/${RPC_KEY}`]
  config.webhooks = [{ merchantId: config.merchants![0]!.id, url: 'http://127.0.0.1:9/hook?token=abc', secret: WEBHOOK_SECRET, events: ['*'] }]
  writeFileSync(file, JSON.stringify({ ...config, dataDir: './data' }))
  handle = await runServe({ argv: ['--config', file, '--port', '0'], rendererDir: dir.path, env: { STABLEPAY_ACCESS_TOKEN: 'operations_token_0000000001' } })
  base = `http://127.0.0.1:${handle.http.port}`
  device = await signInDevice(base, 'operations_token_0000000001', OWNER_PIN)
})
afterAll(async () => {
  await handle?.stop()
  await dir.cleanup()
})

const bridge = async (channel: string, input?: unknown) => {
  const res = await fetch(`${base}/bridge/invoke/${channel}`, {
    method: 'POST',
    headers: { ...device.headers, origin: base, 'content-type': 'application/json' },
    body: JSON.stringify(input ?? null),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several channels, checked field by field below
  return (await res.json()) as { ok: boolean; value: any; error?: { code: string; message: string } }
}

it('serve mode writes its log into the data folder, and the app says where', async () => {
  const where = logLocation()
  expect(where?.dir).toBe(join(handle.dataDir, 'logs'))
  expect((await bridge('app:info')).value.log_dir).toBe(where!.dir)
})

it('exports diagnostics with the logs and the till described, and no key, secret, token or RPC path in it', async () => {
  await fetch(`${base}/v1/payment/sessions?limit=1`, { headers: { authorization: `Bearer ${KEY}` } })
  const res = await fetch(await downloadTicketUrl(base, device, '/export/diagnostics.zip'), {
    headers: { ...device.headers, origin: base },
  })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/zip')
  const zip = unzipSync(new Uint8Array(await res.arrayBuffer()))
  expect(Object.keys(zip)).toContain('info.json')
  expect(Object.keys(zip).some((n) => /^logs\/stablepay\.\d+\.log$/.test(n))).toBe(true)
  const info = JSON.parse(strFromU8(zip['info.json']!))
  expect(info).toMatchObject({ app: { name: 'StablePay POS' }, schemaVersion: LATEST_SCHEMA, webhook_endpoints: 1, api_keys: 1 })
  expect(info.networks[0].rpc).toEqual(['http://127.0.0.1:9/…'])
  const everything = Object.values(zip).map((b) => strFromU8(b)).join('\n')
  for (const secret of [KEY, WEBHOOK_SECRET, RPC_KEY, 'operations_token_0000000001', 'token=abc']) expect(everything).not.toContain(secret)
  // Without a signed-in device's ticket there is nothing to download.
  expect((await fetch(`${base}/export/diagnostics.zip`, { headers: { cookie: device.cookie } })).status).toBe(401)
})

it('takes a backup on demand and shows it, with the daily time and second folder the owner chose', async () => {
  const usb = join(dir.path, 'usb')
  expect((await bridge('backups:update', { daily_at: '21:15', copy_to: usb })).value).toMatchObject({ daily_at: '21:15', copy_to: usb })
  expect((await bridge('backups:update', { daily_at: '25:00' })).error).toMatchObject({ code: 'parameter_invalid' })
  // A second copy is a full path outside the data folder.
  expect((await bridge('backups:update', { copy_to: 'usb/backups' })).error).toMatchObject({
    code: 'parameter_invalid',
    message: expect.stringMatching(/full folder path/),
  })
  expect((await bridge('backups:update', { copy_to: join(handle.dataDir, 'copies') })).error).toMatchObject({
    message: expect.stringMatching(/outside the data folder/),
  })
  expect((await bridge('settings:get')).value).not.toHaveProperty(['backup.copy_to'])
  const before = (await bridge('backups:state')).value
  expect(before).toMatchObject({ last: null, stale: true })
  const after = (await bridge('backups:create')).value
  expect(after.last).not.toBeNull()
  expect(after).toMatchObject({ stale: false, last_error: null, running: false })
  expect(after.backups).toHaveLength(1)
})

it('a client that hangs up mid-request is one debug line, not an error', async () => {
  const logged = captureLog()
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = connect(handle.http.port, '127.0.0.1', () => {
        socket.write(
          `POST /v1/payment/sessions/create HTTP/1.1\r\nHost: 127.0.0.1:${handle.http.port}\r\nAuthorization: Bearer ${KEY}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"order_id":',
        )
        setTimeout(() => {
          socket.destroy()
          resolve()
        }, 100)
      })
      socket.on('error', reject)
    })
    await waitFor(() => logged.lines.some((l) => l.msg === 'client went away mid-request'), { timeoutMs: 5000 })
    expect(logged.lines.filter((l) => l.level === 'error')).toEqual([])
    expect(logged.lines.find((l) => l.msg === 'client went away mid-request')).toMatchObject({ level: 'debug', module: 'http' })
  } finally {
    logged.stop()
  }
})

describe('serve --restore', () => {
  it('puts a checked backup in place before starting, keeps the replaced database, and refuses a damaged one', async () => {
    const shopDir = makeTempDir('restore-shop')
    try {
      // A shop with one sale, backed up; then a second sale after the backup.
      const shop = createEngine({ dataDir: shopDir.path })
      seedEngine(shop, shopConfig())
      shop.sessions.create({ merchantId: shop.merchants.first()!.id, livemode: false, currency: 'USD', orderId: 'before', amount: '1.00' })
      const { backup } = await backupDatabase(shop.db, { dir: join(shopDir.path, 'backups'), now: 1_800_000_000, dayOf: (s) => String(s) })
      shop.sessions.create({ merchantId: shop.merchants.first()!.id, livemode: false, currency: 'USD', orderId: 'after', amount: '2.00' })
      shop.close()

      const damaged = join(shopDir.path, 'damaged.sqlite')
      writeFileSync(damaged, 'not a database')
      const refused = spawnServe(['--data-dir', shopDir.path, '--port', '0', '--restore', damaged])
      expect((await refused.exited).code).toBe(1)
      expect(refused.stderr()).toMatch(/--restore: damaged\.sqlite is not a readable StablePay database/)

      const serve = await startServe(['--data-dir', shopDir.path, '--port', '0', '--restore', backup.file])
      try {
        expect(serve.stderr()).toMatch(/restored .*stablepay-.*\.sqlite; the database it replaced is kept as .*before-restore-/)
        const restored = await signInDevice(serve.origin, serve.token)
        const list = await fetch(`${serve.origin}/bridge/invoke/sessions:list`, {
          method: 'POST',
          headers: { ...restored.headers, origin: serve.origin, 'content-type': 'application/json' },
          body: '{}',
        })
        const page = (await list.json()) as { value: { data: Array<{ order_id: string }> } }
        expect(page.value.data.map((s) => s.order_id)).toEqual(['before'])
      } finally {
        await serve.stop()
      }
      const kept = readdirSync(join(shopDir.path, 'backups')).filter((f) => f.startsWith('before-restore-'))
      expect(kept).toHaveLength(1)
    } finally {
      await shopDir.cleanup()
    }
  })
})
