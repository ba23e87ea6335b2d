import type { ChainConfig, ChainState } from '../../../src-preload/contract'
import type { Engine } from '..'
import type { Clock } from '../clock'
import type { CanonicalHashes, CanonicalProofRequest } from '../payments'
import { Payments } from '../payments'
import type { WatcherHost, WatcherTuning } from './chainWatcher'
import { ChainWatcher } from './chainWatcher'
import { ChainRpc } from './rpc'
import { setWalletProbe } from '../receive'
import { ChainStore } from './store'
import type { PendingOptions } from './pending'
import { PendingTracking } from './pending'
import { errorFields, log } from '../log'

export interface ChainWatchersOptions extends Partial<WatcherTuning> {
  /** Wall clock for session decisions and state timestamps; default the engine's. Timers and backoff use real time. */
  clock?: Clock
  /** Watch only these chains (default: every enabled chain). */
  chainIds?: number[]
  /** How often enabled chains and their settings are re-read (a changed RPC URL restarts that chain); default 5 s. */
  reconcileIntervalMs?: number
  /** "Payment incoming" from the transaction pool (runs only with autoPoll); false turns it off. */
  pending?: PendingOptions | false
}

const DEFAULT_TUNING: WatcherTuning = {
  idlePollIntervalMs: 15_000,
  requestTimeoutMs: 8_000,
  maxBackoffMs: 30_000,
  maxBlockRange: 1_000,
  reorgWindow: 128,
  topicAddressLimit: 200,
  autoPoll: true,
  wsReconnectMinMs: 500,
  wsReconnectMaxMs: 30_000,
}

/**
 * One watcher per enabled chain, the crediting logic they feed, and the
 * proof step before COMPLETED (a header fetched on the transfer's own chain).
 * `start()` returns stop(), like every long-running service of the engine.
 */
export class ChainWatchers {
  readonly payments: Payments
  private readonly store: ChainStore
  private readonly clock: Clock
  private readonly tuning: WatcherTuning
  private readonly running = new Map<number, { watcher: ChainWatcher; signature: string }>()
  private readonly cleanups: Array<() => void> = []
  private started = false
  /** "Payment incoming" from the transaction pool, per chain; null when off. */
  readonly pending: PendingTracking | null

  constructor(
    private readonly engine: Engine,
    private readonly options: ChainWatchersOptions = {},
  ) {
    this.clock = options.clock ?? engine.clock
    const tuning: WatcherTuning = { ...DEFAULT_TUNING }
    for (const [key, value] of Object.entries(options))
      if (value !== undefined && key in DEFAULT_TUNING) Object.assign(tuning, { [key]: value })
    if (options.pollIntervalMs !== undefined) tuning.pollIntervalMs = options.pollIntervalMs
    if (options.initialLookbackBlocks !== undefined) tuning.initialLookbackBlocks = options.initialLookbackBlocks
    this.tuning = tuning
    this.store = new ChainStore(engine.db)
    this.payments = new Payments({
      db: engine.db,
      clock: this.clock,
      events: engine.events,
      sessions: engine.sessions,
    })
    // The receiving-address check (receive/wallet.ts) asks through the chain's own RPC client when it is watched.
    setWalletProbe(
      engine.db,
      (chain) => this.running.get(chain.chain_id)?.watcher.rpc ?? new ChainRpc(chain.rpc_urls, { timeoutMs: 5000, maxBackoffMs: 1000 }),
    )
    engine.sessions.networkOffline = (chainId) => this.running.get(chainId)?.watcher.current().connection === 'offline'
    this.pending =
      tuning.autoPoll && options.pending !== false
        ? new PendingTracking(
            { ...engine, clock: this.clock, hasOpenSale: (chainId) => this.store.hasOpenSession(chainId) },
            { requestTimeoutMs: tuning.requestTimeoutMs, ...options.pending },
          )
        : null
  }

  start(): () => Promise<void> {
    if (this.started) throw new Error('chain watchers already started')
    this.started = true
    this.reconcile()
    if (this.tuning.autoPoll) {
      const timer = setInterval(() => this.reconcile(), this.options.reconcileIntervalMs ?? 5_000)
      timer.unref()
      // A sale just opened: its chain leaves the idle pace within a second. A cheap indexed query rather
      // than a session:updated listener, which would make every session change build its API object.
      const pace = setInterval(() => this.wakeChainsWithOpenSales(), 1_000)
      pace.unref()
      this.cleanups.push(
        () => clearInterval(timer),
        () => clearInterval(pace),
      )
    }
    return () => this.stop()
  }

  private async stop(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    const watchers = [...this.running.values()].map((r) => r.watcher)
    this.running.clear()
    await this.pending?.stop()
    await Promise.all(watchers.map((w) => w.stop()))
    this.started = false
  }

  private wakeChainsWithOpenSales(): void {
    for (const { watcher } of this.running.values()) {
      try {
        if (this.store.awaitsMoney(watcher.chainId)) watcher.wake()
      } catch {
        // A busy or closing database: the regular pace still applies.
      }
    }
  }

  /** Re-reads enabled chains now: starts new ones, restarts changed ones, stops disabled ones. */
  reload(): void {
    if (this.started) this.reconcile()
  }

  private reconcile(): void {
    try {
      this.reconcileOrThrow()
    } catch (error) {
      // Never fatal: the chains already running go on, and the next reconcile tries again.
      log('watcher').error(errorFields(error), 'cannot apply network settings')
    }
  }

  private reconcileOrThrow(): void {
    const chains: ChainConfig[] = this.engine.networks.list()
    const wanted = new Map<number, ChainConfig>()
    for (const chain of chains) {
      if (!chain.enabled) continue
      if (this.options.chainIds && !this.options.chainIds.includes(chain.chain_id)) continue
      wanted.set(chain.chain_id, chain)
    }
    for (const [chainId, entry] of [...this.running]) {
      const chain = wanted.get(chainId)
      if (chain && signatureOf(chain) === entry.signature) continue
      this.running.delete(chainId)
      this.pending?.forget(chainId)
      void entry.watcher.stop()
    }
    for (const [chainId, chain] of wanted) {
      if (this.running.has(chainId)) continue
      const watcher = new ChainWatcher(this.host, chain, this.tuning)
      this.running.set(chainId, { watcher, signature: signatureOf(chain) })
      this.engine.events.emit('chain:state-changed', watcher.current())
      watcher.start()
      this.pending?.follow(watcher)
    }
  }

  states(): ChainState[] {
    return [...this.running.values()].map((r) => this.withPending(r.watcher.current())).sort((a, b) => a.chain_id - b.chain_id)
  }

  watcher(chainId: number): ChainWatcher | undefined {
    return this.running.get(chainId)?.watcher
  }

  /** Scans now (all chains, or one) and resolves when caught up or failed: tests and "refresh" buttons. */
  async pollNow(chainId?: number): Promise<void> {
    const targets = chainId === undefined ? [...this.running.values()].map((r) => r.watcher) : [this.running.get(chainId)?.watcher]
    await Promise.all(targets.map((w) => w?.pollNow()))
  }

  /**
   * The last step before COMPLETED for transfers in blocks the scan did not
   * just fetch: ask each chain for those blocks' hashes now, complete what
   * they prove, and rewind a chain whose block turned out to be replaced.
   */
  async prove(proofs: CanonicalProofRequest[], known: CanonicalHashes = new Map()): Promise<void> {
    const byChain = new Map<number, Set<number>>()
    for (const p of proofs) {
      let blocks = byChain.get(p.chainId)
      if (!blocks) byChain.set(p.chainId, (blocks = new Set()))
      blocks.add(p.blockNumber)
    }
    // What the scan itself just fetched counts as proof too (the sale's newest payment is usually in it).
    const canonical = new Map<number, Map<number, string>>()
    for (const [chainId, hashes] of known) canonical.set(chainId, new Map(hashes))
    for (const [chainId, blocks] of byChain) {
      const watcher = this.watcher(chainId)
      if (!watcher) continue
      try {
        const fetched = await watcher.canonicalHashes(blocks)
        const merged = canonical.get(chainId) ?? new Map<number, string>()
        for (const [n, hash] of fetched) merged.set(n, hash)
        canonical.set(chainId, merged)
      } catch {
        // The next block on that chain asks again; a session never completes unproven.
      }
    }
    for (const p of proofs) {
      const hash = canonical.get(p.chainId)?.get(p.blockNumber)
      if (hash !== undefined && hash !== p.blockHash) this.watcher(p.chainId)?.rewindBelow(p.blockNumber)
    }
    this.payments.recheck(
      proofs.map((p) => p.sessionSeq),
      canonical,
    )
  }

  private withPending(state: ChainState): ChainState {
    return this.pending ? this.pending.decorate(state) : state
  }

  private get host(): WatcherHost {
    return {
      payments: this.payments,
      store: this.store,
      clock: this.clock,
      refunds: this.engine.refunds,
      prove: (proofs, known) => this.prove(proofs, known),
      stateChanged: (state) => this.engine.events.emit('chain:state-changed', this.withPending(state)),
      oldestOpenSessionCreatedAt: () => this.store.oldestOpenSessionCreatedAt(),
    }
  }
}

function signatureOf(chain: ChainConfig): string {
  return JSON.stringify([chain.rpc_urls, chain.ws_urls, chain.poll_interval_ms, chain.block_time_ms, chain.confirmations, chain.tokens])
}
