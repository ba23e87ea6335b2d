import { nowSeconds } from '../clock'
import { all, get, run } from '../db/sql'
import { afterCommit } from '../db/transaction'
import { credit, recompute, requiredConfirmations } from './credit'
import { match } from './match'
import type { TransferRow } from './transfers'
import { transferById } from './transfers'
import type {
  CanonicalHashes,
  CanonicalProofRequest,
  ChainObservation,
  ObservationResult,
  ObservedTransfer,
  PaymentsDeps,
  Reopening,
} from './types'

/**
 * Applies one scan of a chain inside the caller's transaction: marks what a
 * reorg removed, records each transfer once (crediting the session it pays),
 * refreshes the pending confirmations, and brings every affected session in line.
 */
export function recordObservation(deps: PaymentsDeps, obs: ChainObservation): ObservationResult {
  const { db } = deps
  const affected = new Set<number>()
  const reopening: Reopening = new Map()
  let recorded = 0

  if (obs.orphanAbove !== undefined && obs.orphanAbove !== null) {
    const orphaned = all<{ session_seq: number | null }>(
      db,
      `UPDATE transfers SET state = 'orphaned', confirmations = 0 WHERE chain_id = ? AND block_number > ? AND state != 'orphaned'
       RETURNING session_seq`,
      obs.chainId,
      obs.orphanAbove,
    )
    for (const o of orphaned) if (o.session_seq !== null) affected.add(o.session_seq)
  }

  const ordered = [...obs.transfers].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
  for (const t of ordered) {
    const confirmations = confirmationsAt(obs.head, t.blockNumber)
    // Matched and judged on time or late on the till's clock; recorded with the chain's own timestamp.
    const judged = onTillClock(t, obs.tillAheadSeconds)
    const existing = get<TransferRow>(
      db,
      'SELECT * FROM transfers WHERE chain_id = ? AND tx_hash = ? AND log_index = ?',
      t.chainId,
      t.txHash,
      t.logIndex,
    )
    if (existing) {
      // Exactly once: the same log in the same block is already recorded.
      if (existing.state !== 'orphaned' && existing.block_hash === t.blockHash) continue
      // Re-included (after a reorg) or seen in a replacement block: pending again, at its new block.
      run(
        db,
        `UPDATE transfers SET block_number = ?, block_hash = ?, block_timestamp = ?, state = 'pending', confirmations = ? WHERE id = ?`,
        t.blockNumber,
        t.blockHash,
        t.blockTimestamp,
        confirmations,
        existing.id,
      )
      if (existing.session_seq !== null) {
        affected.add(existing.session_seq)
        credit(deps, reopening, existing.session_seq, judged, false)
        continue
      }
      const found = match(db, judged)
      if (found) {
        run(db, 'UPDATE transfers SET session_seq = ?, option_id = ? WHERE id = ?', found.sessionSeq, found.optionId, existing.id)
        affected.add(found.sessionSeq)
        credit(deps, reopening, found.sessionSeq, judged, false)
      } else pushRecorded(deps, existing.id)
      continue
    }
    const found = match(db, judged)
    const { id } = get<{ id: number }>(
      db,
      `INSERT INTO transfers (chain_id, tx_hash, log_index, token_symbol, token_address, from_address, to_address, amount,
         block_number, block_hash, block_timestamp, confirmations, state, session_seq, option_id, seen_at)
       VALUES (@chain_id, @tx_hash, @log_index,
         coalesce((SELECT token_symbol FROM payment_options WHERE id = @option_id),
                  (SELECT symbol FROM tokens WHERE chain_id = @chain_id AND address = @token_address), 'ERC20'),
         @token_address, @from_address, @to_address, @amount,
         @block_number, @block_hash, @block_timestamp, @confirmations, 'pending', @session_seq, @option_id, @seen_at)
       RETURNING id`,
      {
        chain_id: t.chainId,
        tx_hash: t.txHash,
        log_index: t.logIndex,
        token_address: t.tokenAddress,
        from_address: t.from,
        to_address: t.to,
        amount: t.amount.toString(),
        block_number: t.blockNumber,
        block_hash: t.blockHash,
        block_timestamp: t.blockTimestamp,
        confirmations,
        session_seq: found?.sessionSeq ?? null,
        option_id: found?.optionId ?? null,
        seen_at: nowSeconds(deps.clock),
      },
    )!
    recorded++
    if (found) {
      affected.add(found.sessionSeq)
      credit(deps, reopening, found.sessionSeq, judged, false)
    } else pushRecorded(deps, id)
  }

  // Confirmations for what is still pending on this chain (a handful of rows, not history).
  const required = requiredConfirmations(db, obs.chainId)
  const refreshed = all<{ id: number; session_seq: number | null; confirmations: number }>(
    db,
    `UPDATE transfers SET confirmations = max(0, @head - block_number + 1) WHERE chain_id = @chain AND state = 'pending'
     RETURNING id, session_seq, confirmations`,
    { head: obs.head, chain: obs.chainId },
  )
  for (const r of refreshed) {
    if (r.session_seq !== null) affected.add(r.session_seq)
    else if (r.confirmations >= required) run(db, `UPDATE transfers SET state = 'confirmed' WHERE id = ?`, r.id)
  }

  const canonical: CanonicalHashes = new Map([[obs.chainId, obs.canonical]])
  const proofsNeeded: CanonicalProofRequest[] = []
  for (const seq of [...affected].sort((a, b) => a - b)) proofsNeeded.push(...recompute(deps, reopening, seq, canonical))
  return { recorded, proofsNeeded }
}

/** Tells the UI, after the commit, about a transfer nobody claimed (or that the owner just assigned). */
export function pushRecorded(deps: PaymentsDeps, id: number): void {
  const transfer = transferById(deps.db, id)
  afterCommit(deps.db, undefined, () => deps.events.emit('transfer:recorded', transfer))
}

/**
 * The transfer with its block time on the till's clock. A sale's times (created, expires, held until) were
 * written by the till's clock; a till 15 minutes fast would otherwise find every payment 15 minutes before
 * its sale, and refuse it as older than the sale.
 */
function onTillClock(t: ObservedTransfer, tillAheadSeconds: number | undefined): ObservedTransfer {
  return tillAheadSeconds ? { ...t, blockTimestamp: t.blockTimestamp + tillAheadSeconds } : t
}

function confirmationsAt(head: number, blockNumber: number): number {
  return Math.max(0, head - blockNumber + 1)
}
