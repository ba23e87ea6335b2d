import type { Transfer } from '../../../src-preload/contract'
import { get, run } from '../db/sql'
import { transaction } from '../db/transaction'
import { conflict, invalid, notFound } from '../errors'
import { credit, recompute } from './credit'
import { optionFor } from './match'
import { pushRecorded, recordObservation } from './record'
import type { TransferListFilter, TransferRow } from './transfers'
import { listTransfers } from './transfers'
import type { CanonicalHashes, CanonicalProofRequest, ChainObservation, ObservationResult, PaymentsDeps, Reopening } from './types'

/**
 * Crediting on-chain transfers to payment sessions: record each transfer once
 * (record.ts), match it to a reservation (match.ts), move the session through
 * the state machine and keep amounts, confirmations and exception flags in
 * step (credit.ts). Domain logic only: no network I/O, every call runs inside
 * one SQLite transaction, and the UI hears of it after the commit.
 */
export class Payments {
  constructor(private readonly deps: PaymentsDeps) {}

  /** Runs `fn` in the shop's one transaction (the same as `Sessions.transaction`). */
  commit<T>(fn: () => T): T {
    return transaction(this.deps.db, fn)
  }

  /** Applies one scan of a chain in one commit; `alsoInTransaction` lets the watcher move its cursor atomically with it. */
  observe(observation: ChainObservation, alsoInTransaction?: () => void): ObservationResult {
    return this.commit(() => {
      alsoInTransaction?.()
      return recordObservation(this.deps, observation)
    })
  }

  /** After the watcher fetched the headers asked for: completes the sessions whose blocks are still canonical. */
  recheck(seqs: Iterable<number>, canonical: CanonicalHashes): CanonicalProofRequest[] {
    return this.commit(() => {
      const reopening: Reopening = new Map()
      const out: CanonicalProofRequest[] = []
      for (const seq of new Set(seqs)) out.push(...recompute(this.deps, reopening, seq, canonical))
      return out
    })
  }

  /**
   * The owner assigns an unmatched transfer to a session by hand. Same rules
   * as an automatic credit, except that an expired session reopens even past
   * the late window: the owner has decided this payment is for that sale.
   */
  assign(
    input: { chain_id: number; tx_hash: string; log_index: number; session_id: string },
    scope: { merchantId: string; livemode?: boolean },
    /** The watcher's measured till-vs-chain offset for this chain (ChainClock.paymentOffsetSeconds). */
    tillAheadSeconds = 0,
  ): { seq: number; proofsNeeded: CanonicalProofRequest[] } {
    const { db, sessions } = this.deps
    return this.commit(() => {
      const t = get<TransferRow>(
        db,
        'SELECT * FROM transfers WHERE chain_id = ? AND tx_hash = ? AND log_index = ?',
        input.chain_id,
        input.tx_hash.toLowerCase(),
        input.log_index,
      )
      if (!t) throw notFound(`no transfer ${input.tx_hash} #${input.log_index} on chain ${input.chain_id}`, 'tx_hash')
      if (t.session_seq !== null)
        throw conflict('transfer_already_assigned', 'this transfer is already credited to a payment session', 'tx_hash')
      if (t.state === 'orphaned')
        throw conflict(
          'transfer_orphaned',
          'this transfer was reorged out of the chain; it cannot pay anything unless it is included again',
          'tx_hash',
        )
      const row = sessions.scopedRow(input.session_id, scope)
      const option = optionFor(db, row.seq, t.chain_id, t.token_address, t.to_address)
      if (!option)
        throw invalid('transfer_token_mismatch', `session ${row.id} was not offered ${t.token_symbol} on chain ${t.chain_id}`, 'session_id')
      run(db, 'UPDATE transfers SET session_seq = ?, option_id = ? WHERE id = ?', row.seq, option.id, t.id)
      const reopening: Reopening = new Map()
      // Stored with the chain's own time; compared with the sale's times (the till's clock wrote them) on the till's clock.
      credit(this.deps, reopening, row.seq, { blockTimestamp: t.block_timestamp + tillAheadSeconds }, true)
      const proofsNeeded = recompute(this.deps, reopening, row.seq, new Map())
      pushRecorded(this.deps, t.id)
      return { seq: row.seq, proofsNeeded }
    })
  }

  list(scope: { merchantId: string; livemode: boolean }, filter: TransferListFilter): Transfer[] {
    return listTransfers(this.deps.db, scope, filter)
  }
}
