import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'

// `ws` is present only transitively (viem depends on it) and has no @types
// package installed, so it is loaded through createRequire behind the small
// slice of its API used here instead of a typed import.
interface WsSocket {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  terminate(): void
  on(event: 'open', listener: () => void): this
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): this
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this
  on(event: 'error', listener: (err: Error) => void): this
}
interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, callback: (client: WsSocket) => void): void
  close(callback?: () => void): void
}
interface WsModule {
  WebSocket: (new (url: string) => WsSocket) & { readonly OPEN: number }
  WebSocketServer: new (options: { noServer: true }) => WsServer
}
const ws = createRequire(import.meta.url)('ws') as WsModule

export type ProxyMode =
  /** Forward everything. */
  | 'pass'
  /** Destroy the socket without answering (dead host); also drops open WebSockets. */
  | 'down'
  /** Accept and never answer (timeouts). */
  | 'hang'
  /** HTTP 429 with Retry-After; JSON-RPC error -32005 on already-open WebSockets. */
  | 'rate-limit'

export interface RpcCounts {
  /** JSON-RPC calls seen (each element of a batch counts), over HTTP and WS, in every mode. */
  total: number
  byMethod: Record<string, number>
  /** HTTP POSTs (a batch is one). */
  httpRequests: number
  /** WS messages from clients (a batch is one). */
  wsMessages: number
  /** WebSocket connections accepted and piped to the target. */
  wsConnections: number
}

export interface RpcProxy {
  httpUrl: string
  wsUrl: string
  port: number
  /** Live counters (resetCounts() zeroes this same object). */
  readonly counts: RpcCounts
  /** counts.byMethod[method] ?? 0 */
  count(method: string): number
  resetCounts(): void
  readonly mode: ProxyMode
  setMode(mode: ProxyMode): void
  /** Seconds announced in Retry-After while rate limiting (default 1). */
  setRetryAfter(seconds: number): void
  /** eth_getLogs spanning more than n blocks gets error -32005, like hosted providers; null lifts it. */
  setMaxLogRange(n: number | null): void
  /** Added delay before forwarding each HTTP request / WS message (benchmarks). */
  setLatency(ms: number): void
  /**
   * Answers these with JSON-RPC -32601 "Method not found", like a node without them: a method name, or
   * `eth_subscribe:<kind>` for one kind of subscription (e.g. `eth_subscribe:newPendingTransactions`).
   */
  refuse(methods: string[]): void
  /** Back to passing everything through: mode, Retry-After, log range, latency and refusals as at start. */
  reset(): void
  /** Abruptly terminates every proxied WebSocket (both legs); returns how many. */
  dropWebSockets(): number
  readonly openWebSockets: number
  /**
   * eth_subscribe calls the target has confirmed on still-open connections. The
   * confirmation is forwarded to the client before any notification, so once this
   * rises a block mined afterwards is guaranteed to be notified.
   */
  readonly activeSubscriptions: number
  stop(): Promise<void>
}

interface JsonRpcRequest {
  jsonrpc?: string
  id?: number | string | null
  method?: unknown
  params?: unknown
}

const HOST = '127.0.0.1'

function toText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8')
  return data.toString('utf8')
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function calls(parsed: unknown): JsonRpcRequest[] {
  const items = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed]
  return items.filter((x): x is JsonRpcRequest => typeof x === 'object' && x !== null)
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A controllable loopback JSON-RPC proxy (HTTP and WebSocket) in front of a node. */
export async function startRpcProxy(opts: { target: { http: string; ws: string } }): Promise<RpcProxy> {
  const { target } = opts
  const counts: RpcCounts = { total: 0, byMethod: {}, httpRequests: 0, wsMessages: 0, wsConnections: 0 }
  let mode: ProxyMode = 'pass'
  let retryAfter = 1
  let maxLogRange: number | null = null
  let latencyMs = 0
  let refusedMethods = new Set<string>()
  let stopped = false

  interface Pair {
    client: WsSocket
    upstream: WsSocket
    /** ids of eth_subscribe calls forwarded but not yet answered */
    pendingSubscribes: Set<number | string>
    /** subscription ids the target confirmed on this connection */
    subscriptions: Set<string>
  }
  const pairs = new Set<Pair>()
  const hungUpgrades = new Set<Duplex>()
  const sockets = new Set<Socket>()

  const countCalls = (items: JsonRpcRequest[]): void => {
    for (const item of items) {
      const method = typeof item.method === 'string' ? item.method : '(invalid)'
      counts.total++
      counts.byMethod[method] = (counts.byMethod[method] ?? 0) + 1
    }
  }

  // Straight to the target, uncounted: the proxy's own look-ups are not traffic.
  const upstreamHead = async (): Promise<bigint> => {
    const res = await fetch(target.http, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
    })
    const body = (await res.json()) as { result: string }
    return BigInt(body.result)
  }

  // Mirrors hosted providers that cap eth_getLogs ranges (tags resolved against the head), and nodes that lack a method.
  const rangeError = async (call: JsonRpcRequest): Promise<object | undefined> => {
    const kind = call.method === 'eth_subscribe' && Array.isArray(call.params) ? `eth_subscribe:${String(call.params[0])}` : null
    if ((typeof call.method === 'string' && refusedMethods.has(call.method)) || (kind && refusedMethods.has(kind)))
      return { jsonrpc: '2.0', id: call.id ?? null, error: { code: -32601, message: 'Method not found' } }
    if (maxLogRange === null || call.method !== 'eth_getLogs') return undefined
    const filter = Array.isArray(call.params) ? (call.params[0] as Record<string, unknown> | undefined) : undefined
    if (!filter || typeof filter !== 'object' || filter['blockHash'] !== undefined) return undefined
    let head: bigint | undefined
    const resolve = async (tag: unknown): Promise<bigint> => {
      if (typeof tag === 'string' && tag.startsWith('0x')) return BigInt(tag)
      if (tag === 'earliest') return 0n
      head ??= await upstreamHead()
      return head
    }
    const from = await resolve(filter['fromBlock'] ?? 'latest')
    const to = await resolve(filter['toBlock'] ?? 'latest')
    if (to - from + 1n <= BigInt(maxLogRange)) return undefined
    return {
      jsonrpc: '2.0',
      id: call.id ?? null,
      error: { code: -32005, message: `query exceeds max block range ${maxLogRange}` },
    }
  }

  const rateLimitError = (call: JsonRpcRequest): object => ({
    jsonrpc: '2.0',
    id: call.id ?? null,
    error: { code: -32005, message: 'Too Many Requests', data: { retryAfterSeconds: retryAfter } },
  })

  const postUpstream = async (body: string): Promise<{ status: number; text: string }> => {
    const res = await fetch(target.http, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    return { status: res.status, text: await res.text() }
  }

  // Answers a parsed request, replacing over-range eth_getLogs with errors and
  // forwarding the rest (a batch keeps its order).
  const answerHttp = async (raw: string, parsed: unknown): Promise<{ status: number; text: string }> => {
    const items = calls(parsed)
    const verdicts = await Promise.all(items.map(rangeError))
    if (verdicts.every((v) => v === undefined)) return postUpstream(raw)
    if (!Array.isArray(parsed)) return { status: 200, text: JSON.stringify(verdicts[0]) }
    const forwarded = items.filter((_, i) => verdicts[i] === undefined)
    let answers: unknown[] = []
    if (forwarded.length > 0) {
      const up = await postUpstream(JSON.stringify(forwarded))
      const decoded = parseJson(up.text)
      if (!Array.isArray(decoded)) return up
      answers = decoded
    }
    let next = 0
    const merged = verdicts.map((v) => v ?? answers[next++])
    return { status: 200, text: JSON.stringify(merged) }
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const parsed = parseJson(raw)
        counts.httpRequests++
        countCalls(calls(parsed))
        if (mode === 'down') {
          req.socket.destroy()
          return
        }
        if (mode === 'hang') return // closed by stop() via closeAllConnections
        if (mode === 'rate-limit') {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) })
          // A JSON-RPC error body, as Alchemy sends; the id is echoed for single calls.
          const id = Array.isArray(parsed) ? null : (calls(parsed)[0]?.id ?? null)
          res.end(JSON.stringify({ jsonrpc: '2.0', id, error: { code: 429, message: 'Too Many Requests' } }))
          return
        }
        if (latencyMs > 0) await delay(latencyMs)
        try {
          const answer = await answerHttp(raw, parsed)
          res.writeHead(answer.status, { 'content-type': 'application/json' })
          res.end(answer.text)
        } catch (err) {
          res.writeHead(502, { 'content-type': 'text/plain' })
          res.end(`rpcProxy: upstream failed: ${err instanceof Error ? err.message : String(err)}`)
        }
      })()
    })
  }

  const server = createServer(onRequest)
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  const wss = new ws.WebSocketServer({ noServer: true })

  const pipe = (client: WsSocket): void => {
    counts.wsConnections++
    const upstream = new ws.WebSocket(target.ws)
    const pair: Pair = { client, upstream, pendingSubscribes: new Set(), subscriptions: new Set() }
    pairs.add(pair)
    const backlog: string[] = []
    // Messages are handled one after another so the async range check never reorders them.
    let chain: Promise<void> = Promise.resolve()

    const closeBoth = (): void => {
      pairs.delete(pair)
      client.terminate()
      upstream.terminate()
    }
    upstream.on('open', () => {
      for (const m of backlog.splice(0)) upstream.send(m)
    })
    upstream.on('message', (data) => {
      if (mode === 'hang') return
      const text = toText(data)
      // Only parsed while a subscribe is in flight, so notification floods stay cheap.
      if (pair.pendingSubscribes.size > 0) {
        const answer = parseJson(text) as { id?: number | string; result?: unknown } | undefined
        if (answer?.id !== undefined && pair.pendingSubscribes.delete(answer.id) && typeof answer.result === 'string') {
          pair.subscriptions.add(answer.result)
        }
      }
      // Always text: viem parses `event.data` as a JSON string.
      if (client.readyState === ws.WebSocket.OPEN) client.send(text)
    })
    upstream.on('close', closeBoth)
    upstream.on('error', closeBoth)
    client.on('close', closeBoth)
    client.on('error', closeBoth)
    client.on('message', (data) => {
      const text = toText(data)
      const parsed = parseJson(text)
      const items = calls(parsed)
      counts.wsMessages++
      countCalls(items)
      chain = chain.then(async () => {
        if (mode === 'hang' || mode === 'down') return
        const reply = (payload: unknown): void => {
          if (client.readyState === ws.WebSocket.OPEN) client.send(JSON.stringify(payload))
        }
        if (mode === 'rate-limit') {
          const errors = items.map(rateLimitError)
          reply(Array.isArray(parsed) ? errors : errors[0])
          return
        }
        if (latencyMs > 0) await delay(latencyMs)
        // Batches over WS are rare for viem; only single calls are range-checked.
        const refused = Array.isArray(parsed) || !items[0] ? undefined : await rangeError(items[0]).catch(() => undefined)
        if (refused) {
          reply(refused)
          return
        }
        const call = items[0]
        if (!Array.isArray(parsed) && call) {
          if (call.method === 'eth_subscribe' && call.id !== undefined && call.id !== null) pair.pendingSubscribes.add(call.id)
          if (call.method === 'eth_unsubscribe' && Array.isArray(call.params)) pair.subscriptions.delete(String(call.params[0]))
        }
        if (upstream.readyState === ws.WebSocket.OPEN) upstream.send(text)
        else backlog.push(text)
      })
    })
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (stopped || mode === 'down') {
      socket.destroy()
      return
    }
    if (mode === 'hang') {
      hungUpgrades.add(socket)
      socket.once('close', () => hungUpgrades.delete(socket))
      return
    }
    if (mode === 'rate-limit') {
      socket.end(`HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${retryAfter}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, pipe)
  })

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port: 0, host: HOST }, () => {
      const address = server.address()
      if (address === null || typeof address === 'string') reject(new Error('proxy has no TCP address'))
      else resolve(address.port)
    })
  })

  const dropWebSockets = (): number => {
    const n = pairs.size
    for (const pair of [...pairs]) {
      pairs.delete(pair)
      pair.client.terminate()
      pair.upstream.terminate()
    }
    return n
  }

  return {
    httpUrl: `http://${HOST}:${port}`,
    wsUrl: `ws://${HOST}:${port}`,
    port,
    counts,
    count: (method) => counts.byMethod[method] ?? 0,
    resetCounts() {
      counts.total = 0
      for (const key of Object.keys(counts.byMethod)) delete counts.byMethod[key]
      counts.httpRequests = 0
      counts.wsMessages = 0
      counts.wsConnections = 0
    },
    get mode() {
      return mode
    },
    setMode(next) {
      mode = next
      // A dead host takes its open connections with it.
      if (next === 'down') {
        dropWebSockets()
        for (const s of sockets) s.destroy()
      }
    },
    setRetryAfter(seconds) {
      retryAfter = seconds
    },
    setMaxLogRange(n) {
      maxLogRange = n
    },
    setLatency(ms) {
      latencyMs = ms
    },
    refuse(methods) {
      refusedMethods = new Set(methods)
    },
    reset() {
      mode = 'pass'
      retryAfter = 1
      maxLogRange = null
      latencyMs = 0
      refusedMethods = new Set()
    },
    dropWebSockets,
    get openWebSockets() {
      return pairs.size
    },
    get activeSubscriptions() {
      let n = 0
      for (const pair of pairs) n += pair.subscriptions.size
      return n
    },
    async stop() {
      if (stopped) return
      stopped = true
      dropWebSockets()
      for (const s of hungUpgrades) s.destroy()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      // Upgraded sockets escape closeAllConnections() yet still hold server.close() open.
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    },
  }
}
