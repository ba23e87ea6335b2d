import type Database from 'better-sqlite3'
import type { SessionException, SessionStatus, Transfer } from '../../../src-preload/contract'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { conflict, EngineError, invalid, notFound } from '../errors'
import type { EngineEvents } from '../events'
import type { OptionRow, SessionRow, Sessions, TransferRow as ShownTransferRow } from '../sessions'
import { toTransaction } from '../sessions'
import type { CanonicalHashes, CanonicalProofRequest, ChainObservation, ObservationResult, ObservedTransfer } from './types'
import { optionsOfSession } from '../sessions/options'

export interface PaymentsDeps {
  db: Db
  clock: Clock
  events: EngineEvents
  sessions: Sessions
}

/** How far the till's clock may run ahead of the chain's block timestamps. */
const CLOCK_SKEW_SECONDS = 300

/** The whole stored row; the part the API shows is the sessions room's `TransferRow`. */
export interface TransferRow extends ShownTransferRow {
  id: number
  block_hash: string
  session_seq: number | null
  option_id: number | null
  seen_at: number
}

interface CreditRow extends TransferRow {
  decimals: number
}

export interface TransferListFilter {
  unmatched?: boolean
  limit?: number
  /** Opaque cursor: the `chain_id:tx_hash:log_index` of the last transfer of the previous page. */
  before?: string
}

// Current conditions: recomputed from the credited transfers each time, so they
// can also clear (a remainder paid drops `underpaid`). The others are events
// that happened and stay (the timeline keeps the history of both kinds).
const DERIVED: readonly SessionException[] = ['underpaid', 'overpaid', 'multiple_payments', 'paid_after_cancel']
const OPEN: readonly SessionStatus[] = ['PENDING', 'PROCESSING']

/**
 * Crediting on-chain transfers to payment sessions: record each transfer once,
 * match it to a reservation, move the session through the state machine
 * (only via `Sessions.transition`), and keep amounts, confirmations and
 * exception flags in step. Domain logic only: no network I/O, every call runs
 * inside one SQLite transaction.
 */
export class Payments {
  private readonly statements = new Map<string, Database.Statement>()
  private readonly pushes: Transfer[] = []
  private depth = 0
  private readonly requiredByChain = new Map<number, number>()
  /**
   * Expired sessions a credit reopens, with the timeline reason. The move itself waits for `recompute`, so
   * the payment.processing event carries the amounts as paid, not as they were before this transfer.
   */
  private readonly reopening = new Map<number, string>()

  constructor(private readonly deps: PaymentsDeps) {}

  private get db(): Db {
    return this.deps.db
  }
  private get sessions(): Sessions {
    return this.deps.sessions
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql)
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)))
    return s
  }

  /**
   * One Sessions transaction (session:updated pushed after commit) that also
   * pushes `transfer:recorded` for transfers nobody claimed, after the commit.
   */
  commit<T>(fn: () => T): T {
    this.depth++
    let result: T
    try {
      result = this.sessions.transaction(fn)
    } catch (error) {
      this.depth--
      if (this.depth === 0) {
        this.pushes.length = 0
        this.reopening.clear()
      }
      throw error
    }
    this.depth--
    if (this.depth === 0) {
      this.requiredByChain.clear()
      for (const t of this.pushes.splice(0)) this.deps.events.emit('transfer:recorded', t)
    }
    return result
  }

  /** Applies one scan of a chain in one commit; `alsoInTransaction` lets the watcher move its cursor atomically with it. */
  observe(observation: ChainObservation, alsoInTransaction?: () => void): ObservationResult {
    return this.commit(() => {
      alsoInTransaction?.()
      return this.apply(observation)
    })
  }

  private apply(obs: ChainObservation): ObservationResult {
    const affected = new Set<number>()
    let recorded = 0

    if (obs.orphanAbove !== undefined && obs.orphanAbove !== null) {
      const orphaned = this.stmt(
        `UPDATE transfers SET state = 'orphaned', confirmations = 0 WHERE chain_id = ? AND block_number > ? AND state != 'orphaned'
         RETURNING session_seq`,
      ).all(obs.chainId, obs.orphanAbove) as Array<{ session_seq: number | null }>
      for (const o of orphaned) if (o.session_seq !== null) affected.add(o.session_seq)
    }

    const ordered = [...obs.transfers].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
    for (const t of ordered) {
      const existing = this.stmt('SELECT * FROM transfers WHERE chain_id = ? AND tx_hash = ? AND log_index = ?').get(
        t.chainId,
        t.txHash,
        t.logIndex,
      ) as TransferRow | undefined
      if (existing) {
        // Exactly once: the same log in the same block is already recorded.
        if (existing.state !== 'orphaned' && existing.block_hash === t.blockHash) continue
        // Re-included (after a reorg) or seen in a replacement block: pending again, at its new block.
        this.stmt(
          `UPDATE transfers SET block_number = ?, block_hash = ?, block_timestamp = ?, state = 'pending', confirmations = ? WHERE id = ?`,
        ).run(t.blockNumber, t.blockHash, t.blockTimestamp, confirmationsAt(obs.head, t.blockNumber), existing.id)
        if (existing.session_seq !== null) {
          affected.add(existing.session_seq)
          this.credit(existing.session_seq, t, false)
        } else {
          const match = this.match(t)
          if (match) {
            this.stmt('UPDATE transfers SET session_seq = ?, option_id = ? WHERE id = ?').run(match.sessionSeq, match.optionId, existing.id)
            affected.add(match.sessionSeq)
            this.credit(match.sessionSeq, t, false)
          } else this.pushes.push(this.transferById(existing.id))
        }
        continue
      }
      const match = this.match(t)
      const token = this.tokenSymbol(t.chainId, t.tokenAddress, match?.optionId ?? null)
      const info = this.stmt(
        `INSERT INTO transfers (chain_id, tx_hash, log_index, token_symbol, token_address, from_address, to_address, amount,
           block_number, block_hash, block_timestamp, confirmations, state, session_seq, option_id, seen_at)
         VALUES (@chain_id, @tx_hash, @log_index, @token_symbol, @token_address, @from_address, @to_address, @amount,
           @block_number, @block_hash, @block_timestamp, @confirmations, 'pending', @session_seq, @option_id, @seen_at)`,
      ).run({
        chain_id: t.chainId,
        tx_hash: t.txHash,
        log_index: t.logIndex,
        token_symbol: token,
        token_address: t.tokenAddress,
        from_address: t.from,
        to_address: t.to,
        amount: t.amount.toString(),
        block_number: t.blockNumber,
        block_hash: t.blockHash,
        block_timestamp: t.blockTimestamp,
        confirmations: confirmationsAt(obs.head, t.blockNumber),
        session_seq: match?.sessionSeq ?? null,
        option_id: match?.optionId ?? null,
        seen_at: nowSeconds(this.deps.clock),
      })
      recorded++
      if (match) {
        affected.add(match.sessionSeq)
        this.credit(match.sessionSeq, t, false)
      } else {
        this.pushes.push(this.transferById(Number(info.lastInsertRowid)))
      }
    }

    // Confirmations for what is still pending on this chain (a handful of rows, not history).
    const required = this.requiredConfirmations(obs.chainId)
    const refreshed = this.stmt(
      `UPDATE transfers SET confirmations = max(0, @head - block_number + 1) WHERE chain_id = @chain AND state = 'pending'
       RETURNING id, session_seq, confirmations`,
    ).all({ head: obs.head, chain: obs.chainId }) as Array<{ id: number; session_seq: number | null; confirmations: number }>
    for (const r of refreshed) {
      if (r.session_seq !== null) affected.add(r.session_seq)
      else if (r.confirmations >= required) this.stmt(`UPDATE transfers SET state = 'confirmed' WHERE id = ?`).run(r.id)
    }

    const canonical: CanonicalHashes = new Map([[obs.chainId, obs.canonical]])
    const proofsNeeded: CanonicalProofRequest[] = []
    for (const seq of [...affected].sort((a, b) => a - b)) proofsNeeded.push(...this.recompute(seq, canonical))
    return { recorded, proofsNeeded }
  }

  /** After the watcher fetched the headers asked for: completes the sessions whose blocks are still canonical. */
  recheck(seqs: Iterable<number>, canonical: CanonicalHashes): CanonicalProofRequest[] {
    return this.commit(() => {
      const out: CanonicalProofRequest[] = []
      for (const seq of new Set(seqs)) out.push(...this.recompute(seq, canonical))
      return out
    })
  }

  // ------------------------------------------------------------------ matching

  /**
   * Which reservation a transfer pays: the exact amount whose hold covers the
   * block time; in xpub mode the session's own address at any amount; else the
   * single open session waiting on that address (under/overpaid); else nobody.
   */
  match(t: ObservedTransfer): { sessionSeq: number; optionId: number } | null {
    // Every branch also asks that the block is not older than the sale: a payment cannot come before its QR
    // was shown, and a catch-up over old blocks must not credit an old transfer to today's sale.
    const amount = t.amount.toString()
    const exact = this.stmt(
      `SELECT id, session_seq FROM payment_options
       WHERE chain_id = @chain AND token_address = @token AND address = @to AND length(amount) = length(@amount) AND amount = @amount
         AND active = 1 AND (held_until IS NULL OR held_until > @ts)
         AND (SELECT created_at FROM sessions WHERE seq = payment_options.session_seq) <= @ts + @skew
       ORDER BY id DESC LIMIT 1`,
    ).get({ chain: t.chainId, token: t.tokenAddress, to: t.to, amount, ts: t.blockTimestamp, skew: CLOCK_SKEW_SECONDS }) as
      { id: number; session_seq: number } | undefined
    if (exact) return { sessionSeq: exact.session_seq, optionId: exact.id }
    // Released while the app was offline, yet still held when the block was made.
    const released = this.stmt(
      `SELECT id, session_seq FROM payment_options
       WHERE chain_id = @chain AND token_address = @token AND address = @to AND amount = @amount
         AND active = 0 AND held_until IS NOT NULL AND held_until > @ts
         AND (SELECT created_at FROM sessions WHERE seq = payment_options.session_seq) <= @ts + @skew
       ORDER BY id DESC LIMIT 1`,
    ).get({ chain: t.chainId, token: t.tokenAddress, to: t.to, amount, ts: t.blockTimestamp, skew: CLOCK_SKEW_SECONDS }) as
      { id: number; session_seq: number } | undefined
    if (released) return { sessionSeq: released.session_seq, optionId: released.id }
    const xpub = this.stmt(
      // The address twice: exactly, and as the child-address index compares it, so that index can find it.
      `SELECT id, session_seq FROM payment_options
       WHERE chain_id = @chain AND token_address = @token AND address = @to AND address = @to COLLATE NOCASE AND child_index IS NOT NULL
         AND ((active = 1 AND (held_until IS NULL OR held_until > @ts)) OR (active = 0 AND held_until IS NOT NULL AND held_until > @ts))
         AND (SELECT created_at FROM sessions WHERE seq = payment_options.session_seq) <= @ts + @skew
       ORDER BY active DESC, kind = 'payment' DESC, id DESC LIMIT 1`,
    ).get({ chain: t.chainId, token: t.tokenAddress, to: t.to, ts: t.blockTimestamp, skew: CLOCK_SKEW_SECONDS }) as
      { id: number; session_seq: number } | undefined
    if (xpub) return { sessionSeq: xpub.session_seq, optionId: xpub.id }
    const open = this.stmt(
      `SELECT DISTINCT o.session_seq FROM payment_options o JOIN sessions s ON s.seq = o.session_seq
       WHERE o.chain_id = @chain AND o.token_address = @token AND o.address = @to AND o.active = 1 AND s.status IN ('PENDING', 'PROCESSING')
         AND s.created_at <= @ts + @skew
       LIMIT 2`,
    )
      .pluck()
      .all({ chain: t.chainId, token: t.tokenAddress, to: t.to, ts: t.blockTimestamp, skew: CLOCK_SKEW_SECONDS }) as number[]
    if (open.length === 1) {
      const seq = open[0]!
      const option = this.optionFor(seq, t.chainId, t.tokenAddress, t.to)
      if (option) return { sessionSeq: seq, optionId: option.id }
    }
    return null
  }

  /**
   * A remainder QR, or none when the sale has no room left for one (65,536
   * options: a flood of dust payments, one remainder each) or no free amount.
   * Throwing here would roll back the whole scan, and the watcher would retry
   * the same blocks forever, crediting nobody on that chain.
   */
  private reserveRemainder(args: Omit<Parameters<Sessions['reserve']>[0], 'kind'>): OptionRow | null {
    try {
      return this.sessions.reserve({ ...args, kind: 'remainder' })
    } catch (error) {
      if (error instanceof EngineError && (error.code === 'too_many_options' || error.code === 'amount_space_exhausted')) return null
      throw error
    }
  }

  /** The session's option on (chain, token), preferring the same address and the payment kind. */
  private optionFor(seq: number, chainId: number, tokenAddress: string, address: string | null): OptionRow | undefined {
    return this.stmt(
      // `+`: the session's id range, never a temporary index (query-plan test).
      `SELECT * FROM payment_options WHERE ${optionsOfSession('?')} AND +chain_id = ? AND +token_address = ?
       ORDER BY (address = ?) DESC, kind = 'payment' DESC, active DESC, id LIMIT 1`,
    ).get(seq, seq, chainId, tokenAddress, address ?? '') as OptionRow | undefined
  }

  // ------------------------------------------------------------------ crediting

  /**
   * Status effects of one transfer landing on a session, decided by its block
   * time: a late payment (within the hold) re-opens an expired session; a
   * payment on a finished session is recorded and flagged, never reopening it.
   */
  private credit(seq: number, t: Pick<ObservedTransfer, 'blockTimestamp'>, manual: boolean): void {
    const row = this.sessions.rowBySeq(seq)
    if (!row) return
    const late = t.blockTimestamp > row.expires_at
    if (late && (OPEN.includes(row.status) || row.status === 'EXPIRED')) this.sessions.flag(seq, 'paid_late')
    if (row.status === 'EXPIRED') {
      const withinWindow = t.blockTimestamp <= row.expires_at + this.sessions.lateWindowSeconds
      // The order already has another live session: reopening this one would make two, which the shop
      // could not tell apart (and the database refuses). The payment stays recorded and flagged.
      if ((withinWindow || manual) && !this.liveSibling(row)) {
        this.reopening.set(seq, late ? 'paid late' : 'payment made before expiry, seen after')
      }
    }
    this.flagDuplicateOrder(row)
  }

  private liveSibling(row: SessionRow): boolean {
    return (
      this.stmt(
        `SELECT 1 FROM sessions WHERE merchant_id = ? AND livemode = ? AND order_id = ? AND seq != ? AND status IN ('PENDING', 'PROCESSING') LIMIT 1`,
      ).get(row.merchant_id, row.livemode, row.order_id, row.seq) !== undefined
    )
  }

  /** Two sessions of one order both paid: the customer paid twice and one must be refunded. */
  private flagDuplicateOrder(row: SessionRow): void {
    const paidSiblings = this.stmt(
      `SELECT s.seq FROM sessions s WHERE s.merchant_id = ? AND s.livemode = ? AND s.order_id = ? AND s.seq != ?
         AND EXISTS (SELECT 1 FROM transfers t WHERE t.session_seq = s.seq AND t.state != 'orphaned')`,
    )
      .pluck()
      .all(row.merchant_id, row.livemode, row.order_id, row.seq) as number[]
    if (paidSiblings.length === 0) return
    this.sessions.flag(row.seq, 'duplicate_order_payment')
    for (const sibling of paidSiblings) this.sessions.flag(sibling, 'duplicate_order_payment')
  }

  /**
   * Brings a session in line with its credited, non-orphaned transfers:
   * amounts, remainder reservation, confirmations, current-condition flags,
   * and the status moves that follow (PROCESSING, COMPLETED, or back after a
   * reorg). Returns the canonical proofs still needed before it may complete.
   */
  private recompute(seq: number, canonical: CanonicalHashes): CanonicalProofRequest[] {
    let row = this.sessions.rowBySeq(seq)
    if (!row) return []
    const now = nowSeconds(this.deps.clock)
    const credits = this.stmt(
      `SELECT t.*, coalesce(o.decimals, tk.decimals, 0) AS decimals FROM transfers t
       LEFT JOIN payment_options o ON o.id = t.option_id
       LEFT JOIN tokens tk ON tk.chain_id = t.chain_id AND tk.address = t.token_address
       WHERE t.session_seq = ? AND t.state != 'orphaned' ORDER BY t.block_number, t.log_index, t.id`,
    ).all(seq) as CreditRow[]

    if (credits.length === 0) {
      // Everything it was paid with was reorged out: back to an unpaid session, and the remainder QR
      // it was shown no longer means anything (what remains is the whole amount again).
      this.dropRemainders(seq)
      this.update(row, { paid_option_id: null, amount_due: null, amount_paid: '0', confirmations: 0 }, new Set())
      if (row.status === 'PROCESSING') {
        this.sessions.transition(seq, now < row.expires_at ? 'PENDING' : 'EXPIRED', 'payment reorged out')
      }
      return []
    }

    const first = credits[0]!
    let paidOption = row.paid_option_id !== null ? this.option(row.paid_option_id) : undefined
    if (!paidOption) paidOption = this.optionFor(seq, first.chain_id, first.token_address, first.to_address)
    if (!paidOption) return []
    if (paidOption.kind !== 'payment')
      paidOption = this.optionFor(seq, paidOption.chain_id, paidOption.token_address, paidOption.address) ?? paidOption
    const firstCredit = row.paid_option_id === null
    let due = BigInt(firstCredit || row.amount_due === null ? paidOption.amount : row.amount_due)
    let paid = 0n
    for (const c of credits) paid += normalize(BigInt(c.amount), c.decimals, paidOption.decimals)

    const reopenReason = this.reopening.get(seq)
    this.reopening.delete(seq)
    const open = OPEN.includes(row.status) || reopenReason !== undefined
    if (open && paid < due) {
      const remaining = (due - paid).toString()
      const current = this.stmt(
        // The exact hold, found by a seek in the reservation index.
        `SELECT id FROM payment_options WHERE chain_id = ? AND token_address = ? AND address = ? AND length(amount) = length(?) AND amount = ?
           AND active = 1 AND session_seq = ? AND kind = 'remainder'`,
      ).get(paidOption.chain_id, paidOption.token_address, paidOption.address, remaining, remaining, seq)
      if (!current) {
        const remainder = this.reserveRemainder({
          sessionSeq: seq,
          chainId: paidOption.chain_id,
          token: paidOption.token_symbol,
          tokenAddress: paidOption.token_address,
          decimals: paidOption.decimals,
          address: paidOption.address,
          childIndex: paidOption.child_index,
          baseAmount: due - paid,
        })
        // The suffix that makes the remainder unique is part of what is due, so paying the remainder QR exactly is exact.
        if (remainder) due += BigInt(remainder.suffix)
      }
    }

    const confirmations = Math.min(...credits.map((c) => c.confirmations))
    const derived = new Set<SessionException>()
    if (paid < due) derived.add('underpaid')
    if (paid > due) derived.add('overpaid')
    if (credits.length >= 2) derived.add('multiple_payments')
    if (row.status === 'CANCELLED') derived.add('paid_after_cancel')
    this.update(
      row,
      {
        paid_option_id: paidOption.id,
        amount_due: due.toString(),
        amount_paid: paid.toString(),
        confirmations,
        ...(firstCredit ? { required_confirmations: this.requiredConfirmations(paidOption.chain_id) } : {}),
      },
      derived,
    )

    if (reopenReason !== undefined && row.status === 'EXPIRED') row = this.sessions.transition(seq, 'PROCESSING', reopenReason)
    if (row.status === 'PENDING') {
      const flags = JSON.parse(this.sessions.rowBySeq(seq)!.exceptions) as SessionException[]
      row = this.sessions.transition(seq, 'PROCESSING', flags.includes('paid_late') ? 'paid late' : 'payment detected')
    }
    if (row.status !== 'PROCESSING') {
      // Nothing waits on these any more: stop refreshing them every block once they are deep enough.
      for (const c of credits)
        if (c.state === 'pending' && c.confirmations >= this.requiredConfirmations(c.chain_id))
          this.stmt(`UPDATE transfers SET state = 'confirmed' WHERE id = ?`).run(c.id)
      return []
    }
    if (paid < due) return []
    if (!credits.every((c) => c.confirmations >= this.requiredConfirmations(c.chain_id))) return []
    const unproven = credits.filter((c) => canonical.get(c.chain_id)?.get(c.block_number) !== c.block_hash)
    if (unproven.length > 0) {
      return unproven.map((c) => ({ sessionSeq: seq, chainId: c.chain_id, blockNumber: c.block_number, blockHash: c.block_hash }))
    }
    // Transfers first: the payment.completed event carries the session as it is once confirmed.
    this.stmt(`UPDATE transfers SET state = 'confirmed' WHERE session_seq = ? AND state = 'pending'`).run(seq)
    this.sessions.transition(seq, 'COMPLETED', `confirmed (${confirmations} confirmation${confirmations === 1 ? '' : 's'})`)
    return []
  }

  private dropRemainders(seq: number): void {
    const remainders = this.stmt(`SELECT * FROM payment_options WHERE ${optionsOfSession('?')} AND +kind = 'remainder'`).all(
      seq,
      seq,
    ) as OptionRow[]
    for (const r of remainders) {
      // An orphaned transfer may still point at it (and come back if re-included): point it at the sale's option for that token.
      const payment = this.optionFor(seq, r.chain_id, r.token_address, r.address)
      this.stmt('UPDATE transfers SET option_id = ? WHERE option_id = ?').run(
        payment && payment.kind === 'payment' ? payment.id : null,
        r.id,
      )
      this.stmt('DELETE FROM payment_options WHERE id = ?').run(r.id)
    }
  }

  private update(
    row: SessionRow,
    fields: {
      paid_option_id: number | null
      amount_due: string | null
      amount_paid: string
      confirmations: number
      required_confirmations?: number
    },
    derived: Set<SessionException>,
  ): void {
    const current = JSON.parse(row.exceptions) as SessionException[]
    const wanted = new Set<SessionException>([...current.filter((f) => !DERIVED.includes(f)), ...derived])
    // Keep the order they first appeared in, so the UI does not reshuffle badges each block.
    const ordered = [...current.filter((f) => wanted.has(f)), ...[...wanted].filter((f) => !current.includes(f))]
    const next = {
      paid_option_id: fields.paid_option_id,
      amount_due: fields.amount_due,
      amount_paid: fields.amount_paid,
      confirmations: fields.confirmations,
      required_confirmations: fields.required_confirmations ?? row.required_confirmations,
      exceptions: JSON.stringify(ordered),
    }
    const same =
      row.paid_option_id === next.paid_option_id &&
      row.amount_due === next.amount_due &&
      row.amount_paid === next.amount_paid &&
      row.confirmations === next.confirmations &&
      row.required_confirmations === next.required_confirmations &&
      row.exceptions === next.exceptions
    if (same) return
    this.stmt(
      `UPDATE sessions SET paid_option_id = @paid_option_id, amount_due = @amount_due, amount_paid = @amount_paid,
         confirmations = @confirmations, required_confirmations = @required_confirmations, exceptions = @exceptions, updated_at = @now
       WHERE seq = @seq`,
    ).run({ ...next, now: nowSeconds(this.deps.clock), seq: row.seq })
    this.sessions.touch(row.seq)
  }

  // ------------------------------------------------------------------ the owner's hand

  /**
   * The owner assigns an unmatched transfer to a session by hand. Same rules
   * as an automatic credit, except that an expired session reopens even past
   * the late window: the owner has decided this payment is for that sale.
   */
  assign(
    input: { chain_id: number; tx_hash: string; log_index: number; session_id: string },
    scope: { merchantId: string; livemode?: boolean },
  ): { seq: number; proofsNeeded: CanonicalProofRequest[] } {
    if (!Number.isSafeInteger(input.chain_id)) throw invalid('parameter_invalid', 'chain_id must be an integer', 'chain_id')
    if (typeof input.tx_hash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(input.tx_hash))
      throw invalid('parameter_invalid', 'tx_hash must be a 0x-prefixed 32-byte hash', 'tx_hash')
    if (!Number.isSafeInteger(input.log_index) || input.log_index < 0)
      throw invalid('parameter_invalid', 'log_index must be an integer', 'log_index')
    return this.commit(() => {
      const t = this.stmt('SELECT * FROM transfers WHERE chain_id = ? AND tx_hash = ? AND log_index = ?').get(
        input.chain_id,
        input.tx_hash.toLowerCase(),
        input.log_index,
      ) as TransferRow | undefined
      if (!t) throw notFound(`no transfer ${input.tx_hash} #${input.log_index} on chain ${input.chain_id}`, 'tx_hash')
      if (t.session_seq !== null)
        throw conflict('transfer_already_assigned', 'this transfer is already credited to a payment session', 'tx_hash')
      if (t.state === 'orphaned')
        throw conflict(
          'transfer_orphaned',
          'this transfer was reorged out of the chain; it cannot pay anything unless it is included again',
          'tx_hash',
        )
      const row = this.sessions.scopedRow(input.session_id, scope)
      const option = this.optionFor(row.seq, t.chain_id, t.token_address, t.to_address)
      if (!option)
        throw invalid('transfer_token_mismatch', `session ${row.id} was not offered ${t.token_symbol} on chain ${t.chain_id}`, 'session_id')
      this.stmt('UPDATE transfers SET session_seq = ?, option_id = ? WHERE id = ?').run(row.seq, option.id, t.id)
      this.credit(row.seq, { blockTimestamp: t.block_timestamp }, true)
      const proofsNeeded = this.recompute(row.seq, new Map())
      this.pushes.push(this.transferById(t.id))
      return { seq: row.seq, proofsNeeded }
    })
  }

  // ------------------------------------------------------------------ reads

  list(scope: { merchantId: string; livemode: boolean }, filter: TransferListFilter): Transfer[] {
    const limit = filter.limit ?? 50
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw invalid('parameter_invalid', 'limit must be an integer from 1 to 500', 'limit')
    let beforeId = Number.MAX_SAFE_INTEGER
    if (filter.before !== undefined) {
      const [chain, hash, index] = filter.before.split(':')
      const row = this.stmt('SELECT id FROM transfers WHERE chain_id = ? AND tx_hash = ? AND log_index = ?').get(
        Number(chain),
        (hash ?? '').toLowerCase(),
        Number(index),
      ) as { id: number } | undefined
      if (!row) throw invalid('parameter_invalid', 'before: no such transfer (expected chain_id:tx_hash:log_index)', 'before')
      beforeId = row.id
    }
    const merchant = this.stmt('SELECT receive_address FROM merchants WHERE id = ?').get(scope.merchantId) as
      { receive_address: string | null } | undefined
    if (!merchant) throw notFound(`no merchant "${scope.merchantId}"`)
    // Only this mode's networks, and only money sent to this shop: its sessions, its address, any address it was paid at
    // (xpub children, an address it used before); `active = 1 OR active = 0` reads both hold indexes.
    const rows = this.stmt(
      `SELECT t.*, s.id AS session_id FROM transfers t
       JOIN chains c ON c.chain_id = t.chain_id AND c.testnet = @testnet
       LEFT JOIN sessions s ON s.seq = t.session_seq
       WHERE t.id < @before
         AND (@unmatched = 0 OR (t.session_seq IS NULL AND t.state != 'orphaned'))
         AND (s.merchant_id = @merchant OR (t.session_seq IS NULL AND (t.to_address = @address
              OR EXISTS (SELECT 1 FROM payment_options o JOIN sessions s2 ON s2.seq = o.session_seq
                         WHERE o.chain_id = t.chain_id AND o.token_address = t.token_address AND o.address = t.to_address
                           AND (o.active = 1 OR o.active = 0) AND s2.merchant_id = @merchant))))
       ORDER BY t.id DESC LIMIT @limit`,
    ).all({
      testnet: scope.livemode ? 0 : 1,
      before: beforeId,
      unmatched: filter.unmatched ? 1 : 0,
      merchant: scope.merchantId,
      address: merchant.receive_address ?? '',
      limit,
    }) as Array<TransferRow & { session_id: string | null }>
    return rows.map((r) => toTransfer(r, r.session_id))
  }

  transferById(id: number): Transfer {
    const row = this.stmt(
      'SELECT t.*, s.id AS session_id FROM transfers t LEFT JOIN sessions s ON s.seq = t.session_seq WHERE t.id = ?',
    ).get(id) as (TransferRow & { session_id: string | null }) | undefined
    if (!row) throw notFound(`no transfer #${id}`)
    return toTransfer(row, row.session_id)
  }

  // ------------------------------------------------------------------ helpers

  private option(id: number): OptionRow | undefined {
    return this.stmt('SELECT * FROM payment_options WHERE id = ?').get(id) as OptionRow | undefined
  }

  requiredConfirmations(chainId: number): number {
    let n = this.requiredByChain.get(chainId)
    if (n === undefined) {
      n =
        (this.stmt('SELECT confirmations FROM chains WHERE chain_id = ?').get(chainId) as { confirmations: number } | undefined)
          ?.confirmations ?? 1
      // Cached for one commit only: the owner may change it in settings between blocks.
      if (this.depth > 0) this.requiredByChain.set(chainId, n)
    }
    return n
  }

  private tokenSymbol(chainId: number, tokenAddress: string, optionId: number | null): string {
    if (optionId !== null) {
      const o = this.option(optionId)
      if (o) return o.token_symbol
    }
    const row = this.stmt('SELECT symbol FROM tokens WHERE chain_id = ? AND address = ?').get(chainId, tokenAddress) as
      { symbol: string } | undefined
    return row?.symbol ?? 'ERC20'
  }
}

export function confirmationsAt(head: number, blockNumber: number): number {
  return Math.max(0, head - blockNumber + 1)
}

/** Converts base units between decimals; rounds down (never credits more than was sent). */
export function normalize(amount: bigint, fromDecimals: number, toDecimals: number): bigint {
  if (fromDecimals === toDecimals) return amount
  if (fromDecimals > toDecimals) return amount / 10n ** BigInt(fromDecimals - toDecimals)
  return amount * 10n ** BigInt(toDecimals - fromDecimals)
}

export function toTransfer(t: TransferRow, sessionId: string | null): Transfer {
  return { ...toTransaction(t), session_id: sessionId }
}
