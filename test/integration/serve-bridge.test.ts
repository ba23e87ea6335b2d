/**
 * Serve mode's UI side over real HTTP: the token-for-cookie login, the bridge
 * (same handlers as Electron IPC), server-sent events, static files with the
 * SPA fallback, security headers, and the Host/Origin guards.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ChainState, PaymentSession, Result, SessionPage } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import type { HttpServerHandle } from '../../src-main/http'
import { CSP, startHttpServer } from '../../src-main/http'
import { hostAllowed } from '../../src-main/http/guards'
import { SHOP_ADDRESS, shopConfig, USDC6 } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'
import type { TempDir } from '../support/tempDir'

const KEY = 'sk_test_bridge_test_key_0000000000000001'
const OWNER_PIN = '246810'
const INDEX =
  '<!doctype html><html><head><script type="module" src="./assets/app-1234.js"></script></head><body><div id="root"></div></body></html>'

let dir: TempDir
let app: App
let server: HttpServerHandle
let cookie = ''
let sessionToken = ''
const cleanups: Array<() => Promise<void>> = []

beforeAll(async () => {
  dir = makeTempDir('stablepay-bridge')
  cleanups.push(() => dir.cleanup())
  const renderer = join(dir.path, 'renderer')
  mkdirSync(join(renderer, 'assets'), { recursive: true })
  writeFileSync(join(renderer, 'index.html'), INDEX)
  writeFileSync(join(renderer, 'assets', 'app-1234.js'), 'console.log("pos")')
  writeFileSync(join(renderer, '.secret'), 'no')
  writeFileSync(join(dir.path, 'outside.txt'), 'outside the renderer')
  app = await startApp({
    dataDir: join(dir.path, 'data'),
    config: shopConfig({ keys: [KEY], ownerPin: OWNER_PIN }),
  })
  cleanups.push(() => app.stop())
  server = await startHttpServer({ app, port: 0, rendererDir: renderer, heartbeatMs: 100 })
  cleanups.push(() => server.close())
})

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

interface Raw {
  status: number
  headers: IncomingMessage['headers']
  text: string
}

/** node:http, not fetch: the Host header and redirects must be under the test's control. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    // host/port/path given apart: a URL string would be normalised by the client before it is sent.
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

const withCookie = (headers: Record<string, string> = {}) => ({ cookie, 'x-stablepay-session': sessionToken, ...headers })
const invoke = (channel: string, input: unknown, headers: Record<string, string> = withCookie()) =>
  raw('POST', `/bridge/invoke/${channel}`, { 'content-type': 'application/json', ...headers }, JSON.stringify(input))

function expectSecurityHeaders(res: Raw): void {
  expect(res.headers['content-security-policy']).toBe(
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
  )
  expect(res.headers['x-content-type-options']).toBe('nosniff')
  expect(res.headers['referrer-policy']).toBe('no-referrer')
  expect(res.headers['x-frame-options']).toBe('DENY')
}

describe('the access token and signing in', () => {
  it('is 48 hex characters and the CSP constant is the renderer’s', () => {
    expect(server.token).toMatch(/^[0-9a-f]{48}$/)
    expect(server.loginUrl).toBe(`${server.url}/?token=${server.token}`)
    expect(CSP).toContain("connect-src 'self'")
  })

  it('POST /bridge/sign-in with the token makes a device: an HttpOnly SameSite=Strict cookie and a header token, neither derived from the token', async () => {
    const res = await raw('POST', '/bridge/sign-in', { 'content-type': 'application/json' }, JSON.stringify({ token: server.token }))
    expect(res.status).toBe(200)
    const set = res.headers['set-cookie']?.[0] ?? ''
    expect(set).toMatch(new RegExp(`^stablepay_pos_${server.port}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Max-Age=\\d+$`))
    expect(set).not.toContain(server.token)
    expect(res.headers['cache-control']).toBe('no-store')
    cookie = set.split(';')[0]!
    sessionToken = (JSON.parse(res.text) as { value: { session: string } }).value.session
    expect(sessionToken).not.toContain(server.token)
    expectSecurityHeaders(res)
    // The owner enters the PIN on this device: the tests below use owner channels and the owner's pushes (#13).
    expect((await invoke('owner:unlock', { pin: OWNER_PIN })).status).toBe(200)
  })

  it('the page at /?token=T is the app itself (it signs in by script, then drops the token from the address bar)', async () => {
    const res = await raw('GET', `/?token=${server.token}`)
    expect(res.status).toBe(200)
    expect(res.text).toBe(INDEX)
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  it('a wrong token gets 401 and no cookie', async () => {
    const res = await raw(
      'POST',
      '/bridge/sign-in',
      { 'content-type': 'application/json' },
      JSON.stringify({ token: '0123456789abcdef0123456789abcdef0123456789abcdef' }),
    )
    expect(res.status).toBe(401)
    expect(res.headers['set-cookie']).toBeUndefined()
    expect(JSON.parse(res.text)).toMatchObject({ ok: false, error: { code: 'token_invalid' } })
    expectSecurityHeaders(res)
  })

  it('every bridge request needs the signed-in device (cookie and header token); the screens themselves are public', async () => {
    for (const path of ['/', '/customer', '/assets/app-1234.js']) expect((await raw('GET', path)).status).toBe(200)
    const events = await raw('GET', '/bridge/events')
    expect(events.status).toBe(401)
    const bridged = await invoke('sessions:list', {}, {})
    expect(bridged.status).toBe(401)
    expect(JSON.parse(bridged.text)).toMatchObject({ ok: false, error: { type: 'authentication_error', code: 'session_invalid' } })
    expect((await invoke('sessions:list', {}, { cookie })).status).toBe(401)
    expect((await invoke('sessions:list', {}, { authorization: `Bearer ${server.token}` })).status).toBe(401)
    // An API key is not a UI token.
    expect((await invoke('sessions:list', {}, { authorization: `Bearer ${KEY}` })).status).toBe(401)
    // Downloads need a one-time ticket from the bridge.
    expect((await raw('GET', '/export/sessions.csv', withCookie())).status).toBe(401)
    const ticket = JSON.parse((await raw('POST', '/bridge/download-ticket', withCookie())).text) as { value: { ticket: string } }
    expect((await raw('GET', `/export/sessions.csv?ticket=${ticket.value.ticket}`, withCookie())).status).toBe(200)
    expect((await raw('GET', `/export/sessions.csv?ticket=${ticket.value.ticket}`, withCookie())).status).toBe(401)
  })
})

describe('static files', () => {
  it('serves index.html with the security headers', async () => {
    const res = await raw('GET', '/', withCookie())
    expect(res.status).toBe(200)
    expect(res.text).toBe(INDEX)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-cache')
    expectSecurityHeaders(res)
  })

  it('falls back to index.html for app routes like /customer, but not for missing files', async () => {
    for (const path of ['/customer', '/history', '/settings/network']) {
      const res = await raw('GET', path, withCookie())
      expect(res.status).toBe(200)
      expect(res.text).toBe(INDEX)
    }
    expect((await raw('GET', '/assets/missing-0000.js', withCookie())).status).toBe(404)
  })

  it('serves assets with their type and a long cache', async () => {
    const res = await raw('GET', '/assets/app-1234.js', withCookie())
    expect(res.status).toBe(200)
    expect(res.text).toBe('console.log("pos")')
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(res.headers['cache-control']).toContain('immutable')
    const head = await raw('HEAD', '/assets/app-1234.js', withCookie())
    expect(head.status).toBe(200)
    expect(head.text).toBe('')
  })

  it('never leaves the renderer folder or shows dotfiles', async () => {
    for (const path of [
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/%2e%2e/%2e%2e/outside.txt',
      '/.secret',
      '/%2esecret',
      '/a%00.js',
    ]) {
      const res = await raw('GET', path, withCookie())
      expect(res.status).toBe(404)
      expect(res.text).not.toContain('outside the renderer')
    }
    expect((await raw('GET', '/%E0%A4%A', withCookie())).status).toBe(400)
  })

  it('refuses writes to static paths', async () => {
    const res = await raw('POST', '/index.html', withCookie())
    expect(res.status).toBe(405)
  })

  it('says plainly when the renderer is not built', async () => {
    const empty = makeTempDir('stablepay-no-ui')
    const bare = await startHttpServer({ app, port: 0, rendererDir: join(empty.path, 'missing') })
    try {
      const res = await fetch(`${bare.url}/`)
      expect(res.status).toBe(503)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(await res.text()).toContain('npm run build')
    } finally {
      await bare.close()
      await empty.cleanup()
    }
  })
})

describe('the bridge', () => {
  it('POST /bridge/invoke/<channel> answers the handler’s Result', async () => {
    const created = await invoke('sessions:create', { amount: '4.20' })
    expect(created.status).toBe(200)
    const result = JSON.parse(created.text) as Result<PaymentSession>
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value).toMatchObject({ amount: '4.20', currency: 'USD', status: 'PENDING', merchant_id: 'merchant_123' })
    const listed = JSON.parse((await invoke('sessions:list', { limit: 1 })).text) as Result<SessionPage>
    expect(listed.ok && listed.value.data[0]!.id).toBe(result.value.id)
    // The same Result as calling the registry directly (what Electron IPC does).
    const direct = await app.handlers.invoke('sessions:get', { id: result.value.id })
    expect(JSON.parse((await invoke('sessions:get', { id: result.value.id })).text)).toEqual(JSON.parse(JSON.stringify(direct)))
  })

  it('passes handler failures through as { ok: false } with 200', async () => {
    const res = await invoke('sessions:create', { amount: '-5' })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text)).toMatchObject({ ok: false, error: { code: 'parameter_invalid', param: 'amount' } })
  })

  it('unknown channels are 404 in the error shape, inside a Result', async () => {
    for (const channel of ['nope:nothing', 'constructor', '__proto__', '..%2Fv1']) {
      const res = await invoke(channel, {})
      expect(res.status).toBe(404)
      expect(JSON.parse(res.text)).toEqual({
        ok: false,
        error: { type: 'not_found_error', code: 'unknown_channel', message: expect.any(String) as string, param: 'channel' },
      })
    }
  })

  it('refuses other methods, bad JSON and big bodies without calling the handler', async () => {
    expect((await raw('GET', '/bridge/invoke/sessions:list', withCookie())).status).toBe(405)
    const bad = await raw('POST', '/bridge/invoke/sessions:list', withCookie(), '{')
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.text)).toMatchObject({ ok: false, error: { code: 'json_invalid' } })
    const big = await raw('POST', '/bridge/invoke/sessions:list', withCookie(), JSON.stringify({ search: 'x'.repeat(300 * 1024) }))
    expect(big.status).toBe(413)
    expect((await raw('GET', '/bridge/nothing', withCookie())).status).toBe(404)
  })

  it('treats a null body as "no input" (what the renderer sends for void channels)', async () => {
    // Stubbed: the point is what the bridge passes on, not what a handler makes of it.
    const spy = vi.spyOn(app.handlers, 'invoke').mockResolvedValue({ ok: true, value: [] })
    try {
      for (const body of ['null', '']) {
        await raw('POST', '/bridge/invoke/sessions:timeline', withCookie(), body)
        expect(spy).toHaveBeenLastCalledWith('sessions:timeline', undefined, { device: expect.stringMatching(/^dev_/) as string })
      }
    } finally {
      spy.mockRestore()
    }
  })
})

/** Reads an event stream frame by frame; `next` waits for the first frame matching, with a deadline. */
function openEvents(headers: Record<string, string>) {
  const frames: string[] = []
  const waiters: Array<() => void> = []
  let buffer = ''
  let ended = false
  let response: IncomingMessage | undefined
  const req = request(`${server.url}/bridge/events`, { headers })
  const ready = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      response = res
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          frames.push(buffer.slice(0, cut))
          buffer = buffer.slice(cut + 2)
        }
        for (const w of waiters.splice(0)) w()
      })
      res.on('end', () => {
        ended = true
        for (const w of waiters.splice(0)) w()
      })
      resolve(res)
    })
    req.on('error', reject)
  })
  req.end()
  return {
    ready,
    frames,
    get ended() {
      return ended
    },
    next(match: (frame: string) => boolean, label: string, timeoutMs = 5000): Promise<string> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no event stream frame for ${label} within ${timeoutMs} ms; got ${JSON.stringify(frames)}`)),
          timeoutMs,
        )
        const check = () => {
          const i = frames.findIndex(match)
          if (i >= 0) {
            clearTimeout(timer)
            resolve(frames.splice(i, 1)[0]!)
          } else if (ended) {
            clearTimeout(timer)
            reject(new Error(`event stream ended before ${label}`))
          } else waiters.push(check)
        }
        check()
      })
    },
    close() {
      response?.destroy()
      req.destroy()
    },
  }
}

describe('GET /bridge/events', () => {
  it('pushes every PUSH_EVENTS event as `event: <name>`, and a comment heartbeat', async () => {
    const stream = openEvents(withCookie())
    try {
      const res = await stream.ready
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
      expect(res.headers['cache-control']).toBe('no-store')
      await stream.next((f) => f.includes(': connected'), 'the opening comment')

      const created = await fetch(`${server.url}/v1/payment/sessions/create`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ merchant_id: 'merchant_123', order_id: 'sse_1', amount: '7.00', currency: 'USD' }),
      })
      const session = (await created.json()) as PaymentSession
      const frame = await stream.next((f) => f.startsWith('event: session:updated\n') && f.includes(session.id), 'session:updated')
      expect(JSON.parse(frame.split('\n')[1]!.replace(/^data: /, ''))).toEqual(session)

      const state: ChainState = {
        chain_id: 31337,
        connection: 'online',
        head: 12,
        last_error: null,
        updated_at: 1,
        clock_drift_seconds: null,
      }
      app.engine.events.emit('chain:state-changed', state)
      app.engine.events.emit('transfer:recorded', { ...dummyTransfer(), session_id: null })
      app.engine.events.emit('webhook:delivered', {
        id: 'whd_1',
        event_id: 'evt_1',
        event_type: 'payment.completed',
        endpoint_id: 'we_1',
        session_id: null,
        state: 'delivered',
        attempts: 1,
        next_attempt_at: null,
        last_status: 200,
        last_error: null,
        created_at: 1,
      })
      expect(await stream.next((f) => f.startsWith('event: chain:state-changed\n'), 'chain:state-changed')).toBe(
        `event: chain:state-changed\ndata: ${JSON.stringify(state)}`,
      )
      await stream.next((f) => f.startsWith('event: transfer:recorded\n'), 'transfer:recorded')
      await stream.next((f) => f.startsWith('event: webhook:delivered\n'), 'webhook:delivered')
      await stream.next((f) => f === ': heartbeat', 'a heartbeat')
    } finally {
      stream.close()
    }
  })

  it('listens to the engine only while a screen is connected (so the engine can skip building pushes)', async () => {
    // The previous test's stream may still be closing on the server side.
    await waitFor(() => !app.engine.events.hasListeners('session:updated'), { timeoutMs: 5000, label: 'no screen connected' })
    const stream = openEvents(withCookie())
    await stream.ready
    await stream.next((f) => f.includes(': connected'), 'the opening comment')
    expect(app.engine.events.hasListeners('session:updated')).toBe(true)
    stream.close()
    await waitFor(() => !app.engine.events.hasListeners('session:updated'), { timeoutMs: 5000, label: 'the bridge to unsubscribe' })
  })

  it('a heartbeat whose sign-in check throws ends that stream only; the process and the server go on', async () => {
    const stream = openEvents(withCookie())
    await stream.ready
    await stream.next((f) => f.includes(': connected'), 'the opening comment')
    // The check throwing (a database busy or closed mid-restore) used to escape setInterval and end the process.
    const check = vi.spyOn(app.engine.devices, 'stillSignedIn').mockImplementation(() => {
      throw new Error('database connection is not open')
    })
    try {
      await waitFor(() => stream.ended, { timeoutMs: 5000, label: 'the stream to end' })
    } finally {
      check.mockRestore()
      stream.close()
    }
    expect((await invoke('sessions:list', {})).status).toBe(200)
    const again = openEvents(withCookie())
    try {
      await again.ready
      await again.next((f) => f === ': heartbeat', 'a heartbeat on a new stream')
    } finally {
      again.close()
    }
  })

  it('ends open streams when the server closes', async () => {
    const other = await startHttpServer({ app, port: 0, rendererDir: dir.path })
    const stream = (() => {
      const frames: string[] = []
      const req = request(`${other.url}/bridge/events`, {
        headers: { ...withCookie(), cookie: cookie.replace(String(server.port), String(other.port)) },
      })
      const ended = new Promise<void>((resolve, reject) => {
        req.on('response', (res) => {
          res.on('data', (c: Buffer) => {
            frames.push(c.toString())
            if (frames.length === 1) void other.close()
          })
          res.on('end', () => resolve())
        })
        req.on('error', reject)
      })
      req.end()
      return { ended, frames }
    })()
    await stream.ended
    expect(stream.frames.join('')).toContain(': connected')
  })
})

describe('guards', () => {
  it('refuses a Host header that is not the bound address (DNS rebinding)', async () => {
    for (const host of [
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      '127.0.0.1',
      `127.0.0.1.nip.io:${server.port}`,
      'bad host',
    ]) {
      const api = await raw('GET', '/v1/payment/sessions', { host, authorization: `Bearer ${KEY}` })
      expect(api.status).toBe(403)
      expect(JSON.parse(api.text)).toMatchObject({ error: { type: 'permission_error', code: 'host_not_allowed' } })
      expect((await raw('GET', '/', withCookie({ host }))).status).toBe(403)
      expect((await invoke('sessions:list', {}, withCookie({ host }))).status).toBe(403)
    }
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`])
      expect((await raw('GET', '/', withCookie({ host }))).status).toBe(200)
  })

  it('accepts only names no outsider controls, per kind of bind address', () => {
    const loopback = { host: '127.0.0.1', port: 7420 }
    expect(hostAllowed('127.0.0.1:7420', loopback)).toBe(true)
    expect(hostAllowed('localhost:7420', loopback)).toBe(true)
    expect(hostAllowed('192.168.1.20:7420', loopback)).toBe(false)
    expect(hostAllowed('pos.local:7420', loopback)).toBe(false)
    expect(hostAllowed('pos.local:7420', loopback, ['pos.local'])).toBe(true)
    expect(hostAllowed(undefined, loopback)).toBe(false)
    const lan = { host: '0.0.0.0', port: 7420 }
    expect(hostAllowed('192.168.1.20:7420', lan)).toBe(true)
    expect(hostAllowed('[fe80::1]:7420', lan)).toBe(true)
    expect(hostAllowed('localhost:7420', lan)).toBe(true)
    expect(hostAllowed('evil.example:7420', lan)).toBe(false)
    expect(hostAllowed('192.168.1.20:80', lan)).toBe(false)
    expect(hostAllowed('192.168.1.20', { host: '0.0.0.0', port: 80 })).toBe(true)
    const specific = { host: '192.168.1.20', port: 7420 }
    expect(hostAllowed('192.168.1.20:7420', specific)).toBe(true)
    expect(hostAllowed('localhost:7420', specific)).toBe(false)
    expect(hostAllowed('[::1]:7420', { host: '::1', port: 7420 })).toBe(true)
  })

  it('refuses cross-origin state-changing requests (Origin, Sec-Fetch-Site)', async () => {
    const before = (app.engine.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n
    const attempts: Array<Record<string, string>> = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: `http://127.0.0.1:${server.port + 1}` },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]
    for (const headers of attempts) {
      const ui = await invoke('sessions:create', { amount: '1.00' }, withCookie(headers))
      expect(ui.status).toBe(403)
      expect(JSON.parse(ui.text)).toMatchObject({ ok: false, error: { code: 'cross_origin_request' } })
      const api = await raw(
        'POST',
        '/v1/payment/sessions/create',
        { authorization: `Bearer ${KEY}`, ...headers },
        JSON.stringify({ merchant_id: 'merchant_123', order_id: 'csrf', amount: '1.00', currency: 'USD' }),
      )
      expect(api.status).toBe(403)
    }
    expect((app.engine.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n).toBe(before)
    // The page's own requests pass.
    const same = await invoke('sessions:list', {}, withCookie({ origin: server.url, 'sec-fetch-site': 'same-origin' }))
    expect(same.status).toBe(200)
    // Reads are not state-changing: a cross-site GET of a page is answered (and needs the cookie, which SameSite withholds).
    expect((await raw('GET', '/', withCookie({ 'sec-fetch-site': 'cross-site' }))).status).toBe(200)
  })
})

function dummyTransfer() {
  return {
    chain_id: 31337,
    tx_hash: `0x${'ab'.repeat(32)}`,
    log_index: 0,
    token: 'USDC',
    token_address: USDC6,
    from: SHOP_ADDRESS,
    to: SHOP_ADDRESS,
    amount_base_units: '1',
    block_number: 1,
    block_timestamp: 1,
    confirmations: 1,
    state: 'confirmed' as const,
  }
}
