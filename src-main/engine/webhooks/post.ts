import http from 'node:http'
import https from 'node:https'

export const RESPONSE_SNIPPET_BYTES = 1024
/**
 * How long the body may take once the status line is in. The status is the
 * receiver's answer; the body is only a snippet for the delivery log, so a
 * receiver that answers 200 at once and then trickles its body has received
 * the event, and is not kept holding a delivery slot either.
 */
export const RESPONSE_BODY_WAIT_MS = 1000
// Read (and discard) at most this much of a response so the socket can be reused; a bigger one is cut off.
const MAX_DRAIN_BYTES = 1024 * 1024

export interface PostOutcome {
  /** HTTP status, or null when no response came (network error, timeout). */
  status: number | null
  /** Why there was no usable response; never contains the secret or the body. */
  error: string | null
  snippet: string | null
  retryAfter: string | undefined
  durationMs: number
  /** True when the sender stopped mid-request: not an attempt worth recording. */
  aborted: boolean
}

/**
 * POSTs with keep-alive agents (one TLS/TCP connection reused per endpoint
 * instead of a handshake per event), a hard deadline, and a cap on what is read
 * back. `abortAll()` ends every request in flight at shutdown.
 */
export class Poster {
  private readonly httpAgent: http.Agent
  private readonly httpsAgent: https.Agent
  private readonly active = new Set<http.ClientRequest>()
  closed = false

  constructor() {
    // No per-host socket cap: the sender bounds concurrency itself, and a cap here would let a hung
    // endpoint queue requests for another endpoint that happens to share its host.
    const options = { keepAlive: true, scheduling: 'lifo' as const }
    this.httpAgent = new http.Agent(options)
    this.httpsAgent = new https.Agent(options)
  }

  async post(url: URL, body: Buffer, headers: Record<string, string>, timeoutMs: number): Promise<PostOutcome> {
    const started = performance.now()
    let outcome = await this.once(url, body, headers, timeoutMs, started)
    // A keep-alive socket the server closed while idle fails at once on reuse; that is not the
    // endpoint failing, so try once more on a fresh connection (Node's documented pattern).
    if (outcome.stale) outcome = await this.once(url, body, headers, Math.max(1, timeoutMs - (performance.now() - started)), started)
    const { stale: _stale, ...rest } = outcome
    return rest
  }

  abortAll(): void {
    this.closed = true
    for (const req of this.active) req.destroy(new AbortError())
  }

  destroy(): void {
    this.abortAll()
    this.httpAgent.destroy()
    this.httpsAgent.destroy()
  }

  private once(
    url: URL,
    body: Buffer,
    headers: Record<string, string>,
    timeoutMs: number,
    started: number,
  ): Promise<PostOutcome & { stale: boolean }> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve({ status: null, error: 'sender stopped', snippet: null, retryAfter: undefined, durationMs: 0, aborted: true, stale: false })
        return
      }
      let settled = false
      const finish = (o: Omit<PostOutcome, 'durationMs' | 'aborted'> & { aborted?: boolean; stale?: boolean }): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.active.delete(req)
        resolve({ aborted: false, stale: false, ...o, durationMs: Math.round(performance.now() - started) })
      }
      const isHttps = url.protocol === 'https:'
      const request = isHttps ? https.request : http.request
      const req = request(url, {
        method: 'POST',
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        headers: { ...headers, 'Content-Length': String(body.length) },
      })
      this.active.add(req)
      let timer = setTimeout(() => req.destroy(new TimeoutError(timeoutMs)), timeoutMs)
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof AbortError)
          return finish({ status: null, error: 'sender stopped', snippet: null, retryAfter: undefined, aborted: true })
        const stale = req.reusedSocket && error.code === 'ECONNRESET' && !(error instanceof TimeoutError)
        finish({ status: null, error: describe(error), snippet: null, retryAfter: undefined, stale })
      })
      req.on('response', (res) => {
        const chunks: Buffer[] = []
        let kept = 0
        let read = 0
        const retryAfter = typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : undefined
        const done = (): void =>
          finish({ status: res.statusCode ?? null, error: null, snippet: Buffer.concat(chunks).toString('utf8'), retryAfter })
        // The request's deadline ends with the status line; the body gets its own short one.
        clearTimeout(timer)
        timer = setTimeout(() => {
          done()
          res.destroy()
        }, RESPONSE_BODY_WAIT_MS)
        res.on('data', (chunk: Buffer) => {
          read += chunk.length
          if (kept < RESPONSE_SNIPPET_BYTES) {
            const part = chunk.subarray(0, RESPONSE_SNIPPET_BYTES - kept)
            chunks.push(part)
            kept += part.length
          }
          // The status is what counts; do not let an endless body hold a slot.
          if (read > MAX_DRAIN_BYTES) {
            done()
            res.destroy()
          }
        })
        res.on('end', done)
        // A response cut off after its status line still answered the question the status asks.
        res.on('error', done)
        res.on('aborted', done)
      })
      req.end(body)
    })
  }
}

class TimeoutError extends Error {
  code = 'ETIMEDOUT'
  constructor(ms: number) {
    super(`timed out after ${ms} ms without a response`)
  }
}

class AbortError extends Error {
  constructor() {
    super('sender stopped')
  }
}

function describe(error: NodeJS.ErrnoException): string {
  if (error instanceof TimeoutError) return error.message
  // Node's messages name the address and the code ("connect ECONNREFUSED 127.0.0.1:4000"); they carry no header values.
  return (error.message || error.code || 'network error').slice(0, 500)
}
