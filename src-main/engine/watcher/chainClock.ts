import type { Clock } from '../clock'
import { monotonicMs } from '../clock'
import type { BlockHeader } from './rpc'

/** Newest blocks remembered for the estimate: a few minutes of a fast chain, hours of a slow one. */
const SAMPLES = 64

/**
 * Within this, the till's own clock is used as it is for payments: the
 * estimate is only good to a block's propagation plus one poll (a few
 * seconds), and a sale paid in its last seconds must not be judged late on
 * that noise. Far below the 2 minutes the cashier is warned about.
 */
export const TRUSTED_DRIFT_SECONDS = 15

/**
 * How far the till's wall clock is from a chain's clock, measured on the
 * newest blocks: a block first seen at monotonic time m with timestamp ts
 * says the chain's time was at least ts at m (it cannot be seen before it is
 * made), so the chain's time now is about monotonic-now + max(ts − m) over the
 * recent blocks, the one seen quickest after it was made.
 *
 * Anchored on the monotonic clock, not the wall clock, so the estimate stays
 * true through a jump of the wall clock: right after a jump it already tells
 * how far the new wall time is from the chain's.
 *
 * Only blocks that arrived while watched count: the head found at start may
 * be hours old on a quiet chain (a local devnet mines only on demand), which
 * would read as a till clock hours fast.
 */
export class ChainClock {
  private lastHead = -1
  private readonly samples: number[] = []

  constructor(private readonly clock: Clock) {}

  /** The chain's newest block, just fetched or pushed. */
  saw(head: BlockHeader): void {
    if (head.number <= this.lastHead) return
    const first = this.lastHead < 0
    this.lastHead = head.number
    if (first) return
    this.samples.push(head.timestamp * 1000 - monotonicMs(this.clock))
    if (this.samples.length > SAMPLES) this.samples.shift()
  }

  /** Till's wall clock minus the chain's time, in seconds (positive: the till is fast); null until a block arrived. */
  tillAheadSeconds(): number | null {
    if (this.samples.length === 0) return null
    const chainNowMs = monotonicMs(this.clock) + Math.max(...this.samples)
    return Math.round((this.clock.now() - chainNowMs) / 1000)
  }

  /** What payments allow for: the measured offset when it is beyond what the estimate can tell from noise, else 0. */
  paymentOffsetSeconds(): number {
    const ahead = this.tillAheadSeconds()
    return ahead === null || Math.abs(ahead) <= TRUSTED_DRIFT_SECONDS ? 0 : ahead
  }
}
