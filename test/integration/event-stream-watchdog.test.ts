/**
 * The page's event stream against real servers (#15): the real serve-mode server's heartbeats keep it open; a
 * frozen server (TCP open, nothing arriving) is noticed after about two heartbeats and the page reconnects and
 * says the server is unreachable; a 401 on the stream ends the session on screen instead of retrying forever.
 *
 * The loop is the renderer's own (src-renderer/src/bridge/eventStream.ts, which the page's transport runs),
 * here in Node, whose fetch and streams are the browser's APIs.
 */
import type { Server, Socket } from 'node:net'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { runEventStream } from '../../src-renderer/src/bridge/eventStream'
import { shopConfig } from '../support/shopConfig'
import type { TempDir } from '../support/tempDir'
import { makeTempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'

const HEARTBEAT_MS = 100
const WAIT = { timeoutMs: 10_000 }

/** What the screens are told, in order: 'up' (open), 'down' (unreachable), 'signed out'; and the event blocks. */
interface Page {
  told: string[]
  blocks: string[]
  ended: Promise<void>
}
function openStream(url: string, request: () => RequestInit = () => ({})): Page {
  const page: Page = { told: [], blocks: [], ended: Promise.resolve() }
  const stop = new AbortController()
  closers.push(() => stop.abort())
  page.ended = runEventStream({
    stop: stop.signal,
    url,
    request,
    heartbeatMs: HEARTBEAT_MS,
    onOpen: () => page.told.push('up'),
    onBlock: (block) => page.blocks.push(block),
    onDown: () => page.told.push('down'),
    onSignedOut: () => page.told.push('signed out'),
  })
  return page
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const closers: Array<() => void> = []
afterEach(() => {
  for (const close of closers.splice(0)) close()
})

/** A raw TCP server: `answer` decides what each HTTP request (one per connection) gets, or nothing at all. */
async function tcpServer(answer: (requestLine: string, socket: Socket) => void): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    let head = ''
    socket.on('data', (chunk) => {
      if (head.includes('\r\n\r\n')) return
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      const line = head.slice(0, head.indexOf('\r\n'))
      requests.push(line)
      answer(line, socket)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(() => {
    server.close()
    for (const s of sockets) s.destroy()
  })
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/bridge/events`, requests }
}

const SSE_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n'
const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`

describe('with the real serve-mode server', () => {
  let dir: TempDir
  let app: App
  let server: HttpServerHandle

  beforeAll(async () => {
    dir = makeTempDir('stablepay-watchdog')
    app = await startApp({ dataDir: join(dir.path, 'data'), config: shopConfig({}) })
    server = await startHttpServer({ app, port: 0, rendererDir: join(dir.path, 'renderer'), heartbeatMs: HEARTBEAT_MS })
  })
  afterAll(async () => {
    await server?.close()
    await app?.stop()
    dir?.cleanup()
  })

  it('its heartbeats keep a quiet stream open: no reconnect over many watchdog periods', async () => {
    // Signed in as the page does (the printed token for a device's cookie and header token).
    const signIn = await fetch(`${server.url}/bridge/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: server.token }),
    })
    const { value } = (await signIn.json()) as { value: { session: string } }
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    const page = openStream(`${server.url}/bridge/events`, () => ({ headers: { cookie, 'x-stablepay-session': value.session } }))

    await waitFor(() => page.told.includes('up'), { ...WAIT, label: 'the stream opens' })
    // Ten watchdog periods with no sale at all: only heartbeats arrive, and they are enough.
    await sleep(HEARTBEAT_MS * 2.5 * 10)
    expect(page.told).toEqual(['up'])
  })
})

describe('against a frozen server', () => {
  it('a stream that opened and then went silent (TCP open) is given up after ~2 heartbeats: unreachable, then it reconnects', async () => {
    const frozen = await tcpServer((_line, socket) => {
      // The head and the first comment, as the real server sends them, then nothing ever again.
      socket.write(SSE_HEAD + chunk('retry: 2000\n: connected\n\n'))
    })
    const page = openStream(frozen.url)
    await waitFor(() => page.told.includes('down'), { ...WAIT, label: 'the page says the server is unreachable' })
    expect(page.told).toEqual(['up', 'down'])
    // It tries again by itself (a new request; the frozen one was abandoned), and is given up on again.
    await waitFor(() => frozen.requests.length >= 2, { ...WAIT, label: 'a reconnect' })
    await waitFor(() => page.told.length >= 4, { ...WAIT, label: 'up and down again' })
    expect(page.told.slice(0, 4)).toEqual(['up', 'down', 'up', 'down'])
  })

  it('a server that accepts the connection and never answers is given up too', async () => {
    const mute = await tcpServer(() => undefined)
    const page = openStream(mute.url)
    await waitFor(() => page.told.includes('down'), { ...WAIT, label: 'the page says the server is unreachable' })
    await waitFor(() => mute.requests.length >= 2, { ...WAIT, label: 'a reconnect' })
    expect(page.told.every((t) => t === 'down')).toBe(true)
  })

  it('a stream that keeps talking is never cut, however long it lasts', async () => {
    const talking = await tcpServer((_line, socket) => {
      socket.write(SSE_HEAD + chunk(': connected\n\n'))
      const beat = setInterval(() => socket.write(chunk(': heartbeat\n\n')), HEARTBEAT_MS)
      socket.on('close', () => clearInterval(beat))
    })
    const page = openStream(talking.url)
    await waitFor(() => page.told.includes('up'), { ...WAIT, label: 'the stream opens' })
    await sleep(HEARTBEAT_MS * 2.5 * 10)
    expect(page.told).toEqual(['up'])
    expect(talking.requests).toHaveLength(1)
  })
})

describe('a 401 on the stream', () => {
  it('tells the screens the device is signed out, once, and stops asking', async () => {
    const json = '{"ok":false,"error":{"code":"session_invalid","message":"sign in again"}}'
    const server = await tcpServer((_line, socket) =>
      socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\nConnection: close\r\n\r\n${json}`),
    )
    const page = openStream(server.url)
    await page.ended
    expect(page.told).toEqual(['signed out'])
    // Several retry periods later: still the one request, no loop hammering the server with a dead session.
    await sleep(2000 * 3)
    expect(server.requests).toHaveLength(1)
  })
})
