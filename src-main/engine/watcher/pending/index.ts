/**
 * "Payment incoming": the cashier sees a payment when the customer presses
 * Send, from the chain's transaction pool, before its block confirms it.
 *
 * - `IncomingPayments` (incoming.ts) holds what the screens show, in memory;
 *   the engine's session objects read it (`pending_tx`, `pending_tx_dropped`).
 * - `PendingTracking` (here) runs one `ChainPending` (chain.ts) per watched
 *   chain, opened only while a sale is open on that chain.
 * - `PendingFeed` (feed.ts) finds and follows how the node offers pending
 *   transactions; `decodePayment` (decode.ts) and `matchPending` (match.ts)
 *   judge each one.
 */
import type { ChainConfig, ChainState, PendingFeedKind } from '../../../../src-preload/contract'
import type { Clock } from '../../clock'
import type { Db } from '../../db'
import type { EngineEvents } from '../../events'
import type { PendingTuning } from './chain'
import { ChainPending } from './chain'
import type { PendingRpc } from './feed'
import type { IncomingPayments } from './incoming'

export { IncomingPayments } from './incoming'
export type { SessionRowLike, SessionSnapshot } from './incoming'
export { ChainPending } from './chain'
export type { PendingTuning } from './chain'
export { PendingFeed } from './feed'
export type { PendingRpc, RpcTransaction } from './feed'
export { decodePayment, PAYMENT_CALLS } from './decode'
export { matchPending } from './match'

export interface PendingOptions extends Partial<PendingTuning> {
  /** How often each chain is asked whether a sale is open on it; default 1 s. */
  openCheckMs?: number
}

export const DEFAULT_PENDING_TUNING: PendingTuning = {
  timeoutMs: 120_000,
  checkIntervalMs: 1_000,
  filterPollMs: 1_000,
  maxLookups: 8,
  requestTimeoutMs: 8_000,
  reconnectMinMs: 1_000,
  reconnectMaxMs: 30_000,
}

/** What PendingTracking needs of a chain's watcher. */
export interface FollowedChain {
  readonly chainId: number
  readonly config: ChainConfig
  readonly rpc: PendingRpc
  current(): ChainState
}

export interface PendingTrackingDeps {
  db: Db
  clock: Clock
  events: EngineEvents
  incoming: IncomingPayments
  /** Whether a sale is open on the chain (the watcher's own cheap indexed query). */
  hasOpenSale(chainId: number): boolean
}

/**
 * One ChainPending per watched chain, each opened while a sale is open on its
 * chain and closed (no socket, no filter, no traffic) when none is.
 */
export class PendingTracking {
  private readonly chains = new Map<number, { pending: ChainPending; chain: FollowedChain }>()
  private readonly tuning: PendingTuning
  private readonly openCheckMs: number
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly deps: PendingTrackingDeps,
    options: PendingOptions = {},
  ) {
    const tuning: PendingTuning = { ...DEFAULT_PENDING_TUNING }
    for (const key of Object.keys(DEFAULT_PENDING_TUNING) as Array<keyof PendingTuning>)
      if (options[key] !== undefined) tuning[key] = options[key]
    this.tuning = tuning
    this.openCheckMs = options.openCheckMs ?? 1_000
  }

  /** Starts following a chain's pool (when it has open sales). */
  follow(chain: FollowedChain): void {
    this.forget(chain.chainId)
    const pending = new ChainPending({
      config: chain.config,
      rpc: chain.rpc,
      db: this.deps.db,
      clock: this.deps.clock,
      incoming: this.deps.incoming,
      tuning: this.tuning,
      feedChanged: () => this.deps.events.emit('chain:state-changed', this.decorate(chain.current())),
    })
    this.chains.set(chain.chainId, { pending, chain })
    if (!this.timer) {
      this.timer = setInterval(() => void this.refresh(), this.openCheckMs)
      this.timer.unref()
    }
    void this.refresh(chain.chainId)
  }

  /** Stops following a chain (disabled, or restarted with new settings). */
  forget(chainId: number): void {
    const entry = this.chains.get(chainId)
    if (!entry) return
    this.chains.delete(chainId)
    void entry.pending.stop()
  }

  /** The chain's status with how it sees pending payments (once found). */
  decorate(state: ChainState): ChainState {
    const kind: PendingFeedKind | undefined = this.chains.get(state.chain_id)?.pending.kind
    return kind === undefined ? state : { ...state, pending_feed: kind }
  }

  pending(chainId: number): ChainPending | undefined {
    return this.chains.get(chainId)?.pending
  }

  /** Opens or closes each chain's feed by whether a sale is open on it now. */
  async refresh(chainId?: number): Promise<void> {
    const targets = chainId === undefined ? [...this.chains.values()] : [this.chains.get(chainId)].filter((e) => e !== undefined)
    await Promise.all(
      targets.map(async ({ pending }) => {
        let open: boolean
        try {
          open = this.deps.hasOpenSale(pending.chainId)
        } catch {
          return // A busy or closing database: ask again next second.
        }
        await pending.setOpen(open)
      }),
    )
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    const all = [...this.chains.values()]
    this.chains.clear()
    await Promise.all(all.map((e) => e.pending.stop()))
  }
}
