import { webSocket } from 'viem'
import { backoff } from '../retry'
import type { BlockHeader } from './rpc'
import { describeError, parseHeader } from './rpc'

export interface HeadFeedHandlers {
  onHead(header: BlockHeader): void
  /** The subscription is live (first time or after a reconnect): catch up now. */
  onUp(): void
  /** The socket dropped or could not be opened: poll until it is back. */
  onDown(reason: string): void
}

export interface HeadFeedOptions {
  timeoutMs: number
  /** First reconnect delay; doubles up to maxDelayMs (the numbers are explained in WatcherTuning). */
  minDelayMs: number
  maxDelayMs: number
}

/** viem's WebSocket transport and its RPC client, as both feeds (heads here, the pool in pending/feed.ts) use them. */
export type WsTransport = ReturnType<ReturnType<typeof webSocket>>
export type WsClient = Awaited<ReturnType<NonNullable<WsTransport['value']>['getRpcClient']>>
export interface Subscription {
  unsubscribe: () => Promise<unknown>
}

/**
 * New heads by `eth_subscribe` over viem's WebSocket transport, used only to
 * wake the watcher the moment a block exists (reads stay on the HTTP
 * fallback). viem's own reconnect is off: on a drop this feed tells the
 * watcher (which polls meanwhile), closes the dead client so viem's socket
 * cache forgets it, and resubscribes with backoff, rotating through the URLs.
 */
export class HeadFeed {
  private stopped = false
  private transport: WsTransport | null = null
  private client: WsClient | null = null
  private subscription: Subscription | null = null
  private timer: NodeJS.Timeout | null = null
  /** Reconnects tried since the feed was last live. */
  private failures = 0
  private urlIndex = 0
  private live = false
  private generation = 0

  constructor(
    private readonly urls: readonly string[],
    private readonly handlers: HeadFeedHandlers,
    private readonly options: HeadFeedOptions,
  ) {}

  get isLive(): boolean {
    return this.live
  }

  start(): void {
    void this.connect()
  }

  /** Drops the current socket and reconnects (used when the feed looks stalled). */
  restart(reason: string): void {
    if (this.stopped) return
    this.dropped(this.generation, new Error(reason))
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.urls.length === 0) return
    const generation = ++this.generation
    const url = this.urls[this.urlIndex % this.urls.length]!
    const transport = webSocket(url, { reconnect: false, retryCount: 0, timeout: this.options.timeoutMs })({ retryCount: 0 })
    this.transport = transport
    try {
      const subscription = (await transport.value!.subscribe({
        params: ['newHeads'],
        onData: (data: { result?: unknown }) => {
          if (generation !== this.generation || this.stopped) return
          try {
            this.handlers.onHead(parseHeader(data.result as Record<string, unknown>, 'newHeads'))
          } catch (error) {
            this.handlers.onDown(`bad newHeads notification: ${describeError(error)}`)
          }
        },
        onError: (error: unknown) => this.dropped(generation, error),
      })) as Subscription
      if (this.stopped || generation !== this.generation) {
        void subscription.unsubscribe().catch(() => undefined)
        closeClient(transport)
        return
      }
      this.subscription = subscription
      // The cached client the subscription runs on (resolves at once): closed by reference on a drop.
      this.client = await transport.value!.getRpcClient()
      // A socket that died while the subscription was being confirmed told nobody (the subscription was not
      // registered yet when the close arrived): treat it as dropped rather than wait on a dead line.
      if (this.client.socket?.readyState !== 1) {
        this.dropped(generation, new Error('socket closed while subscribing'))
        return
      }
      this.live = true
      this.failures = 0
      this.handlers.onUp()
    } catch (error) {
      if (generation !== this.generation) return
      closeClient(transport)
      this.transport = null
      this.urlIndex++
      this.handlers.onDown(`${describeError(error)}`)
      this.retryLater()
    }
  }

  private dropped(generation: number, error: unknown): void {
    if (this.stopped || generation !== this.generation) return
    // Invalidate callbacks of the old socket before anything else can arrive on it.
    this.generation++
    const wasLive = this.live
    this.live = false
    this.subscription = null
    this.client?.close()
    this.client = null
    this.transport = null
    if (wasLive) this.handlers.onDown(describeError(error))
    this.urlIndex++
    this.retryLater()
  }

  private retryLater(): void {
    if (this.stopped || this.timer) return
    const delay = backoff(++this.failures, { baseMs: this.options.minDelayMs, maxMs: this.options.maxDelayMs })
    this.timer = setTimeout(() => {
      this.timer = null
      void this.connect()
    }, delay)
    this.timer.unref?.()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.generation++
    this.live = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const subscription = this.subscription
    this.subscription = null
    this.transport = null
    // Best effort: the node forgets the subscription anyway when the socket closes.
    if (subscription)
      await Promise.race([subscription.unsubscribe().catch(() => undefined), new Promise((r) => setTimeout(r, 200).unref?.())])
    this.client?.close()
    this.client = null
  }
}

/**
 * Closes the socket behind a transport whose subscription failed and removes
 * it from viem's socket cache (a dead cached client is never replaced otherwise).
 */
function closeClient(transport: WsTransport): void {
  transport
    .value!.getRpcClient()
    .then((client) => client.close())
    .catch(() => undefined)
}
