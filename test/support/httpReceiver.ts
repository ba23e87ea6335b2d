import { EventEmitter } from 'node:events'
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http'

export interface RecordedRequest {
  method: string
  /** Path and query, as sent. */
  url: string
  headers: IncomingHttpHeaders
  /** Raw body bytes, exactly as received (signature checks need the raw bytes). */
  body: Buffer
  /** body decoded as UTF-8, for convenience. */
  text: string
  /** Date.now() once the body was complete. */
  receivedAt: number
  /** What the receiver did with it. */
  outcome: { kind: 'responded'; status: number } | { kind: 'hung' } | { kind: 'reset' }
}

export type ResponsePlan =
  { kind: 'respond'; status: number; headers?: Record<string, string>; body?: string | Buffer } | { kind: 'hang' } | { kind: 'reset' }

export interface HttpReceiver {
  /** Base URL, e.g. http://127.0.0.1:41234 (stable across down()/up()). */
  url: string
  port: number
  /** Live list of everything received, in arrival order. */
  readonly requests: readonly RecordedRequest[]
  /** Default response for requests with nothing queued (initially 200 "ok"). */
  respondWith(status: number, headers?: Record<string, string>, body?: string | Buffer): void
  /** One-shot responses, used in order before falling back to the default. */
  enqueue(...plans: ResponsePlan[]): void
  /** The next request is recorded but never answered (client-side timeout tests). */
  hangNext(): void
  /** The next request's connection is destroyed without a response. */
  resetNext(): void
  /** Closes the listening socket and all connections: clients get ECONNREFUSED. */
  down(): Promise<void>
  /** Listens again on the same port. */
  up(): Promise<void>
  readonly isUp: boolean
  /** Resolves once the recorded requests satisfy `predicate` (checked on every arrival). */
  waitFor(predicate: (requests: readonly RecordedRequest[]) => boolean, timeoutMs: number, label?: string): Promise<RecordedRequest[]>
  /** Forgets recorded requests (queue and default response are kept). */
  clear(): void
  stop(): Promise<void>
}

const HOST = '127.0.0.1'

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err)
    server.once('error', onError)
    server.listen({ port, host: HOST }, () => {
      server.off('error', onError)
      const address = server.address()
      if (address === null || typeof address === 'string') reject(new Error('receiver has no TCP address'))
      else resolve(address.port)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // Hung and keep-alive connections would otherwise keep close() waiting forever.
    server.closeAllConnections()
    server.close(() => resolve())
  })
}

/** A loopback HTTP endpoint for webhook tests. */
export async function startHttpReceiver(opts: { port?: number } = {}): Promise<HttpReceiver> {
  const requests: RecordedRequest[] = []
  const queue: ResponsePlan[] = []
  let fallback: ResponsePlan = { kind: 'respond', status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' }
  const events = new EventEmitter()
  events.setMaxListeners(0)
  let stopped = false

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const plan = queue.shift() ?? fallback
      const body = Buffer.concat(chunks)
      const outcome: RecordedRequest['outcome'] =
        plan.kind === 'respond' ? { kind: 'responded', status: plan.status } : plan.kind === 'hang' ? { kind: 'hung' } : { kind: 'reset' }
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        text: body.toString('utf8'),
        receivedAt: Date.now(),
        outcome,
      })
      // Recorded before answering, so a waiter sees the request no later than the client sees the reply.
      events.emit('request')
      if (plan.kind === 'hang') return
      if (plan.kind === 'reset') {
        req.socket.destroy()
        return
      }
      res.writeHead(plan.status, plan.headers ?? {})
      res.end(plan.body ?? '')
    })
  }

  let server = createServer(handle)
  const port = await listen(server, opts.port ?? 0)
  let isUp = true

  const receiver: HttpReceiver = {
    url: `http://${HOST}:${port}`,
    port,
    requests,
    get isUp() {
      return isUp
    },
    respondWith(status, headers, body) {
      fallback = { kind: 'respond', status, ...(headers ? { headers } : {}), ...(body !== undefined ? { body } : {}) }
    },
    enqueue(...plans) {
      queue.push(...plans)
    },
    hangNext() {
      queue.push({ kind: 'hang' })
    },
    resetNext() {
      queue.push({ kind: 'reset' })
    },
    async down() {
      if (!isUp) return
      isUp = false
      await closeServer(server)
    },
    async up() {
      if (isUp || stopped) return
      // A fresh server on the same port: node sets SO_REUSEADDR, so lingering
      // TIME_WAIT sockets from the old one do not block the re-bind.
      server = createServer(handle)
      await listen(server, port)
      isUp = true
    },
    waitFor(predicate, timeoutMs, label) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (!predicate(requests)) return false
          cleanup()
          resolve([...requests])
          return true
        }
        const timer = setTimeout(() => {
          cleanup()
          const what = label ?? predicate.toString().replace(/\s+/g, ' ').slice(0, 160)
          reject(
            new Error(`httpReceiver.waitFor timed out after ${timeoutMs} ms (${requests.length} requests recorded) waiting for: ${what}`),
          )
        }, timeoutMs)
        const cleanup = (): void => {
          clearTimeout(timer)
          events.off('request', check)
        }
        if (!check()) events.on('request', check)
      })
    },
    clear() {
      requests.length = 0
    },
    async stop() {
      if (stopped) return
      stopped = true
      if (isUp) {
        isUp = false
        await closeServer(server)
      }
    },
  }
  return receiver
}
