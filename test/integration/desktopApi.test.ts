/**
 * The desktop app's REST API (Settings → API) through the same start/stop code
 * the Electron shell calls (src-main/http/desktopApi.ts) and the same channels
 * the Settings screen uses: off by default (nothing listens), on when turned on,
 * moved when the port changes, gone after quit. Real HTTP, real SQLite.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiServerState, PaymentSession } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { DesktopApi } from '../../src-main/http/desktopApi'
import { ManualClock } from '../../src-main/engine'
import { getFreePort } from '../support/freePort'
import { shopConfig } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'

const KEY = 'sk_test_desktop_api_corner_cafe_00000001'

let dir: TempDir
let app: App
let api: DesktopApi

afterEach(async () => {
  await api?.stop()
  await app?.stop()
  await dir?.cleanup()
})

async function startDesktop(clock?: ManualClock): Promise<void> {
  dir = makeTempDir('stablepay-desktop-api')
  api = new DesktopApi({ rendererDir: dir.path })
  app = await startApp({ dataDir: dir.path, config: shopConfig({ keys: [KEY] }), apiServer: api, clock })
  await api.start(app)
}

async function update(patch: { enabled?: boolean; port?: number; lan?: boolean }): Promise<ApiServerState> {
  const result = await app.handlers.invoke('api-server:update', patch)
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

/** What a back office does: create a payment session. Resolves with the HTTP status, or the connection error's code. */
async function createSession(port: number, orderId: string): Promise<{ status: number; body?: PaymentSession } | { refused: string }> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/v1/payment/sessions/create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ merchant_id: 'merchant_123', order_id: orderId, amount: '12.50', currency: 'USD' }),
    })
    return { status: response.status, body: (await response.json()) as PaymentSession }
  } catch (error) {
    return { refused: String(((error as Error).cause as { code?: string } | undefined)?.code) }
  }
}

describe('the desktop REST API', () => {
  it('is off by default: the settings say so and nothing listens on its port', async () => {
    await startDesktop()
    const state = await app.handlers.invoke('api-server:state', undefined)
    expect(state).toEqual({ ok: true, value: { available: true, enabled: false, port: 7420, lan: false, running: false, url: null, error: null } })
    // A port chosen but the API left off: still nothing listens there.
    const port = await getFreePort()
    expect(await update({ port })).toMatchObject({ enabled: false, running: false, port })
    expect(await createSession(port, 'order_off')).toEqual({ refused: 'ECONNREFUSED' })
  })

  it('turned on, it answers POST /v1/payment/sessions/create on 127.0.0.1 and the chosen port; turned off, nothing answers', async () => {
    await startDesktop()
    const port = await getFreePort()
    const on = await update({ enabled: true, port })
    expect(on).toMatchObject({ enabled: true, running: true, port, lan: false, url: `http://127.0.0.1:${port}`, error: null })

    const created = await createSession(port, 'order_on')
    expect(created).toMatchObject({ status: 201, body: { order_id: 'order_on', status: 'PENDING', amount: '12.50' } })

    const off = await update({ enabled: false })
    expect(off).toMatchObject({ enabled: false, running: false, url: null })
    expect(await createSession(port, 'order_after_off')).toEqual({ refused: 'ECONNREFUSED' })
  })

  it('a new port moves it; the choice is kept for the next start; quitting stops it', async () => {
    await startDesktop()
    const first = await getFreePort()
    await update({ enabled: true, port: first })
    const second = await getFreePort()
    await update({ port: second })
    expect(await createSession(first, 'order_old_port')).toEqual({ refused: 'ECONNREFUSED' })
    expect(await createSession(second, 'order_new_port')).toMatchObject({ status: 201 })

    // Quit and start again on the same data: it comes back on by itself, on the port chosen.
    await api.stop()
    await app.stop()
    expect(await createSession(second, 'order_while_quit')).toEqual({ refused: 'ECONNREFUSED' })
    api = new DesktopApi({ rendererDir: dir.path })
    app = await startApp({ dataDir: dir.path, apiServer: api })
    expect(await api.start(app)).toMatchObject({ enabled: true, running: true, port: second })
    expect(await createSession(second, 'order_after_restart')).toMatchObject({ status: 201 })
  })

  it('a port already taken leaves it off with the reason shown, and the rest of the app running', async () => {
    await startDesktop()
    const port = await getFreePort()
    const other = new DesktopApi({ rendererDir: dir.path })
    await other.start(app)
    await other.update({ enabled: true, port })
    const api2 = new DesktopApi({ rendererDir: dir.path })
    try {
      const state = await api2.start(app)
      expect(state).toMatchObject({ enabled: true, running: false, url: null })
      expect(state.error).toMatch(/EADDRINUSE/)
    } finally {
      await other.stop()
      await api2.stop()
    }
  })

  it('refuses a port it cannot keep and changes nothing', async () => {
    await startDesktop()
    const result = await app.handlers.invoke('api-server:update', { enabled: true, port: 80 })
    expect(result).toMatchObject({ ok: false, error: { code: 'parameter_invalid', message: 'port must be a whole number from 1024 to 65535' } })
    expect(api.state()).toMatchObject({ enabled: false, port: 7420, running: false })
  })

  it('serve mode says its API is always on and cannot be switched from Settings', async () => {
    dir = makeTempDir('stablepay-desktop-api')
    app = await startApp({ dataDir: dir.path, serveUrl: () => 'http://127.0.0.1:7421' })
    expect(await app.handlers.invoke('api-server:state', undefined)).toMatchObject({
      ok: true,
      value: { available: false, enabled: true, running: true, url: 'http://127.0.0.1:7421', port: 7421 },
    })
    expect(await app.handlers.invoke('api-server:update', { enabled: false })).toMatchObject({ ok: false, error: { code: 'api_server_fixed' } })
  })

  it("after a restore, the restored shop's choice rules at once: on at its port, or off", async () => {
    const clock = new ManualClock()
    await startDesktop(clock)
    const invoke = async <T>(channel: 'backups:create' | 'backups:restore', input?: { file: string }): Promise<T> => {
      const result = await app.handlers.invoke(channel, input as never)
      if (!result.ok) throw new Error(result.error.message)
      return result.value as T
    }
    const takeBackup = async () => {
      clock.advance(86_400_000) // one copy a day: each has its own name
      return (await invoke<{ last: { file: string } }>('backups:create')).last.file
    }
    const whenOff = await takeBackup()
    const port = await getFreePort()
    await update({ enabled: true, port })
    const whenOn = await takeBackup()
    await update({ enabled: false })
    expect(await createSession(port, 'order_while_off')).toEqual({ refused: 'ECONNREFUSED' })

    await invoke('backups:restore', { file: whenOn })
    // No change in Settings since: the restored database says "on, at this port", and so it is.
    expect(await app.handlers.invoke('api-server:state', undefined)).toMatchObject({ ok: true, value: { enabled: true, running: true, port } })
    expect(await createSession(port, 'order_after_restore')).toMatchObject({ status: 201, body: { order_id: 'order_after_restore' } })

    await invoke('backups:restore', { file: whenOff })
    expect(await app.handlers.invoke('api-server:state', undefined)).toMatchObject({ ok: true, value: { enabled: false, running: false } })
    // Nothing answers (a connection kept alive from the last call is cut rather than refused).
    expect(await createSession(port, 'order_after_second_restore')).toEqual({ refused: expect.stringMatching(/^(ECONNREFUSED|UND_ERR_SOCKET)$/) })
  })
})
