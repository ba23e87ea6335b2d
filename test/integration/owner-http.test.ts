/**
 * The owner role over serve mode's HTTP bridge (#13): a device in the cashier
 * role gets 403 owner_required for an owner channel and for the owner's
 * downloads; after the PIN it gets through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { shopConfig } from '../support/shopConfig'
import type { SignedIn } from '../support/signIn'
import { downloadTicketUrl, signInDevice } from '../support/signIn'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'

const PIN = '246810'
let dir: TempDir
let app: App
let server: HttpServerHandle
let device: SignedIn

beforeAll(async () => {
  dir = makeTempDir('stablepay-owner-http')
  app = await startApp({ dataDir: dir.path, config: shopConfig({ ownerPin: PIN }) })
  server = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: dir.path })
  device = await signInDevice(server.url, server.token)
})

afterAll(async () => {
  await server.close()
  await app.stop()
  await dir.cleanup()
})

/** A download as the owner's screens start one: a one-time ticket for this device, then a plain GET. */
const download = async (path: string) => fetch(await downloadTicketUrl(server.url, device, path))
const invoke = (channel: string, input: unknown) =>
  fetch(`${server.url}/bridge/invoke/${channel}`, {
    method: 'POST',
    headers: { ...device.headers, origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  })

describe('the bridge and the owner role', () => {
  it('answers 403 owner_required to an owner channel from a cashier, and lets cashier channels through', async () => {
    const refused = await invoke('merchant:update', { name: 'Thief Cafe' })
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'owner_required' } })
    expect(app.engine.merchants.first()?.name).toBe('Corner Cafe')

    const sessions = await download('/export/sessions.csv')
    expect(sessions.status).toBe(403)
    expect((await sessions.json()) as unknown).toMatchObject({ error: { code: 'owner_required' } })
    expect((await download('/export/audit.csv')).status).toBe(403)

    const status = await invoke('owner:status', null)
    expect(status.status).toBe(200)
    expect(await status.json()).toMatchObject({ ok: true, value: { role: 'cashier', pin_set: true } })
  })

  it('after the PIN, the same call goes through; after Lock it is refused again', async () => {
    const wrong = await (await invoke('owner:unlock', { pin: '000000' })).json()
    expect(wrong).toMatchObject({ ok: false, error: { code: 'pin_wrong' } })
    expect(await (await invoke('owner:unlock', { pin: PIN })).json()).toMatchObject({ ok: true, value: { role: 'owner' } })
    const updated = await invoke('merchant:update', { name: 'Corner Cafe 2' })
    expect(updated.status).toBe(200)
    expect(await updated.json()).toMatchObject({ ok: true, value: { name: 'Corner Cafe 2' } })
    const audit = await download('/export/audit.csv?kind=merchant')
    expect(audit.status).toBe(200)
    expect(await audit.text()).toContain('Corner Cafe 2')
    await invoke('owner:lock', null)
    expect((await invoke('merchant:update', { name: 'Thief Cafe' })).status).toBe(403)
  })
})
