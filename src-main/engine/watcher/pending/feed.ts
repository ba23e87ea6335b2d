import { webSocket } from 'viem'
import type { PendingFeedKind } from '../../../../src-preload/contract'
import { classifyError, describeError } from '../rpc'
import { backoff } from '../../retry'
import { log } from '../../log'
import type { Subscription, WsClient, WsTransport } from '../headFeed'

/** JSON-RPC over the chain's HTTP URLs (the watcher's own client, with its backoff and Retry-After). */
export interface PendingRpc {
  request<T>(method: string, params: unknown[]): Promise<T>
}

/** A transaction as nodes return it (the fields read here). */
export interface RpcTransaction {
  hash: string
  from: string
  to: string | null
  input: string
  nonce: string
  blockNumber?: string | null
}

export interface PendingFeedSink {
  /** A whole transaction, straight from the node. */
  transaction(tx: RpcTransaction): void
  /** Only a hash: the sink fetches the transaction if it wants it. */
  hash(hash: string): void
  /** Detected (or found missing): the chain's status shows it. */
  kindChanged(kind: PendingFeedKind): void
}

export interface PendingFeedOptions {
  wsUrls: readonly string[]
  http: PendingRpc
  timeoutMs: number
  /** How often the HTTP filter is asked for new transactions. */
  filterPollMs: number
  /** First delay before reopening a dropped socket or a failed filter; doubles up to maxDelayMs. */
  minDelayMs: number
  maxDelayMs: number
}

type Attempt = 'ok' | 'refused' | 'unreachable'

// viem keeps one socket per URL and options. A keep-alive interval of its own gives each connection a
// socket nobody else holds, so closing it never cuts the head feed's, another till's, or the next one's.
let sockets = 0

/**
 * Transactions entering the pool of one chain's node, for as long as
 * `open()` holds: a WebSocket `newPendingTransactions` subscription (whole
 * transactions where the node offers them, else hashes), or else an HTTP
 * pending-transaction filter. Which one the node offers is found once, the
 * first time the feed opens, and kept (`kind`). Closed, it holds no socket,
 * no filter and sends nothing.
 */
export class PendingFeed {
  kind: PendingFeedKind | undefined
  private opened = false
  private generation = 0
  private transport: WsTransport | null = null
  private client: WsClient | null = null
  private subscription: Subscription | null = null
  private filterId: string | null = null
  private timer: NodeJS.Timeout | null = null
  /** Failed tries in a row, for the backoff before the next one. */
  private failures = 0
  private urlIndex = 0
  private fullTransactions = true

  constructor(
    private readonly options: PendingFeedOptions,
    private readonly sink: PendingFeedSink,
  ) {}

  /** True while transactions are arriving (a live subscription or an installed filter). */
  get isLive(): boolean {
    return this.subscription !== null || this.filterId !== null
  }

  /** Starts following the pool (finding out how, the first time). Resolves once live, found missing, or failed for now. */
  async open(): Promise<void> {
    if (this.opened) return
    this.opened = true
    this.failures = 0
    await this.connect(++this.generation)
  }

  /** Stops following the pool: unsubscribes, closes the socket, uninstalls the filter. */
  async close(): Promise<void> {
    if (!this.opened) return
    this.opened = false
    this.generation++
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const subscription = this.subscription
    const filterId = this.filterId
    const client = this.client
    const transport = this.transport
    this.subscription = null
    this.filterId = null
    this.client = null
    this.transport = null
    // Best effort on both: the node forgets a subscription with its socket, and an unpolled filter after a few minutes.
    if (subscription) await withTimeout(subscription.unsubscribe(), 200)
    if (client) client.close()
    else if (transport) closeTransport(transport)
    if (filterId) await withTimeout(this.options.http.request('eth_uninstallFilter', [filterId]), 500)
  }

  /** A JSON-RPC call on the feed's socket while it is live (no HTTP round trip), else over HTTP. */
  async request<T>(method: string, params: unknown[]): Promise<T> {
    if (this.subscription && this.transport) return (await this.transport.request({ method, params } as never)) as T
    return this.options.http.request<T>(method, params)
  }

  private async connect(generation: number): Promise<void> {
    if (!this.opened || generation !== this.generation || this.kind === 'none') return
    // Found before: keep to it, and when it fails try again later.
    if (this.kind === 'ws') {
      if ((await this.subscribe(generation)) !== 'ok') this.retryLater(generation)
      return
    }
    if (this.kind === 'filter') {
      if ((await this.installFilter(generation)) === 'ok') this.schedulePoll(generation)
      else this.retryLater(generation)
      return
    }
    // Finding out: the socket first, then the HTTP filter.
    const ws: Attempt = this.options.wsUrls.length > 0 ? await this.subscribe(generation) : 'refused'
    if (generation !== this.generation) return
    if (ws === 'ok') return this.found('ws')
    const filter = await this.installFilter(generation)
    if (generation !== this.generation) return
    if (filter === 'ok') {
      this.found('filter')
      this.schedulePoll(generation)
      return
    }
    // Only when every way was refused by a node that answered: a node down, or a socket that would not
    // open, decides nothing, and the next try asks again.
    if (ws === 'refused' && filter === 'refused') return this.found('none')
    this.retryLater(generation)
  }

  private found(kind: PendingFeedKind): void {
    this.failures = 0
    if (this.kind === kind) return
    this.kind = kind
    this.sink.kindChanged(kind)
  }

  private async subscribe(generation: number): Promise<Attempt> {
    const url = this.options.wsUrls[this.urlIndex % this.options.wsUrls.length]!
    const transport = webSocket(url, {
      keepAlive: { interval: 25_000 + (sockets++ % 5_000) },
      reconnect: false,
      retryCount: 0,
      timeout: this.options.timeoutMs,
    })({ retryCount: 0 })
    this.transport = transport
    let established = false
    const onData = (data: { result?: unknown }) => {
      if (generation !== this.generation || !this.opened) return
      const result = data.result
      if (typeof result === 'string') this.sink.hash(result)
      else if (result && typeof result === 'object') this.sink.transaction(result as RpcTransaction)
    }
    const onError = (error: unknown) => {
      if (established) this.dropped(generation, error)
    }
    const attempt = async (full: boolean): Promise<Subscription> =>
      (await transport.value!.subscribe({
        // `true` asks for whole transactions (geth, anvil, reth); a node that does not know it refuses the call.
        params: (full ? ['newPendingTransactions', true] : ['newPendingTransactions']) as never,
        onData,
        onError,
      })) as Subscription
    try {
      let subscription: Subscription
      try {
        subscription = await attempt(this.fullTransactions)
      } catch (error) {
        if (!this.fullTransactions || classifyError(error).kind !== 'rpc') throw error
        this.fullTransactions = false
        subscription = await attempt(false)
      }
      if (generation !== this.generation || !this.opened) {
        void subscription.unsubscribe().catch(() => undefined)
        closeTransport(transport)
        return 'unreachable'
      }
      this.client = await transport.value!.getRpcClient()
      // A socket that closed while the subscription was being confirmed told nobody.
      if (this.client.socket?.readyState !== 1) throw new Error('socket closed while subscribing')
      this.subscription = subscription
      established = true
      return 'ok'
    } catch (error) {
      closeTransport(transport)
      if (this.transport === transport) this.transport = null
      this.client = null
      if (classifyError(error).kind === 'rpc') return 'refused'
      this.urlIndex++
      return 'unreachable'
    }
  }

  private dropped(generation: number, error: unknown): void {
    if (generation !== this.generation || !this.opened) return
    this.generation++
    this.subscription = null
    this.closeSocket()
    this.urlIndex++
    log('pending').warn({ reason: describeError(error) }, 'pending transactions: WebSocket dropped; reconnecting')
    this.retryLater(this.generation)
  }

  private closeSocket(): void {
    const client = this.client
    const transport = this.transport
    this.client = null
    this.transport = null
    if (client) client.close()
    else if (transport) closeTransport(transport)
  }

  private async installFilter(generation: number): Promise<Attempt> {
    try {
      const id = await this.options.http.request<unknown>('eth_newPendingTransactionFilter', [])
      if (typeof id !== 'string') return 'refused'
      if (generation !== this.generation || !this.opened) {
        void this.options.http.request('eth_uninstallFilter', [id]).catch(() => undefined)
        return 'unreachable'
      }
      this.filterId = id
      return 'ok'
    } catch (error) {
      return classifyError(error).kind === 'rpc' ? 'refused' : 'unreachable'
    }
  }

  private schedulePoll(generation: number): void {
    if (!this.opened || generation !== this.generation) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.poll(generation)
    }, this.options.filterPollMs)
    this.timer.unref?.()
  }

  private async poll(generation: number): Promise<void> {
    const id = this.filterId
    if (!id || generation !== this.generation) return
    let changes: unknown
    try {
      changes = await this.options.http.request<unknown>('eth_getFilterChanges', [id])
    } catch (error) {
      if (generation !== this.generation) return
      // A node that forgot the filter (restarted, or another node behind the same URL): install a new one.
      this.filterId = null
      if (classifyError(error).kind === 'rpc') void this.connect(generation)
      else this.retryLater(generation)
      return
    }
    if (generation !== this.generation || !this.opened) return
    if (Array.isArray(changes))
      for (const item of changes) {
        if (typeof item === 'string') this.sink.hash(item)
        else if (item && typeof item === 'object') this.sink.transaction(item as RpcTransaction)
      }
    this.failures = 0
    this.schedulePoll(generation)
  }

  private retryLater(generation: number): void {
    if (!this.opened || generation !== this.generation || this.timer) return
    // Same doubling as the head feed's reconnects (engine/retry.ts), with this feed's own numbers.
    const delay = backoff(++this.failures, { baseMs: this.options.minDelayMs, maxMs: this.options.maxDelayMs })
    this.timer = setTimeout(() => {
      this.timer = null
      void this.connect(generation)
    }, delay)
    this.timer.unref?.()
  }
}

function closeTransport(transport: WsTransport): void {
  transport
    .value!.getRpcClient()
    .then((client) => client.close())
    .catch(() => undefined)
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))])
  clearTimeout(timer)
}
