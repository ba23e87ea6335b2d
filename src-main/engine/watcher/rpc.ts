import { BaseError, createPublicClient, createTransport, fallback, http } from 'viem'
import type { EIP1193RequestFn, Transport } from 'viem'
import type { RetryAfterLimits } from '../retry'
import { backoff, parseRetryAfter } from '../retry'

/**
 * JSON-RPC access to one chain over HTTP: viem's `fallback` across the
 * owner's RPC URLs, each behind a guard that remembers when that URL may be
 * asked again (a 429's Retry-After, or a backoff after it went dark). A
 * cooling URL fails at once without touching the network, so `fallback`
 * moves on to the next one and a rate-limited provider is left alone for as
 * long as it asked.
 */

export interface BlockHeader {
  number: number
  hash: string
  parentHash: string
  /** Unix seconds. */
  timestamp: number
}

export interface RawLog {
  address: string
  topics: string[]
  data: string
  blockNumber: string
  blockHash: string
  transactionHash: string
  logIndex: string
  /** Newer nodes (anvil, geth ≥ 1.14) include it; otherwise the header is fetched. */
  blockTimestamp?: string
  removed?: boolean
}

export type LogFilter =
  | { address: string[]; topics: Array<string | string[] | null>; blockHash: string }
  | { address: string[]; topics: Array<string | string[] | null>; fromBlock: number; toBlock: number }

export type EndpointHealth = 'ok' | 'rate-limited' | 'down'

export interface EndpointState {
  url: string
  health: EndpointHealth
  /** Monotonic ms before which this URL is not asked. */
  coolUntil: number
  failures: number
  lastError: string | null
}

export interface ChainRpcOptions {
  /** Per request; a hung provider counts as down after this long. */
  timeoutMs: number
  /** Cap of the backoff for a URL that went dark (doubles from 250 ms). */
  maxBackoffMs: number
  /** Monotonic milliseconds (tests never need to move it: cooldowns are real time). */
  now?: () => number
}

/** Thrown by a guarded URL that is still cooling down; never sent to the network. */
export class EndpointCoolingError extends BaseError {
  constructor(
    readonly url: string,
    readonly retryInMs: number,
    reason: string,
  ) {
    super(`${redactUrl(url)} is resting for ${Math.ceil(retryInMs)} ms (${reason})`, { name: 'EndpointCoolingError' })
  }
}

/** Thrown when an answer does not have the shape JSON-RPC promises (a broken proxy, a wrong URL). */
export class MalformedRpcResponseError extends Error {
  constructor(method: string, detail: string) {
    super(`${method}: unexpected response (${detail})`)
    this.name = 'MalformedRpcResponseError'
  }
}

/**
 * A URL that did not answer is first asked again after 250 ms, doubling up to
 * the watcher's cap (30 s by default): a keep-alive hiccup or a restarting
 * node is back within a second, a dead one is asked about twice a minute, and
 * meanwhile `fallback` serves from the other URLs. No jitter: one till keeps
 * one client per URL, so there is no crowd of clients to spread out.
 */
const DOWN_BACKOFF_BASE_MS = 250
/**
 * A 429 without Retry-After: 1 s doubling to 64 s, the span of the rate
 * windows hosted providers count requests in (per second to per minute).
 */
const RATE_LIMIT_BACKOFF = { baseMs: 1000, maxMs: 64_000 }
/**
 * A provider's Retry-After is honoured from 0 (it may say "now") up to
 * 10 minutes: asking for longer is most likely a misconfigured proxy, and a
 * shop whose only URL it is must not stop seeing payments for hours.
 */
const RPC_RETRY_AFTER_LIMITS: RetryAfterLimits = { minMs: 0, maxMs: 10 * 60_000 }

export class ChainRpc {
  readonly endpoints: EndpointState[]
  private readonly client: { request: (args: { method: string; params?: unknown }) => Promise<unknown> }
  private readonly now: () => number

  constructor(
    urls: readonly string[],
    private readonly options: ChainRpcOptions,
  ) {
    if (urls.length === 0) throw new Error('a chain needs at least one RPC URL')
    this.now = options.now ?? (() => performance.now())
    this.endpoints = urls.map((url) => ({ url, health: 'ok', coolUntil: 0, failures: 0, lastError: null }))
    const transports = this.endpoints.map((endpoint) => this.guarded(endpoint))
    // retryCount 0 everywhere: retries are the watcher's decision (it knows Retry-After and the next tick).
    // cacheTime 0: nothing here may answer from viem's cache (a cached head is a late payment).
    const client = createPublicClient({ transport: fallback(transports, { retryCount: 0 }), cacheTime: 0 })
    this.client = client as unknown as ChainRpc['client']
  }

  private guarded(endpoint: EndpointState): Transport {
    const inner = http(endpoint.url, { retryCount: 0, timeout: this.options.timeoutMs })
    return (config) => {
      const transport = inner({ ...config, retryCount: 0, timeout: this.options.timeoutMs })
      return createTransport({
        key: 'guarded-http',
        name: 'Guarded HTTP JSON-RPC',
        type: 'http',
        retryCount: 0,
        timeout: this.options.timeoutMs,
        request: (async ({ method, params }: { method: string; params?: unknown }) => {
          const wait = endpoint.coolUntil - this.now()
          if (wait > 0) throw new EndpointCoolingError(endpoint.url, wait, endpoint.lastError ?? endpoint.health)
          try {
            const result: unknown = await transport.request({ method, params } as never)
            this.succeeded(endpoint)
            return result
          } catch (error) {
            // A healthy URL that fails once without timing out is most often a keep-alive socket the server
            // closed while we were idle: ask once more on a fresh one before calling the URL down.
            if (endpoint.health === 'ok' && classifyError(error).kind === 'transport' && !isTimeout(error)) {
              try {
                const result: unknown = await transport.request({ method, params } as never)
                this.succeeded(endpoint)
                return result
              } catch (again) {
                this.failed(endpoint, again)
                throw again
              }
            }
            this.failed(endpoint, error)
            throw error
          }
        }) as EIP1193RequestFn,
      })
    }
  }

  private succeeded(endpoint: EndpointState): void {
    endpoint.health = 'ok'
    endpoint.failures = 0
    endpoint.coolUntil = 0
    endpoint.lastError = null
  }

  private failed(endpoint: EndpointState, error: unknown): void {
    const kind = classifyError(error)
    if (kind.kind === 'rpc') {
      // The provider answered (a JSON-RPC error such as a refused block range): it is alive.
      endpoint.health = 'ok'
      endpoint.failures = 0
      endpoint.coolUntil = 0
      return
    }
    endpoint.failures++
    endpoint.lastError = describeError(error)
    if (kind.kind === 'rate-limit') {
      endpoint.health = 'rate-limited'
      endpoint.coolUntil = this.now() + (kind.retryAfterMs ?? backoff(endpoint.failures, RATE_LIMIT_BACKOFF))
      return
    }
    endpoint.health = 'down'
    endpoint.coolUntil = this.now() + backoff(endpoint.failures, { baseMs: DOWN_BACKOFF_BASE_MS, maxMs: this.options.maxBackoffMs })
  }

  /** Milliseconds until some URL may be asked again (0 when one may be asked now). */
  nextAvailableIn(): number {
    const now = this.now()
    return Math.max(0, Math.min(...this.endpoints.map((e) => e.coolUntil - now)))
  }

  rateLimited(): boolean {
    return this.endpoints.some((e) => e.health === 'rate-limited')
  }

  /** True when no URL answered at all (every one is down, not merely rate limiting us). */
  allDown(): boolean {
    return this.endpoints.every((e) => e.health === 'down')
  }

  /** One line for the owner: which URLs are in trouble and why (null when all are well). */
  problems(): string | null {
    const bad = this.endpoints.filter((e) => e.health !== 'ok')
    if (bad.length === 0) return null
    const label: Record<EndpointHealth, string> = { ok: 'ok', 'rate-limited': 'rate limited', down: 'unreachable' }
    return bad.map((e) => `${redactUrl(e.url)}: ${label[e.health]}${e.lastError ? ` (${e.lastError})` : ''}`).join('; ')
  }

  async request<T>(method: string, params: unknown[]): Promise<T> {
    return (await this.client.request({ method, params })) as T
  }

  async block(tag: number | 'latest'): Promise<BlockHeader | null> {
    const param = tag === 'latest' ? 'latest' : `0x${tag.toString(16)}`
    const raw = await this.request<Record<string, unknown> | null>('eth_getBlockByNumber', [param, false])
    if (raw === null) return null
    return parseHeader(raw, 'eth_getBlockByNumber')
  }

  async logs(filter: LogFilter): Promise<RawLog[]> {
    const param: Record<string, unknown> = { address: filter.address, topics: filter.topics }
    if ('blockHash' in filter) param['blockHash'] = filter.blockHash
    else {
      param['fromBlock'] = `0x${filter.fromBlock.toString(16)}`
      param['toBlock'] = `0x${filter.toBlock.toString(16)}`
    }
    const raw = await this.request<unknown>('eth_getLogs', [param])
    if (!Array.isArray(raw)) throw new MalformedRpcResponseError('eth_getLogs', 'not an array')
    return raw as RawLog[]
  }
}

export function parseHeader(raw: Record<string, unknown>, what: string): BlockHeader {
  const { number, hash, parentHash, timestamp } = raw
  if (typeof number !== 'string' || typeof hash !== 'string' || typeof parentHash !== 'string' || typeof timestamp !== 'string')
    throw new MalformedRpcResponseError(what, 'header without number/hash/parentHash/timestamp')
  return {
    number: Number(BigInt(number)),
    hash: hash.toLowerCase(),
    parentHash: parentHash.toLowerCase(),
    timestamp: Number(BigInt(timestamp)),
  }
}

export type ErrorKind =
  { kind: 'rate-limit'; retryAfterMs: number | null } | { kind: 'transport' } | { kind: 'rpc'; code: number | null; message: string }

/**
 * What went wrong, from the error and its causes: a 429 (with its Retry-After),
 * a provider that did not answer (refused, reset, timed out, 5xx), or a
 * JSON-RPC error the provider did answer with.
 */
export function classifyError(error: unknown): ErrorKind {
  const chain: Array<Record<string, unknown>> = []
  let e: unknown = error
  for (let i = 0; i < 10 && e && typeof e === 'object'; i++) {
    chain.push(e as Record<string, unknown>)
    e = (e as { cause?: unknown }).cause
  }
  for (const link of chain) {
    const status = typeof link['status'] === 'number' ? link['status'] : null
    const code = typeof link['code'] === 'number' ? link['code'] : null
    const message = typeof link['message'] === 'string' ? link['message'] : ''
    const details = typeof link['details'] === 'string' ? link['details'] : ''
    if (status === 429 || code === 429 || /too many requests|rate limit/i.test(`${message} ${details}`)) {
      return { kind: 'rate-limit', retryAfterMs: retryAfterOf(chain) }
    }
  }
  for (const link of chain) {
    const name = typeof link['name'] === 'string' ? link['name'] : ''
    const status = typeof link['status'] === 'number' ? link['status'] : null
    if (name === 'EndpointCoolingError' || name === 'TimeoutError' || name === 'SocketClosedError' || name === 'WebSocketRequestError')
      return { kind: 'transport' }
    if (status !== null && status >= 400 && status !== 400) return { kind: 'transport' }
  }
  for (const link of chain) {
    const code = typeof link['code'] === 'number' ? link['code'] : null
    if (code !== null && code < 0) return { kind: 'rpc', code, message: String(link['details'] ?? link['message'] ?? '') }
  }
  // HttpRequestError without a status is fetch failing: refused, reset, DNS, TLS.
  for (const link of chain) if (link['name'] === 'HttpRequestError') return { kind: 'transport' }
  if (error instanceof MalformedRpcResponseError) return { kind: 'rpc', code: null, message: error.message }
  return { kind: 'transport' }
}

function retryAfterOf(chain: Array<Record<string, unknown>>): number | null {
  for (const link of chain) {
    const headers = link['headers'] as { get?: (name: string) => string | null } | undefined
    const value = typeof headers?.get === 'function' ? headers.get('retry-after') : null
    // An HTTP-date is wall-clock time, so it is read against Date.now(), not the monotonic clock.
    const parsed = parseRetryAfter(value, Date.now(), RPC_RETRY_AFTER_LIMITS)
    if (parsed !== null) return parsed
    // Some providers put it in the JSON-RPC error data instead (and over WebSocket there are no headers).
    // A JSON number is not bound by the header's digits-only grammar: 1.5 here means 1.5 s.
    const data = link['data'] as Record<string, unknown> | undefined
    const seconds = data && typeof data === 'object' ? (data['retryAfterSeconds'] ?? data['retry_after']) : undefined
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0)
      return Math.min(RPC_RETRY_AFTER_LIMITS.maxMs, seconds * 1000)
  }
  return null
}

function isTimeout(error: unknown): boolean {
  for (let e: unknown = error, i = 0; e && typeof e === 'object' && i < 10; e = (e as { cause?: unknown }).cause, i++)
    if ((e as { name?: unknown }).name === 'TimeoutError') return true
  return false
}

/** True when a provider refused an eth_getLogs because the block range (or result) is too large. */
export function isRangeRefusal(error: unknown): boolean {
  const kind = classifyError(error)
  if (kind.kind !== 'rpc') return false
  const text = `${kind.message} ${error instanceof Error ? error.message : ''}`
  if (
    kind.code === -32005 ||
    kind.code === -32602 ||
    kind.code === -32600 ||
    kind.code === -32000 ||
    kind.code === -32001 ||
    kind.code === -32011
  )
    return /range|block|limit|exceed|too (many|large|big)|results|10000|response size/i.test(text)
  return /block range|range (is )?too|exceed|max(imum)? .*range|query returned more than/i.test(text)
}

export function describeError(error: unknown): string {
  let status: number | null = null
  for (let e: unknown = error, i = 0; e && typeof e === 'object' && i < 10; e = (e as { cause?: unknown }).cause, i++) {
    const s = (e as { status?: unknown }).status
    if (typeof s === 'number') status = s
  }
  const prefix = status !== null ? `HTTP ${status}: ` : ''
  if (error instanceof BaseError) return prefix + (error.shortMessage.split('\n')[0] ?? error.name)
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name
  return String(error)
}

/** URLs may carry an API key in the path or query: show scheme://host only. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return 'rpc'
  }
}
