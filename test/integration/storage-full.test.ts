/**
 * A full disk, made with SQLite's own `PRAGMA max_page_count` on the running
 * shop's connection (a real file; mounting a small tmpfs needs privileges CI
 * does not have). Writes are answered 507 `storage_full` in the API's error
 * shape and `storage_full` on the screens' bridge; reads keep working; every
 * sale that was acknowledged is in the file afterwards.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { PaymentSession, Result } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { DATABASE_FILE } from '../../src-main/engine'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { shopConfig } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import { captureLog } from '../../src-main/engine/log'

const KEY = 'sk_test_storage_full_key_00000000000001'
const TOKEN = 'storage-full-test-token-0123456789'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface ApiError {
  error: { type: string; code: string; message: string; param: string | null }
}

async function runningShop(): Promise<{ app: App; server: HttpServerHandle; dir: string }> {
  const dir = makeTempDir('stablepay-storage-full')
  cleanups.push(() => dir.cleanup())
  const app = await startApp({ dataDir: dir.path, config: shopConfig({ keys: [KEY] }) })
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await app.stop()
  }
  cleanups.push(stop)
  const server = await startHttpServer({ app, host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: dir.path })
  cleanups.push(() => server.close())
  return { app, server, dir: dir.path }
}

let orders = 0
async function create(server: HttpServerHandle): Promise<{ status: number; json: PaymentSession & ApiError }> {
  const res = await fetch(`${server.url}/v1/payment/sessions/create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      merchant_id: 'merchant_123',
      order_id: `full-${++orders}`,
      amount: `${1 + (orders % 50)}.00`,
      currency: 'USD',
      metadata: { note: 'x'.repeat(400) },
    }),
  })
  return { status: res.status, json: (await res.json()) as PaymentSession & ApiError }
}

async function invoke<T>(server: HttpServerHandle, channel: string, input: unknown): Promise<Result<T>> {
  const res = await fetch(`${server.url}/bridge/invoke/${channel}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify(input),
  })
  return (await res.json()) as Result<T>
}

describe('a full disk', () => {
  it('answers writes 507 storage_full (API) and storage_full (screens), keeps reads working and loses nothing acknowledged', async () => {
    const { app, server, dir } = await runningShop()
    const db = app.engine.db
    // The file may grow by a few pages, then the disk is "full".
    const pages = db.pragma('page_count', { simple: true }) as number
    db.pragma(`max_page_count = ${pages + 4}`)

    // Bursts of concurrent creates (the API commits each burst together) until the disk refuses.
    const acknowledged: string[] = []
    let full: { status: number; json: ApiError } | null = null
    for (let burst = 0; burst < 100 && !full; burst++) {
      for (const reply of await Promise.all(Array.from({ length: 16 }, () => create(server)))) {
        if (reply.status === 201) acknowledged.push(reply.json.id)
        else full ??= reply
        // Each request either stored (201) or refused as a full disk; never a generic 500.
        expect([201, 507]).toContain(reply.status)
      }
    }
    expect(acknowledged.length).toBeGreaterThan(0)
    expect(full).not.toBeNull()
    expect(full!.status).toBe(507)
    expect(full!.json).toEqual({
      error: { type: 'api_error', code: 'storage_full', message: expect.stringMatching(/disk .* is full/), param: null },
    })

    // Still full: the screens' channel is refused the same way (a small sale may still fit a page's free bytes).
    let screen: Result<PaymentSession> = { ok: true } as Result<PaymentSession>
    for (let i = 0; i < 200 && screen.ok; i++) {
      screen = await invoke<PaymentSession>(server, 'sessions:create', { amount: '7.00' })
      if (screen.ok) acknowledged.push(screen.value.id)
    }
    expect(screen).toEqual({ ok: false, error: { code: 'storage_full', message: expect.stringMatching(/disk .* is full/) } })

    // Reads keep working: one sale, and the list.
    const read = await fetch(`${server.url}/v1/payment/sessions/${acknowledged[0]}`, { headers: { authorization: `Bearer ${KEY}` } })
    expect(read.status).toBe(200)
    expect(((await read.json()) as PaymentSession).id).toBe(acknowledged[0])
    const listed = await invoke<{ data: PaymentSession[] }>(server, 'sessions:list', { limit: 5 })
    expect(listed.ok).toBe(true)

    // Space again (the owner freed some): writes work again at once.
    db.pragma('max_page_count = 1073741823')
    expect((await create(server)).status).toBe(201)

    // Every acknowledged sale is in the file, read by a fresh connection after the shop stopped.
    await server.close()
    await app.stop()
    const file = new Database(join(dir, DATABASE_FILE), { readonly: true })
    try {
      const stored = new Set(file.prepare('SELECT id FROM sessions').pluck().all() as string[])
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([])
      expect(file.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      file.close()
    }
  })
})

describe('a database that turns read-only while the shop runs', () => {
  // A real read-only disk cannot be made under an open database here: the kernel refuses to remount a file
  // system read-only while files on it are open for writing (EBUSY, tried on a tmpfs as root), chmod does not
  // touch a file already open (and never stops root), and a moved or deleted file goes unnoticed in WAL mode.
  // So the shop's own connection is made read-only (`PRAGMA query_only`): SQLite then refuses writes with
  // SQLITE_READONLY, the code a read-only file gives; a disk remounted read-only under SQLite gives
  // SQLITE_IOERR_* (EROFS), classified the same way (test/unit/errorText.test.ts).
  it('answers writes 503 storage_unavailable (API) and storage_unavailable (screens), logs it once, keeps reads working', async () => {
    const { app, server } = await runningShop()
    const before = await create(server)
    expect(before.status).toBe(201)
    const logged = captureLog()
    try {
      app.engine.db.pragma('query_only = 1')
      const refused = await create(server)
      expect(refused.status).toBe(503)
      expect(refused.json).toEqual({
        error: {
          type: 'api_error',
          code: 'storage_unavailable',
          message: expect.stringMatching(/read-only or stopped answering/),
          param: null,
        },
      })
      expect((await create(server)).status).toBe(503)
      expect(await invoke<PaymentSession>(server, 'sessions:create', { amount: '7.00' })).toEqual({
        ok: false,
        error: { code: 'storage_unavailable', message: expect.stringMatching(/read-only or stopped answering/) },
      })
      // Once in the log, with SQLite's own words; never as "something went wrong".
      const lines = logged.lines.filter((l) => l.level === 'error')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatchObject({ module: 'db', msg: expect.stringMatching(/writes refused/) })
      expect(JSON.stringify(lines[0])).toContain('SQLITE_READONLY')

      const read = await fetch(`${server.url}/v1/payment/sessions/${before.json.id}`, { headers: { authorization: `Bearer ${KEY}` } })
      expect(read.status).toBe(200)
    } finally {
      logged.stop()
      app.engine.db.pragma('query_only = 0')
    }
  })
})
