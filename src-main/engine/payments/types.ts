import type { Clock } from '../clock'
import type { Db } from '../db'
import type { EngineEvents } from '../events'
import type { Sessions } from '../sessions'

export interface PaymentsDeps {
  db: Db
  clock: Clock
  events: EngineEvents
  sessions: Sessions
}

/**
 * Expired sessions a credit reopens, with the timeline reason, kept for one
 * commit. The move itself waits for `recompute`, so the payment.processing
 * event carries the amounts as paid, not as they were before this transfer.
 */
export type Reopening = Map<number, string>

/** An ERC-20 Transfer log as the watcher saw it on chain. */
export interface ObservedTransfer {
  chainId: number
  /** Lowercase 0x hex. */
  txHash: string
  /** Block-level index of the log. */
  logIndex: number
  /** Checksummed. */
  tokenAddress: string
  from: string
  to: string
  /** Base units; may be far above 2^63. */
  amount: bigint
  blockNumber: number
  /** Lowercase 0x hex. */
  blockHash: string
  /** Unix seconds: decides on time vs late, not when the app saw it. */
  blockTimestamp: number
}

/** What one scan of a chain found, applied in one commit. */
export interface ChainObservation {
  chainId: number
  /** The chain's head when scanned: confirmations = head − block + 1. */
  head: number
  /**
   * A reorg was found: every transfer in a block above this number is no longer
   * canonical (those seen again in `transfers` come back in the same commit).
   */
  orphanAbove?: number | null
  /** Transfers to watched addresses in the scanned blocks, in any order. */
  transfers: ObservedTransfer[]
  /** Block number → hash, for blocks whose header this scan fetched (known canonical right now). */
  canonical: ReadonlyMap<number, string>
  /**
   * How far the till's clock runs ahead of this chain's block times (seconds, negative: behind), as the
   * watcher measured it; 0 or absent when unknown or too small to tell from noise. Block times are moved
   * onto the till's clock by it before they are compared with a sale's times, which the till's clock wrote.
   */
  tillAheadSeconds?: number
}

/** A fully paid, confirmed session that waits only for proof that these blocks are still canonical. */
export interface CanonicalProofRequest {
  sessionSeq: number
  chainId: number
  blockNumber: number
  blockHash: string
}

export interface ObservationResult {
  /** Transfers recorded for the first time. */
  recorded: number
  /** Sessions that could complete once their blocks are proven canonical (fetch the headers, then `recheck`). */
  proofsNeeded: CanonicalProofRequest[]
}

/** chainId → (block number → canonical hash). */
export type CanonicalHashes = ReadonlyMap<number, ReadonlyMap<number, string>>
