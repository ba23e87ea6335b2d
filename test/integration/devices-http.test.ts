/**
 * Devices and tills over real HTTP (#13): each browser signs in as its own
 * device (a session cookie AND a header token the page holds), a cookie
 * replayed alone is refused, a revoked device is cut off at once (its open
 * event stream too), pairing codes are single use and expire, sessions live
 * in SQLite across a restart, and each till's customer display sees only its
 * own till's sale.
 */
import type { IncomingMessage } from 'node:http'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DeviceInfo, PairingCode, PaymentSession, Result, SessionPage, ThisDevice, Till } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { ManualClock } from '../../src-main/engine'
import { networkInterfaces } from 'node:os'
import type { HttpServerHandle, ServeHandle } from '../../src-main/http'
import { listeningLine, startHttpServer } from '../../src-main/http'
import { lanOrigins } from '../../src-main/http/server'
import { shopConfig } from '../support/shopConfig'
import type { TempDir } from '../support/tempDir'
import { makeTempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'

const KEY = 'sk_test_devices_test_key_00000000000001'
const PIN = '246810'
let dir: TempDir
let clock: ManualClock
let app: App
let server: HttpServerHandle

async function start(port = 0): Promise<void> {
  app = await startApp({ dataDir: join(dir.path, 'data'), config: shopConfig({ keys: [KEY], ownerPin: PIN }), clock })
  server = await startHttpServer({ app, port, rendererDir: join(dir.path, 'renderer'), heartbeatMs: 60_000 })
}
async function stop(): Promise<void> {
  await server.close()
  await app.stop()
}

beforeEach(async () => {
  dir = makeTempDir('stablepay-devices')
  clock = new ManualClock(Date.now())
  await start()
})

afterEach(async () => {
  await stop()
  dir.cleanup()
})

interface Raw {
  status: number
  headers: IncomingMessage['headers']
  text: string
}

function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A signed-in browser as the server sees it: its cookie and the header token its page holds. */
interface Browser {
  cookie: string
  session: string
  device: DeviceInfo
}

const json = { 'content-type': 'application/json' }

async function signIn(body: { token?: string; pair?: string }): Promise<Browser> {
  const res = await raw('POST', '/bridge/sign-in', json, JSON.stringify(body))
  expect(res.status, res.text).toBe(200)
  const result = JSON.parse(res.text) as Result<{ device: DeviceInfo; session: string }>
  if (!result.ok) throw new Error(result.error.message)
  const setCookie = res.headers['set-cookie']?.[0] ?? ''
  expect(setCookie).toMatch(new RegExp(`^stablepay_pos_${server.port}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=\\d+$`))
  // Nothing the browser keeps is derived from the master token.
  expect(setCookie).not.toContain(server.token)
  return { cookie: setCookie.split(';')[0]!, session: result.value.session, device: result.value.device }
}

const auth = (b: Browser) => ({ cookie: b.cookie, 'x-stablepay-session': b.session })

async function call<T>(
  b: Partial<Record<'cookie' | 'x-stablepay-session', string>>,
  channel: string,
  input: unknown = null,
): Promise<{ status: number; result: Result<T> }> {
  const res = await raw('POST', `/bridge/invoke/${channel}`, { ...json, ...b }, JSON.stringify(input))
  return { status: res.status, result: JSON.parse(res.text) as Result<T> }
}

async function value<T>(b: Browser, channel: string, input: unknown = null): Promise<T> {
  const { status, result } = await call<T>(auth(b), channel, input)
  if (!result.ok) throw new Error(`${channel}: ${status} ${result.error.code} ${result.error.message}`)
  return result.value
}

/** A device signed in with the printed token whose owner entered the PIN on it (Owner → Devices, tills, pairing). */
async function signInOwner(): Promise<Browser> {
  const owner = await signIn({ token: server.token })
  await value(owner, 'owner:unlock', { pin: PIN })
  return owner
}

/** An open event stream, as the page reads it: every frame so far, and whether the server ended it. */
function openStream(
  headers: Record<string, string>,
): Promise<{ status: number; frames: () => string; ended: () => boolean; close: () => void }> {
  return new Promise((resolve, reject) => {
    let text = ''
    let ended = false
    const req = request({ host: '127.0.0.1', port: server.port, path: '/bridge/events', headers }, (res) => {
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => (ended = true))
      res.on('close', () => (ended = true))
      resolve({ status: res.statusCode ?? 0, frames: () => text, ended: () => ended, close: () => req.destroy() })
    })
    req.on('error', reject)
    req.end()
  })
}

const sessionEvents = (frames: string): PaymentSession[] =>
  frames
    .split('\n\n')
    .filter((f) => f.startsWith('event: session:updated'))
    .map((f) => JSON.parse(f.slice(f.indexOf('data: ') + 6)) as PaymentSession)

describe('signing in', () => {
  it('the master token signs in a device; a cookie replayed without the header token gets 401', async () => {
    const till = await signIn({ token: server.token })
    expect(till.device).toMatchObject({ till: 'till_1', till_name: 'Till 1', role_hint: 'cashier', revoked_at: null })
    expect((await call(auth(till), 'app:info')).status).toBe(200)

    // What a page on another port of this host gets: the cookie, never the header token.
    const replayed = await call({ cookie: till.cookie }, 'merchant:update', { name: 'Mallory' })
    expect(replayed.status).toBe(401)
    expect(replayed.result).toMatchObject({ ok: false, error: { code: 'session_invalid' } })
    expect((await openStream({ cookie: till.cookie })).status).toBe(401)
    // The header alone, or the header with another device's cookie, is no better.
    expect((await call({ 'x-stablepay-session': till.session }, 'app:info')).status).toBe(401)
    const other = await signIn({ token: server.token })
    expect((await call({ cookie: other.cookie, 'x-stablepay-session': till.session }, 'app:info')).status).toBe(401)
    // The master token itself is no bridge credential, and a wrong one signs nobody in.
    expect((await call({ authorization: `Bearer ${server.token}` } as never, 'app:info')).status).toBe(401)
    const wrong = await raw('POST', '/bridge/sign-in', json, JSON.stringify({ token: 'x'.repeat(48) }))
    expect(wrong.status).toBe(401)
    expect(wrong.headers['set-cookie']).toBeUndefined()
    expect((await value<ThisDevice>(till, 'devices:me')).device.id).toBe(till.device.id)
    expect(await value<ThisDevice>(till, 'devices:me')).toMatchObject({ lan_origins: [] })
  })

  it('a device idle for 12 hours is signed out', async () => {
    const till = await signIn({ token: server.token })
    clock.advance(11 * 3600_000)
    expect((await call(auth(till), 'app:info')).status).toBe(200)
    clock.advance(11 * 3600_000) // 11 h since it was last seen
    expect((await call(auth(till), 'app:info')).status).toBe(200)
    clock.advance(12 * 3600_000 + 1000)
    expect((await call(auth(till), 'app:info')).status).toBe(401)
  })

  it('sessions survive a restart of the server: the till stays signed in', async () => {
    const till = await signIn({ token: server.token })
    const port = server.port
    await stop()
    await start(port)
    expect((await call(auth(till), 'app:info')).status).toBe(200)
  })
})

describe('revoking', () => {
  it('a revoked device gets 401 at once, and its open event stream is closed', async () => {
    const owner = await signInOwner()
    const tablet = await signIn({ token: server.token })
    const stream = await openStream(auth(tablet))
    expect(stream.status).toBe(200)
    await waitFor(() => stream.frames().includes(': connected'), { timeoutMs: 5000 })

    const revoked = await value<DeviceInfo>(owner, 'devices:revoke', { id: tablet.device.id })
    expect(revoked.revoked_at).not.toBeNull()
    await waitFor(() => stream.ended(), { timeoutMs: 5000 })
    expect((await call(auth(tablet), 'app:info')).status).toBe(401)
    expect((await openStream(auth(tablet))).status).toBe(401)
    // The owner's own device goes on.
    expect((await call(auth(owner), 'app:info')).status).toBe(200)
    const listed = await value<DeviceInfo[]>(owner, 'devices:list')
    expect(listed.find((d) => d.id === tablet.device.id)?.revoked_at).not.toBeNull()
  })
})

describe('pairing', () => {
  it('a pairing code makes one device at its till, once', async () => {
    const owner = await signInOwner()
    const till2 = await value<Till>(owner, 'tills:create', { name: 'Till 2' })
    const code = await value<PairingCode>(owner, 'devices:pair', { till: till2.id })
    expect(code.code).toMatch(/^[A-Z2-9]{10}$/)
    const tablet = await signIn({ pair: code.code })
    expect(tablet.device).toMatchObject({ till: till2.id, till_name: 'Till 2' })
    expect((await call(auth(tablet), 'app:info')).status).toBe(200)

    const again = await raw('POST', '/bridge/sign-in', json, JSON.stringify({ pair: code.code }))
    expect(again.status).toBe(401)
    expect(JSON.parse(again.text)).toMatchObject({ ok: false, error: { code: 'pairing_code_invalid' } })
  })

  it('a pairing code expires after 10 minutes', async () => {
    const owner = await signInOwner()
    const late = await value<PairingCode>(owner, 'devices:pair', {})
    const inTime = await value<PairingCode>(owner, 'devices:pair', {})
    clock.advance(9 * 60_000)
    await signIn({ pair: inTime.code })
    clock.advance(60_000 + 1000)
    const res = await raw('POST', '/bridge/sign-in', json, JSON.stringify({ pair: late.code }))
    expect(res.status).toBe(401)
    expect(JSON.parse(res.text)).toMatchObject({ ok: false, error: { code: 'pairing_code_invalid' } })
  })
})

describe('tills', () => {
  it('two tills, each with a customer display: each display sees only its till’s sale', async () => {
    const owner = await signInOwner()
    const till2 = await value<Till>(owner, 'tills:create', { name: 'Till 2' })
    const pair = async (till: string, role_hint: 'cashier' | 'display') =>
      signIn({ pair: (await value<PairingCode>(owner, 'devices:pair', { till, role_hint })).code })
    const cashier1 = owner
    const cashier2 = await pair(till2.id, 'cashier')
    const display1 = await pair('till_1', 'display')
    const display2 = await pair(till2.id, 'display')
    const stream1 = await openStream(auth(display1))
    const stream2 = await openStream(auth(display2))
    await waitFor(() => stream1.frames().includes(': connected') && stream2.frames().includes(': connected'), { timeoutMs: 5000 })

    const [sale1, sale2] = await Promise.all([
      value<PaymentSession>(cashier1, 'sessions:create', { amount: '1.00' }),
      value<PaymentSession>(cashier2, 'sessions:create', { amount: '2.00' }),
    ])
    expect(sale1.till).toBe('till_1')
    expect(sale2.till).toBe(till2.id)

    await waitFor(() => sessionEvents(stream1.frames()).length > 0 && sessionEvents(stream2.frames()).length > 0, { timeoutMs: 5000 })
    // A later sale at till 1 still never reaches till 2's display.
    const sale3 = await value<PaymentSession>(cashier1, 'sessions:create', { amount: '3.00' })
    await waitFor(() => sessionEvents(stream1.frames()).some((s) => s.id === sale3.id), { timeoutMs: 5000 })
    expect(new Set(sessionEvents(stream1.frames()).map((s) => s.id))).toEqual(new Set([sale1.id, sale3.id]))
    expect(new Set(sessionEvents(stream2.frames()).map((s) => s.id))).toEqual(new Set([sale2.id]))

    // What each display fetches at load: its till's newest sale.
    for (const [display, sale] of [
      [display1, sale3],
      [display2, sale2],
    ] as const) {
      const { device } = await value<ThisDevice>(display, 'devices:me')
      const page = await value<SessionPage>(display, 'sessions:list', { limit: 1, till: device.till })
      expect(page.data.map((s) => s.id)).toEqual([sale.id])
    }
    // The owner's History covers every till, and filters by one.
    expect((await value<SessionPage>(owner, 'sessions:list', {})).data).toHaveLength(3)
    expect((await value<SessionPage>(owner, 'sessions:list', { till: till2.id })).data.map((s) => s.id)).toEqual([sale2.id])
    // The REST API lists by till too, and shows each sale's till.
    const rest = await raw('GET', `/v1/payment/sessions?till=${till2.id}`, { authorization: `Bearer ${KEY}` })
    expect(rest.status).toBe(200)
    expect((JSON.parse(rest.text) as SessionPage).data.map((s) => [s.id, s.till])).toEqual([[sale2.id, till2.id]])
    stream1.close()
    stream2.close()
  })
})

describe('what each event stream carries', () => {
  /** The pushes a stream received, as `event` names with the sale ids of its `session:updated` frames. */
  const received = (frames: string) => {
    const events = frames
      .split('\n\n')
      .map((f) => /^event: (\S+)/.exec(f)?.[1])
      .filter((e): e is string => e !== undefined)
    return { kinds: new Set(events.filter((e) => e !== 'session:updated')), sales: new Set(sessionEvents(frames).map((s) => s.id)) }
  }
  const delivery = { id: 'whd_1', event_id: 'evt_1', event_type: 'payment.completed', endpoint_id: 'we_1', session_id: null, state: 'delivered', attempts: 1, next_attempt_at: null, last_status: 200, last_error: null, created_at: 1 }
  const refund = { id: 're_1', object: 'refund', session_id: 'ps_1', status: 'pending' }
  const chain = { chain_id: 31337, connection: 'online', head: 12, last_error: null, updated_at: 1, clock_drift_seconds: null }
  const transfer = { chain_id: 31337, tx_hash: `0x${'ab'.repeat(32)}`, log_index: 0, session_id: null, state: 'confirmed' }

  it('a till’s devices get its own sales only, a display nothing but its sale and the restore, the owner’s pushes only the owner while unlocked', async () => {
    const owner = await signInOwner()
    const till2 = await value<Till>(owner, 'tills:create', { name: 'Till 2' })
    const pair = async (till: string, role_hint: 'cashier' | 'display') =>
      signIn({ pair: (await value<PairingCode>(owner, 'devices:pair', { till, role_hint })).code })
    const cashier1 = await signIn({ token: server.token })
    const cashier2 = await pair(till2.id, 'cashier')
    const display1 = await pair('till_1', 'display')
    const streams = {
      owner: await openStream(auth(owner)),
      cashier1: await openStream(auth(cashier1)),
      cashier2: await openStream(auth(cashier2)),
      display1: await openStream(auth(display1)),
    }
    const all = Object.values(streams)
    await waitFor(() => all.every((s) => s.frames().includes(': connected')), { timeoutMs: 5000 })

    const sale1 = await value<PaymentSession>(cashier1, 'sessions:create', { amount: '1.00' })
    const sale2 = await value<PaymentSession>(cashier2, 'sessions:create', { amount: '2.00' })
    const { events } = app.engine
    events.emit('chain:state-changed', chain as never)
    events.emit('transfer:recorded', transfer as never)
    events.emit('webhook:delivered', delivery as never)
    events.emit('refund:updated', refund as never)
    // Everyone's, and last: once a stream has it, every push before it has arrived (one connection keeps order).
    events.emit('shop:restored', { file: 'marker-1' })
    await waitFor(() => all.every((s) => s.frames().includes('marker-1')), { timeoutMs: 5000, label: 'every stream to get the restore' })

    const shopWide = ['chain:state-changed', 'transfer:recorded', 'shop:restored']
    expect(received(streams.owner.frames())).toEqual({
      kinds: new Set([...shopWide, 'webhook:delivered', 'refund:updated']),
      sales: new Set([sale1.id, sale2.id]),
    })
    expect(received(streams.cashier1.frames())).toEqual({ kinds: new Set(shopWide), sales: new Set([sale1.id]) })
    expect(received(streams.cashier2.frames())).toEqual({ kinds: new Set(shopWide), sales: new Set([sale2.id]) })
    expect(received(streams.display1.frames())).toEqual({ kinds: new Set(['shop:restored']), sales: new Set([sale1.id]) })

    // The owner role is asked at each push: locked, the owner's device is a till-1 cashier's.
    await value(owner, 'owner:lock')
    const sale3 = await value<PaymentSession>(cashier2, 'sessions:create', { amount: '3.00' })
    events.emit('refund:updated', { ...refund, id: 're_2' } as never)
    events.emit('shop:restored', { file: 'marker-2' })
    await waitFor(() => streams.owner.frames().includes('marker-2'), { timeoutMs: 5000 })
    expect(streams.owner.frames()).not.toContain('re_2')
    expect(received(streams.owner.frames()).sales.has(sale3.id)).toBe(false)
    for (const s of all) s.close()
  })
})

describe('moving a device to another till', () => {
  it('a customer display moved from till 1 to till 2 has its stream ended, and once back shows only till 2’s sale', async () => {
    const owner = await signInOwner()
    const till2 = await value<Till>(owner, 'tills:create', { name: 'Till 2' })
    const cashier2 = await signIn({ pair: (await value<PairingCode>(owner, 'devices:pair', { till: till2.id })).code })
    const display = await signIn({ pair: (await value<PairingCode>(owner, 'devices:pair', { till: 'till_1', role_hint: 'display' })).code })
    const before = await openStream(auth(display))
    await waitFor(() => before.frames().includes(': connected'), { timeoutMs: 5000 })

    const moved = await value<DeviceInfo>(owner, 'devices:update', { id: display.device.id, till: till2.id })
    expect(moved.till).toBe(till2.id)
    // Its stream was given till 1 when it opened: it ends, as EventSource sees a dropped line, and reconnects.
    await waitFor(() => before.ended(), { timeoutMs: 5000, label: 'the moved display’s stream to end' })
    const after = await openStream(auth(display))
    await waitFor(() => after.frames().includes(': connected'), { timeoutMs: 5000 })

    const atTill1 = await value<PaymentSession>(owner, 'sessions:create', { amount: '1.00' })
    const atTill2 = await value<PaymentSession>(cashier2, 'sessions:create', { amount: '2.00' })
    await waitFor(() => sessionEvents(after.frames()).some((s) => s.id === atTill2.id), { timeoutMs: 5000 })
    expect(atTill1.till).toBe('till_1')
    expect(sessionEvents(after.frames()).map((s) => s.id)).toEqual([atTill2.id])
    // What the display fetches on reconnect: its new till, and that till's sale.
    const { device } = await value<ThisDevice>(display, 'devices:me')
    expect(device.till).toBe(till2.id)
    const page = await value<SessionPage>(display, 'sessions:list', { limit: 1, till: device.till })
    expect(page.data.map((s) => s.id)).toEqual([atTill2.id])
    after.close()
  })
})

describe('the REST API and tills', () => {
  const create = (body: Record<string, unknown>) =>
    raw(
      'POST',
      '/v1/payment/sessions/create',
      { authorization: `Bearer ${KEY}` },
      JSON.stringify({ merchant_id: 'merchant_123', amount: '4.00', currency: 'USD', ...body }),
    )

  it('a sale created through the API names its till; Till 1 when it names none; an unknown till is a 400', async () => {
    const till2 = app.engine.devices.createTill('Till 2')
    const atTill2 = await create({ order_id: 'api-till-2', till: till2.id })
    expect(atTill2.status, atTill2.text).toBe(201)
    expect((JSON.parse(atTill2.text) as PaymentSession).till).toBe(till2.id)
    const plain = await create({ order_id: 'api-till-default' })
    expect(plain.status, plain.text).toBe(201)
    expect((JSON.parse(plain.text) as PaymentSession).till).toBe('till_1')

    const unknown = await create({ order_id: 'api-till-unknown', till: 'till_9' })
    expect(unknown.status).toBe(400)
    expect(JSON.parse(unknown.text)).toMatchObject({ error: { type: 'invalid_request_error', code: 'parameter_invalid', param: 'till' } })
    const none = await raw('GET', '/v1/payment/sessions?order_id=api-till-unknown', { authorization: `Bearer ${KEY}` })
    expect((JSON.parse(none.text) as SessionPage).data).toEqual([])
    // Till 2's display is the one that shows the API's till-2 sale.
    const listed = await raw('GET', `/v1/payment/sessions?till=${till2.id}`, { authorization: `Bearer ${KEY}` })
    expect((JSON.parse(listed.text) as SessionPage).data.map((s) => s.order_id)).toEqual(['api-till-2'])
  })
})

describe('the printed line on the LAN', () => {
  it('names the machine’s own addresses, never 0.0.0.0, and says the connection is plain HTTP', () => {
    expect(lanOrigins('127.0.0.1', 7420)).toEqual([])
    expect(lanOrigins('localhost', 7420)).toEqual([])
    expect(lanOrigins('192.168.1.20', 7420)).toEqual(['http://192.168.1.20:7420'])
    const own = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => `http://${a!.address}:7420`)
    expect(lanOrigins('0.0.0.0', 7420)).toEqual(own)
    const handle = {
      http: { loginUrl: 'http://192.168.1.20:7420/?token=T', token: 'T', lanOrigins: ['http://192.168.1.20:7420', 'http://10.0.0.5:7420'] },
    }
    const line = listeningLine(handle as unknown as ServeHandle)
    expect(line.split('\n')[0]).toBe('StablePay POS listening on http://192.168.1.20:7420/?token=T')
    expect(line).toContain('also at http://10.0.0.5:7420/?token=T')
    expect(line).toContain('Plain HTTP on the local network')
    expect(line).not.toContain('0.0.0.0')
    const loopback = { http: { loginUrl: 'http://127.0.0.1:7420/?token=T', token: 'T', lanOrigins: [] } }
    expect(listeningLine(loopback as unknown as ServeHandle)).toBe('StablePay POS listening on http://127.0.0.1:7420/?token=T')
  })
})
