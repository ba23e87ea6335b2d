/**
 * Restore from the owner's screen while the till runs (serve mode, real HTTP,
 * real SQLite files, a real anvil): the API and the bridge answer from the
 * restored database, an open event stream hears the restored shop, the
 * watcher completes a sale paid after the restore, and the sales the restore
 * took away are all in the safety copy it kept. The device signed in before
 * the restore stays signed in after it (its session is in both databases):
 * the server must read the restored engine's devices, not the closed ones.
 */
import Database from 'better-sqlite3'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Address } from 'viem'
import type { PaymentSession } from '../../src-preload/contract'
import type { ServeHandle } from '../../src-main/http'
import { runServe } from '../../src-main/http'
import { sendStablecoin } from '../../src-main/devnet'
import { startDevnet } from '../support/anvil'
import type { Devnet } from '../support/anvil'
import { shopConfig } from '../support/shopConfig'
import type { SignedIn } from '../support/signIn'
import { downloadTicketUrl, signInDevice } from '../support/signIn'
import { makeTempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'

const KEY = 'sk_test_restore_corner_cafe_000000000001'
const TOKEN = 'restore_token_00000000000001'
/** Backups are the owner's: the device signs in and unlocks with it (#13). */
const OWNER_PIN = '246810'
const dir = makeTempDir('restore-running')
let devnet: Devnet
let handle: ServeHandle
let base: string
let device: SignedIn
const cleanups: Array<() => Promise<void>> = []

beforeAll(async () => {
  devnet = await startDevnet()
  cleanups.push(() => devnet.stop())
  const file = join(dir.path, 'config.json')
  const config = shopConfig({
    keys: [KEY],
    ownerPin: OWNER_PIN,
    chain: { rpcUrls: [devnet.rpcUrl], confirmations: 1, tokens: [{ symbol: 'USDC', address: devnet.usdc, decimals: 6 }] },
  })
  writeFileSync(file, JSON.stringify({ ...config, dataDir: './data' }))
  handle = await runServe({ argv: ['--config', file, '--port', '0'], rendererDir: dir.path, env: { STABLEPAY_ACCESS_TOKEN: TOKEN } })
  cleanups.push(() => handle.stop())
  base = `http://127.0.0.1:${handle.http.port}`
  // Signed in once, before anything: the same device calls the bridge before and after the restore.
  device = await signInDevice(base, TOKEN, OWNER_PIN)
}, 120_000)

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  await dir.cleanup()
})

const api = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
  const res = await fetch(`${base}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as PaymentSession & { error?: { code: string } } }
}
const createSale = async (orderId: string, amount: string) => {
  const res = await api('POST', '/payment/sessions/create', { merchant_id: 'merchant_123', order_id: orderId, amount, currency: 'USD' })
  expect(res.status).toBe(201)
  return res.body
}
const bridge = async (channel: string, input?: unknown) => {
  const res = await fetch(`${base}/bridge/invoke/${channel}`, {
    method: 'POST',
    headers: { ...device.headers, origin: base, 'content-type': 'application/json' },
    body: JSON.stringify(input ?? null),
  })
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of several channels, checked field by field below
  return (await res.json()) as { ok: boolean; value: any; error?: { code: string; message: string } }
}

/** An open event stream, as the screens hold one: every frame it has heard so far. */
async function openStream(): Promise<{ frames: Array<{ event: string; data: string }>; close(): void }> {
  const controller = new AbortController()
  const res = await fetch(`${base}/bridge/events`, { headers: device.headers, signal: controller.signal })
  expect(res.status).toBe(200)
  const frames: Array<{ event: string; data: string }> = []
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        buffer += value
        let end: number
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: (.*)$/m.exec(frame)?.[1]
          const data = /^data: (.*)$/m.exec(frame)?.[1]
          if (event && data) frames.push({ event, data })
        }
      }
    } catch {
      // aborted by close()
    }
  })()
  return { frames, close: () => controller.abort() }
}

it('restores a listed copy while running: API, bridge, event stream and watcher go on with the restored data; the safety copy has the rest', async () => {
  const kept = await createSale('kept-1', '4.00')
  const backup = await bridge('backups:create')
  expect(backup.ok).toBe(true)
  const file: string = backup.value.last.file
  const lost = await createSale('after-backup-1', '5.00')

  // Only a copy the screen lists can be named, and a damaged one is refused without stopping anything.
  expect((await bridge('backups:restore', { file: join(dir.path, 'config.json') })).error).toMatchObject({ code: 'backup_not_found' })

  const stream = await openStream()
  cleanups.push(async () => stream.close())

  const restored = await bridge('backups:restore', { file })
  expect(restored.error).toBeUndefined()
  const saved: string = restored.value.saved
  expect(saved).toMatch(/before-restore-\d{8}T\d{6}Z\.sqlite$/)
  expect(existsSync(saved)).toBe(true)

  // The REST API (same server, same port) answers from the restored database.
  expect((await api('GET', `/payment/sessions/${kept.id}`)).status).toBe(200)
  expect((await api('GET', `/payment/sessions/${lost.id}`)).body.error).toMatchObject({ code: 'resource_missing' })
  // So does the bridge, for the device signed in before the restore (the backup was made after it signed in).
  expect((await bridge('sessions:get', { id: kept.id })).value).toMatchObject({ id: kept.id, order_id: 'kept-1' })
  expect((await bridge('sessions:get', { id: lost.id })).error).toMatchObject({ code: 'resource_missing' })
  // And its downloads: the one-time ticket is judged against the restored database too. The restored engine
  // starts everyone as cashier, as any start does: the owner enters the PIN again (the backup's PIN).
  expect((await bridge('owner:unlock', { pin: OWNER_PIN })).ok).toBe(true)
  const csv = await fetch(await downloadTicketUrl(base, device, '/export/sessions.csv'))
  expect(csv.status).toBe(200)
  const rows = await csv.text()
  expect(rows).toContain('kept-1')
  expect(rows).not.toContain('after-backup-1')

  // The stream that was open hears that the shop was restored (the screens refetch), then the restored shop's changes.
  await waitFor(() => stream.frames.some((f) => f.event === 'shop:restored'), {
    timeoutMs: 5000,
    label: 'shop:restored on the open stream',
  })
  const sale = await createSale('after-restore-1', '6.00')
  const option = sale.payment_options[0]!
  await sendStablecoin(devnet.rpcUrl, {
    token: option.token_address as Address,
    from: devnet.accounts[1]!,
    to: option.address as Address,
    amount: BigInt(option.amount_base_units),
  })
  // The watcher, started again on the restored database, completes it.
  await waitFor(async () => (await api('GET', `/payment/sessions/${sale.id}`)).body.status === 'COMPLETED', {
    timeoutMs: 30_000,
    label: 'the sale paid after the restore COMPLETED',
  })
  await waitFor(
    () =>
      stream.frames.some(
        (f) => f.event === 'session:updated' && (JSON.parse(f.data) as PaymentSession).id === sale.id && f.data.includes('"COMPLETED"'),
      ),
    { timeoutMs: 5000, label: 'session:updated COMPLETED on the open stream' },
  )

  // Nothing the restore took away is lost: the safety copy holds both sales.
  const copy = new Database(saved, { readonly: true, fileMustExist: true })
  try {
    const ids = copy.prepare('SELECT id FROM sessions ORDER BY seq').pluck().all()
    expect(ids).toEqual([kept.id, lost.id])
  } finally {
    copy.close()
  }
}, 90_000)
