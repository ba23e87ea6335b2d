import type { ChainConfig, ChainConnection, ChainState } from '../../../src-preload/contract'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { CanonicalHashes, CanonicalProofRequest, ObservedTransfer, Payments } from '../payments'
import { backoff } from '../retry'
import { ChainClock } from './chainClock'
import { addressTopic, decodeTransfer, TRANSFER_TOPIC } from './erc20'
import { HeadFeed } from './headFeed'
import type { BlockHeader, RawLog } from './rpc'
import { ChainRpc, classifyError, describeError, isRangeRefusal } from './rpc'
import type { ChainStore } from './store'
import type { Refunds } from '../refunds'
import { errorFields, log } from '../log'

export interface WatcherTuning {
  /** Pace while a sale is open on the chain; default the chain's poll_interval_ms, else its block time (≥ 1 s). */
  pollIntervalMs?: number
  /** Pace with nothing open, and the safety poll under a live WebSocket; default 15 s. */
  idlePollIntervalMs: number
  requestTimeoutMs: number
  /**
   * Cap of the backoff after failures (per URL and per chain; default 30 s). A failed scan is
   * retried at the active pace, then twice as slowly each time up to this cap: a brief provider
   * hiccup costs one interval, a dead provider is asked about twice a minute.
   */
  maxBackoffMs: number
  /** Largest eth_getLogs range asked for; halves whenever a provider refuses one. */
  maxBlockRange: number
  /** Recent headers kept for finding a fork point. */
  reorgWindow: number
  /** Above this many watched addresses, logs are fetched per token and filtered locally instead of by topic. */
  topicAddressLimit: number
  /** Blocks behind the head to start from the first time a chain is watched (default: back to the oldest open sale). */
  initialLookbackBlocks?: number
  /** False: no timers at all, ticks only through pollNow() (deterministic tests). */
  autoPoll: boolean
  /**
   * WebSocket reconnects: from this delay (default 0.5 s), doubling up to the max (default 30 s).
   * HTTP polling covers the chain while the socket is away, so reconnects can afford to be patient.
   */
  wsReconnectMinMs: number
  wsReconnectMaxMs: number
  /**
   * A scan still waiting for the network after this long marks the chain offline at once (default 2 s), without
   * waiting for the request timeout: a frozen RPC otherwise keeps the till issuing QR codes nobody can see paid.
   */
  stallMs?: number
}

export interface WatcherHost {
  readonly payments: Payments
  readonly store: ChainStore
  readonly clock: Clock
  /** Refunds (#11): their outgoing transfers are looked for in the same scan, applied in the same commit. */
  readonly refunds?: Refunds
  /** Fetches the headers asked for (on their own chains) and completes what they prove. */
  prove(proofs: CanonicalProofRequest[], known: CanonicalHashes): Promise<void>
  stateChanged(state: ChainState): void
  oldestOpenSessionCreatedAt(): number | null
}

/** A log's block did not match the header fetched for it: a reorg happened between two calls. */
class ReorgRaceError extends Error {
  constructor(block: number) {
    super(`block ${block} changed while it was being read (reorg in progress)`)
  }
}

/** The node no longer has a block it reported a moment ago (it is behind another node of the fallback, or reorging). */
class MissingBlockError extends Error {
  constructor(block: number) {
    super(`block ${block} is not available from the node yet`)
  }
}

/**
 * Follows one chain: new heads (WebSocket subscription or HTTP polling), a
 * constant handful of RPC calls per new block range whatever the number of
 * open sessions, reorg detection against stored hashes, a persisted cursor,
 * and bounded catch-up. Every scan is committed in one transaction together
 * with the cursor, so a crash never skips or double-counts a block.
 */
export class ChainWatcher {
  readonly chainId: number
  readonly rpc: ChainRpc
  private state: ChainState
  private timer: NodeJS.Timeout | null = null
  private nextTickAt = Number.POSITIVE_INFINITY
  private running: Promise<void> | null = null
  private rerun = false
  private stopped = false
  private started = false
  private headHint: BlockHeader | null = null
  private lastFeedHead = -1
  private rangeLimit: number
  private forceForkAt: number | null = null
  private failures = 0
  private races = 0
  private readonly feed: HeadFeed | null
  /** The till's clock against this chain's block times. */
  private readonly chainClock: ChainClock
  /** performance.now() when the scan in progress began; null between scans. */
  private scanStartedAt: number | null = null
  private stallTimer: NodeJS.Timeout | null = null

  constructor(
    private readonly host: WatcherHost,
    readonly config: ChainConfig,
    private readonly tuning: WatcherTuning,
  ) {
    this.chainId = config.chain_id
    this.rangeLimit = tuning.maxBlockRange
    this.rpc = new ChainRpc(config.rpc_urls, { timeoutMs: tuning.requestTimeoutMs, maxBackoffMs: tuning.maxBackoffMs })
    this.chainClock = new ChainClock(host.clock)
    this.state = {
      chain_id: config.chain_id,
      connection: 'connecting',
      head: null,
      last_error: null,
      updated_at: nowSeconds(host.clock),
      clock_drift_seconds: null,
    }
    this.feed =
      config.ws_urls.length > 0 && tuning.autoPoll
        ? new HeadFeed(
            config.ws_urls,
            {
              onHead: (header) => {
                this.lastFeedHead = Math.max(this.lastFeedHead, header.number)
                if (!this.headHint || header.number >= this.headHint.number) this.headHint = header
                void this.pollNow()
              },
              onUp: () => {
                this.setState({ last_error: this.rpc.problems() })
                void this.pollNow()
              },
              onDown: (reason) => {
                this.setState({ last_error: `WebSocket: ${reason}; polling meanwhile` })
                // Poll within one interval while the socket is away.
                this.scheduleWithin(this.activeIntervalMs())
              },
            },
            { timeoutMs: tuning.requestTimeoutMs, minDelayMs: tuning.wsReconnectMinMs, maxDelayMs: tuning.wsReconnectMaxMs },
          )
        : null
  }

  /** True while new heads arrive by WebSocket subscription (diagnostics and tests). */
  get subscribed(): boolean {
    return this.feed?.isLive ?? false
  }

  /** Seconds to add to this chain's block times to put them on the till's clock (0 within the estimate's noise). */
  paymentOffsetSeconds(): number {
    return this.chainClock.paymentOffsetSeconds()
  }

  current(): ChainState {
    return { ...this.state }
  }

  start(): void {
    if (this.started) return
    this.started = true
    this.feed?.start()
    if (this.tuning.autoPoll) {
      void this.pollNow()
      const stallMs = this.tuning.stallMs ?? 2000
      // Looked at every tenth of the stall time: the till must say so within 3 s of the network freezing (#15),
      // and that is the poll interval + stallMs + this tick, plus the push to the screens.
      this.stallTimer = setInterval(() => this.checkStall(stallMs), Math.max(50, Math.floor(stallMs / 10)))
      this.stallTimer.unref?.()
    }
  }

  /** A scan that has waited on the network too long: tell the till now; the scan's own answer sets it back online. */
  private checkStall(stallMs: number): void {
    if (this.scanStartedAt === null || this.state.connection === 'offline') return
    const waited = performance.now() - this.scanStartedAt
    if (waited < stallMs) return
    this.setState({ connection: 'offline', last_error: `no answer from the network for ${Math.round(waited / 1000)} s` })
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.stallTimer) clearInterval(this.stallTimer)
    this.stallTimer = null
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.feed?.stop()
    await this.running?.catch(() => undefined)
  }

  /** Runs a scan now (after the one in progress) and resolves once the chain is caught up or the scan failed. */
  pollNow(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.running) {
      this.rerun = true
      return this.running
    }
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.nextTickAt = Number.POSITIVE_INFINITY
    this.rerun = false
    this.running = this.loop().then(
      ({ delay, failed }) => {
        this.running = null
        // Asked again after the last scan decided it was done (a head arrived just then): go again,
        // unless that scan failed and must back off.
        if (this.rerun && !failed && !this.stopped) return this.pollNow()
        this.rerun = false
        if (delay !== null) this.scheduleWithin(delay)
      },
      (error: unknown) => {
        // loop() handles its own errors; this is a bug, and must still not stop the watcher.
        this.running = null
        log('watcher').error({ chainId: this.chainId, ...errorFields(error) }, 'unexpected error')
        this.scheduleWithin(this.idleIntervalMs())
      },
    )
    return this.running
  }

  /** A sale just opened on this chain: switch from the idle pace to the counter pace. */
  wake(): void {
    // Under a live subscription heads arrive by themselves; the slow safety poll is enough.
    if (this.stopped || this.running || this.feed?.isLive) return
    this.scheduleWithin(this.activeIntervalMs())
  }

  /** A block believed canonical turned out not to be: rewind below it on the next scan. */
  rewindBelow(blockNumber: number): void {
    const fork = Math.max(0, blockNumber - 1)
    this.forceForkAt = this.forceForkAt === null ? fork : Math.min(this.forceForkAt, fork)
    void this.pollNow()
  }

  /** Canonical hashes of the given blocks right now (for the proof before COMPLETED). */
  async canonicalHashes(blockNumbers: Iterable<number>): Promise<Map<number, string>> {
    const out = new Map<number, string>()
    for (const n of new Set(blockNumbers)) {
      const header = await this.rpc.block(n)
      if (header) out.set(n, header.hash)
    }
    return out
  }

  activeIntervalMs(): number {
    return Math.max(50, this.tuning.pollIntervalMs ?? this.config.poll_interval_ms ?? Math.max(1000, this.config.block_time_ms))
  }

  private idleIntervalMs(): number {
    return Math.max(this.activeIntervalMs(), this.tuning.idlePollIntervalMs)
  }

  private scheduleWithin(delayMs: number): void {
    if (this.stopped || !this.tuning.autoPoll || this.running) return
    const at = performance.now() + delayMs
    if (this.timer && this.nextTickAt <= at) return
    if (this.timer) clearTimeout(this.timer)
    this.nextTickAt = at
    this.timer = setTimeout(() => {
      this.timer = null
      this.nextTickAt = Number.POSITIVE_INFINITY
      void this.pollNow()
    }, delayMs)
    this.timer.unref?.()
  }

  private async loop(): Promise<{ delay: number | null; failed: boolean }> {
    for (;;) {
      if (this.stopped) return { delay: null, failed: false }
      this.rerun = false
      try {
        this.scanStartedAt = performance.now()
        const caughtUp = await this.tick().finally(() => (this.scanStartedAt = null))
        this.failures = 0
        this.races = 0
        this.setState({ connection: 'online', last_error: this.feedProblem() ?? this.rpc.problems() })
        if (caughtUp && !this.rerun) break
      } catch (error) {
        if (error instanceof ReorgRaceError && this.races++ < 5) continue
        const delay = this.failed(error)
        return { delay: this.tuning.autoPoll ? delay : null, failed: true }
      }
      // Let the rest of the app breathe between catch-up ranges.
      await new Promise((resolve) => setImmediate(resolve))
    }
    if (this.stopped || !this.tuning.autoPoll) return { delay: null, failed: false }
    const open = this.safe(() => this.host.store.awaitsMoney(this.chainId), false)
    return { delay: this.feed?.isLive ? this.idleIntervalMs() : open ? this.activeIntervalMs() : this.idleIntervalMs(), failed: false }
  }

  private failed(error: unknown): number {
    this.failures++
    const kind = classifyError(error)
    const detail = this.rpc.problems() ?? describeError(error)
    let connection: ChainConnection = this.state.connection
    if (this.rpc.allDown()) connection = 'offline'
    const rateLimited = kind.kind === 'rate-limit' || this.rpc.rateLimited()
    this.setState({ connection, last_error: rateLimited && !detail.includes('rate limited') ? `rate limited: ${detail}` : detail })
    // No jitter: one scan loop per chain, nothing to spread out (see maxBackoffMs for the numbers).
    const wait = backoff(this.failures, { baseMs: this.activeIntervalMs(), maxMs: this.tuning.maxBackoffMs })
    // Honour Retry-After: no call before some URL may be asked again.
    return Math.max(wait, this.rpc.nextAvailableIn())
  }

  private feedProblem(): string | null {
    if (!this.feed || this.feed.isLive) return null
    return 'WebSocket down; polling over HTTP'
  }

  private safe<T>(fn: () => T, fallback: T): T {
    try {
      return fn()
    } catch {
      return fallback
    }
  }

  private setState(patch: Partial<Omit<ChainState, 'chain_id' | 'updated_at'>>): void {
    const next = { ...this.state, ...patch }
    if (
      next.connection === this.state.connection &&
      next.head === this.state.head &&
      next.last_error === this.state.last_error &&
      next.clock_drift_seconds === this.state.clock_drift_seconds
    )
      return
    this.state = { ...next, updated_at: nowSeconds(this.host.clock) }
    this.host.stateChanged({ ...this.state })
  }

  // ------------------------------------------------------------------ one scan

  /** Scans the next range of blocks; true when the cursor reached the head. */
  private async tick(): Promise<boolean> {
    const { store, payments } = this.host
    const chainId = this.chainId
    const headers = new Map<number, BlockHeader>()
    const header = async (n: number): Promise<BlockHeader> => {
      const known = headers.get(n)
      if (known) return known
      const fetched = await this.rpc.block(n)
      if (!fetched) throw new MissingBlockError(n)
      headers.set(n, fetched)
      return fetched
    }

    let cursor = store.cursor(chainId)
    // A pushed head saves a call, but only when it is news: a late or replayed notification at or
    // below the cursor must not look like a shorter chain, so then ask the node.
    const hint = this.headHint
    this.headHint = null
    let latest = hint && (!cursor || hint.number > cursor.number) ? hint : null
    if (!latest) {
      latest = await this.rpc.block('latest')
      if (!latest) throw new MissingBlockError(-1)
      // A live feed that stopped delivering while blocks kept coming: reconnect it.
      if (this.feed?.isLive && this.lastFeedHead >= 0 && latest.number > this.lastFeedHead + 2)
        this.feed.restart('no new heads for several blocks')
    }
    headers.set(latest.number, latest)
    this.chainClock.saw(latest)
    this.setState({ head: latest.number, clock_drift_seconds: this.chainClock.tillAheadSeconds() })

    if (!cursor) {
      // The cursor means "scanned up to here", so it starts one below the first block to scan.
      const start = Math.max(0, latest.number - this.initialLookback() - 1)
      const first = await header(start)
      payments.commit(() => {
        store.saveHeaders(chainId, [first])
        store.setCursor(chainId, first, nowSeconds(this.host.clock))
      })
      cursor = { number: first.number, hash: first.hash }
    }

    let fork: number | null = null
    if (this.forceForkAt !== null) {
      fork = Math.min(this.forceForkAt, cursor.number)
      this.forceForkAt = null
    } else if (latest.number > cursor.number) {
      const next = await header(cursor.number + 1)
      if (next.parentHash !== cursor.hash) fork = await this.findFork(cursor.number - 1, cursor.number, header)
    } else if (latest.number === cursor.number) {
      if (latest.hash === cursor.hash) return true
      fork = await this.findFork(cursor.number - 1, cursor.number, header)
    } else {
      // Lower than what we scanned. If its block is the one we have at that height, this node is merely
      // behind (another URL of the fallback, still syncing): wait, rather than unwind payments it has not seen yet.
      // Otherwise the chain really is shorter now (reset to a snapshot, or a deep reorg in progress).
      if (store.block(chainId, latest.number)?.hash === latest.hash) return true
      fork = await this.findFork(latest.number, cursor.number, header)
    }

    const scanFrom = (fork ?? cursor.number) + 1
    const scanTo = Math.min(latest.number, scanFrom + this.rangeLimit - 1)
    let transfers: ObservedTransfer[] = []
    let outgoing: ObservedTransfer[] = []
    let last: BlockHeader
    if (scanFrom > scanTo) {
      last = await header(scanTo)
    } else {
      const scanned = await this.scanRange(scanFrom, scanTo, header)
      transfers = scanned.transfers
      outgoing = scanned.outgoing
      last = scanned.last
    }
    // A refund deep enough to succeed needs its block proven canonical, as a payment does: at the head with one
    // confirmation it is the block just read; deeper, its header is fetched once, at that moment.
    const refunds = this.host.refunds
    if (refunds) for (const n of refunds.blocksToProve(chainId, latest.number)) if (n <= last.number) await header(n)

    const canonical = new Map<number, string>()
    for (const h of headers.values()) if (h.number <= latest.number) canonical.set(h.number, h.hash)
    const tillAheadSeconds = this.chainClock.paymentOffsetSeconds()
    const result = payments.observe({ chainId, head: latest.number, orphanAbove: fork, transfers, canonical, tillAheadSeconds }, () => {
      refunds?.observe({ chainId, head: latest.number, orphanAbove: fork, outgoing, canonical, tillAheadSeconds })
      if (fork !== null) store.dropAbove(chainId, fork)
      // Headers above the new cursor are not kept: the next scan links from the cursor itself.
      store.saveHeaders(
        chainId,
        [...headers.values()].filter((h) => h.number <= last.number),
      )
      store.setCursor(chainId, last, nowSeconds(this.host.clock))
      store.prune(chainId, last.number - this.tuning.reorgWindow)
    })
    if (result.proofsNeeded.length > 0) await this.host.prove(result.proofsNeeded, new Map([[chainId, canonical]]))
    return last.number >= latest.number
  }

  private initialLookback(): number {
    if (this.tuning.initialLookbackBlocks !== undefined) return this.tuning.initialLookbackBlocks
    const oldest = this.safe(() => this.host.oldestOpenSessionCreatedAt(), null)
    if (oldest === null) return 0
    // Sales opened before the watcher first ran: start early enough to see their payments.
    const ageMs = Math.max(0, nowSeconds(this.host.clock) - oldest) * 1000
    return Math.min(5000, Math.ceil(ageMs / Math.max(1, this.config.block_time_ms)) + 2)
  }

  /**
   * Walks back from `startAt` through the stored headers until one still
   * matches the chain: that block is the fork point. Returns the block below
   * the window when nothing matches (rescan all of it).
   */
  private async findFork(startAt: number, cursorNumber: number, header: (n: number) => Promise<BlockHeader>): Promise<number> {
    const floor = Math.max(0, cursorNumber - this.tuning.reorgWindow)
    const stored = this.host.store.blocksDescending(this.chainId, startAt, this.tuning.reorgWindow + 1)
    for (const s of stored) {
      if (s.number < floor) break
      const canonical = await header(s.number)
      if (canonical.hash === s.hash) return s.number
    }
    return Math.max(0, floor - 1)
  }

  private targets(): { tokens: string[]; addresses: Set<string> } {
    const { store } = this.host
    const reserved = store.reservedTargets(this.chainId)
    const tokens = new Set<string>(reserved.tokens)
    for (const t of this.config.tokens) if (t.enabled) tokens.add(t.address)
    const addresses = new Set<string>(reserved.addresses)
    for (const a of store.shopAddresses()) addresses.add(a)
    return { tokens: [...tokens], addresses }
  }

  /**
   * The Transfer logs of the range: payments to the shop's addresses and, while
   * refunds are open, transfers to their destinations (whether the sender is
   * the shop is checked in code, not by filtering on the thousands of xpub
   * children). Refund destinations ride in the payments' own request while the
   * topic list stays small; past that, one more request with topic 2 = the
   * destinations, whatever their number. No open refund: not one extra request.
   */
  private async scanRange(
    from: number,
    to: number,
    header: (n: number) => Promise<BlockHeader>,
  ): Promise<{ transfers: ObservedTransfer[]; outgoing: ObservedTransfer[]; last: BlockHeader }> {
    const { tokens, addresses } = this.targets()
    const open = this.host.refunds?.openTargets(this.chainId) ?? { destinations: [], tokens: [] }
    const destinations = open.destinations
    if ((tokens.length === 0 || addresses.size === 0) && destinations.length === 0)
      return { transfers: [], outgoing: [], last: await header(to) }
    const lowerAddresses = new Set([...addresses].map((a) => a.toLowerCase()))
    const lowerDestinations = new Set(destinations.map((a) => a.toLowerCase()))
    const paymentTokens = new Set(tokens.map((t) => t.toLowerCase()))
    const refundTokens = new Set(open.tokens.map((t) => t.toLowerCase()))
    const limit = this.tuning.topicAddressLimit
    const requests: Array<{ address: string[]; topics: Array<string | string[] | null> }> = []
    if (addresses.size > limit) {
      // Past a few hundred addresses the filter itself gets too big for providers: every transfer of the
      // tokens comes back and is filtered here, refunds' included.
      requests.push({ address: [...new Set([...tokens, ...open.tokens])], topics: [TRANSFER_TOPIC, null, null] })
    } else if (addresses.size + destinations.length <= limit) {
      const targets = [...addresses, ...destinations]
      requests.push({ address: [...new Set([...tokens, ...open.tokens])], topics: [TRANSFER_TOPIC, null, targets.map(addressTopic)] })
    } else {
      if (addresses.size > 0 && tokens.length > 0)
        requests.push({ address: tokens, topics: [TRANSFER_TOPIC, null, [...addresses].map(addressTopic)] })
      requests.push({ address: open.tokens, topics: [TRANSFER_TOPIC, null, destinations.map(addressTopic)] })
    }

    let end = to
    let logs: RawLog[]
    for (;;) {
      try {
        logs = []
        for (const request of requests)
          // One block: ask by hash, so the logs belong to exactly the header we linked (no race with a reorg).
          logs.push(
            ...(from === end
              ? await this.rpc.logs({ ...request, blockHash: (await header(from)).hash })
              : await this.rpc.logs({ ...request, fromBlock: from, toBlock: end })),
          )
        break
      } catch (error) {
        if (!isRangeRefusal(error) || from === end) throw error
        // The provider refuses ranges this large: remember a smaller one and retry at once.
        this.rangeLimit = Math.max(1, Math.floor((end - from + 1) / 2))
        end = from + this.rangeLimit - 1
      }
    }

    const last = await header(end)
    const transfers: ObservedTransfer[] = []
    const outgoing: ObservedTransfer[] = []
    const seen = new Set<string>()
    for (const log of logs) {
      const decoded = decodeTransfer(this.chainId, log)
      if (!decoded) continue
      if (decoded.blockNumber < from || decoded.blockNumber > end) continue
      const token = decoded.tokenAddress.toLowerCase()
      const to = decoded.to.toLowerCase()
      const payment = lowerAddresses.has(to) && paymentTokens.has(token)
      const refund = lowerDestinations.has(to) && refundTokens.has(token)
      if (!payment && !refund) continue
      // Two requests may return the same log (a destination that is also watched some other way).
      const key = `${decoded.txHash}:${decoded.logIndex}`
      if (seen.has(key)) continue
      seen.add(key)
      const block = await header(decoded.blockNumber)
      if (block.hash !== decoded.blockHash) throw new ReorgRaceError(decoded.blockNumber)
      if (payment) transfers.push({ ...decoded, blockTimestamp: block.timestamp })
      if (refund) outgoing.push({ ...decoded, blockTimestamp: block.timestamp })
    }
    return { transfers, outgoing, last }
  }
}
