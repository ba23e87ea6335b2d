import { getAddress, isAddress } from 'viem'
import type { CreateRefundInput, Refund, RefundFilter, RefundPage, Refundable, RefundStatus } from '../../../src-preload/contract'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, get, run, value } from '../db/sql'
import { afterCommit, transaction } from '../db/transaction'
import { conflict, invalid } from '../errors'
import type { EngineEvents } from '../events'
import { newId } from '../ids'
import { MoneyError, formatBaseUnits, parseTokenAmount } from '../money'
import type { ObservedTransfer } from '../payments'
import type { SessionRow, SessionScope, Sessions } from '../sessions'
import type { RefundRow, ShownRefundRow } from './read'
import { isShopAddress, listRefunds, refundRowById, refundRowBySeq, scopedRefund, toRefund } from './read'
import { refundableOf, refundableStatus } from './refundable'

/** A refund not paid within this long fails (`refund.failed`): the owner makes a new one if still wanted. */
export const REFUND_TTL_SECONDS = 7 * 24 * 3600

export interface RefundsDeps {
  db: Db
  clock: Clock
  events: EngineEvents
  sessions: Sessions
}

/** A create as the engine takes it: the channel's input, with the key's merchant and mode. */
export interface CreateRefundArgs extends CreateRefundInput {
  merchantId: string
  livemode: boolean
}

/** What one scan of a chain tells the refunds (applied in the watcher's commit). */
export interface RefundObservation {
  chainId: number
  head: number
  /** A reorg: transfers in blocks above this are gone. */
  orphanAbove?: number | null
  /** Token transfers to open refunds' destinations, from anyone (whether the sender is the shop is checked here). */
  outgoing: ObservedTransfer[]
  /** Block number → canonical hash, for blocks this scan fetched. */
  canonical: ReadonlyMap<number, string>
  tillAheadSeconds?: number
}

/** The outgoing transfer a tx receipt proved, for `prove`. */
export interface ProvenTransfer extends ObservedTransfer {
  head: number
}

/**
 * Refunds: created against a session that received money, paid by the owner
 * from the shop's wallet, proven by the watcher (or a pasted tx hash). Every
 * change is one line in the session's timeline, pushed to the screens
 * (`refund:updated`, and `session:updated` for the session), and the two
 * outcomes the back office acts on, `refund.succeeded` and `refund.failed`,
 * go through the webhook outbox in the same commit.
 */
export class Refunds {
  constructor(private readonly deps: RefundsDeps) {}

  private get db(): Db {
    return this.deps.db
  }

  refundable(sessionId: string, scope: SessionScope): Refundable {
    return refundableOf(this.db, this.deps.sessions.scopedRow(sessionId, scope))
  }

  get(id: string, scope: SessionScope): Refund {
    return toRefund(scopedRefund(this.db, id, scope))
  }

  /** A refund by the merchant's own `refund_id` (StablePay's /api/v1 names refunds so, #12), or by its `re_` id. */
  byRefundId(refundId: string, scope: SessionScope): Refund {
    const id = value<string>(
      this.db,
      'SELECT id FROM refunds WHERE merchant_id = ? AND refund_id = ? AND (? IS NULL OR livemode = ?)',
      scope.merchantId,
      refundId,
      scope.livemode === undefined ? null : Number(scope.livemode),
      scope.livemode === undefined ? null : Number(scope.livemode),
    )
    return this.get(id ?? refundId, scope)
  }

  list(scope: SessionScope, filter: RefundFilter): RefundPage {
    return listRefunds(this.db, scope, filter)
  }

  /**
   * A new refund, or the existing one with the same merchant `refund_id` when
   * the terms are the same (`created: false`); different terms are a conflict.
   */
  create(input: CreateRefundArgs): { refund: Refund; created: boolean } {
    const { db } = this
    const scope = { merchantId: input.merchantId, livemode: input.livemode }
    return transaction(db, () => {
      const session = this.deps.sessions.scopedRow(input.session_id, scope)
      const refundId = input.refund_id ?? newId('rfk')
      const existing = get<RefundRow>(
        db,
        'SELECT * FROM refunds WHERE merchant_id = ? AND livemode = ? AND refund_id = ?',
        input.merchantId,
        input.livemode ? 1 : 0,
        refundId,
      )
      if (existing) {
        const differs = differentTerms(existing, session, input)
        if (differs)
          throw conflict('refund_conflict', `refund_id "${refundId}" was already used for a refund with a different ${differs}`, differs)
        return { refund: toRefund(refundRowBySeq(db, existing.seq)!), created: false }
      }

      const refundable = refundableOf(db, session)
      if (!refundableStatus(session.status))
        throw conflict(
          'session_not_refundable',
          `session ${session.id} is ${session.status}; a refund can be made once the sale has ended (completed, expired or cancelled)`,
          'session_id',
        )
      if (refundable.options.length === 0)
        throw conflict('session_not_refundable', `session ${session.id} received nothing to refund`, 'session_id')
      const option = refundable.options.find(
        (o) => (input.chain_id === undefined || o.chain_id === input.chain_id) && (input.token === undefined || o.token === input.token),
      )
      if (!option)
        throw invalid(
          'parameter_invalid',
          `session ${session.id} received no ${input.token ?? 'token'} on that network`,
          input.token ? 'token' : 'chain_id',
        )
      let amount: bigint
      try {
        amount = parseTokenAmount(input.amount, option.decimals)
      } catch (error) {
        if (error instanceof MoneyError) throw invalid('parameter_invalid', error.message, 'amount')
        throw error
      }
      if (amount > BigInt(option.refundable_base_units))
        throw conflict(
          'refund_exceeds_received',
          `at most ${option.refundable} ${option.token} of session ${session.id} can still be refunded (received ${formatBaseUnits(BigInt(option.received_base_units), option.decimals)}, already refunded or being refunded ${formatBaseUnits(BigInt(option.refunded_base_units), option.decimals)})`,
          'amount',
        )
      const destination = this.destinationOf(input.destination, option.default_destination, input.merchantId)

      const now = nowSeconds(this.deps.clock)
      const id = newId('re')
      const { seq } = get<{ seq: number }>(
        db,
        `INSERT INTO refunds (id, merchant_id, livemode, session_seq, refund_id, chain_id, token_symbol, token_address, decimals, amount,
           destination, reason, description, metadata, status, created_at, expires_at, updated_at)
         VALUES (@id, @merchant, @livemode, @session, @refundId, @chain, @symbol, @token, @decimals, @amount,
           @destination, @reason, @description, @metadata, 'pending', @now, @expires, @now)
         RETURNING seq`,
        {
          id,
          merchant: input.merchantId,
          livemode: input.livemode ? 1 : 0,
          session: session.seq,
          refundId,
          chain: option.chain_id,
          symbol: option.token,
          token: option.token_address,
          decimals: option.decimals,
          amount: amount.toString(),
          destination,
          reason: input.reason ?? 'requested_by_customer',
          description: input.description ?? null,
          metadata: JSON.stringify(input.metadata ?? {}),
          now,
          expires: now + REFUND_TTL_SECONDS,
        },
      )!
      this.note(seq, `refund ${id} created: ${formatBaseUnits(amount, option.decimals)} ${option.token} to ${destination}`)
      return { refund: toRefund(refundRowBySeq(db, seq)!), created: true }
    })
  }

  /** Only a refund still waiting for its transfer can be cancelled. */
  cancel(id: string, scope: SessionScope): Refund {
    return transaction(this.db, () => {
      const row = scopedRefund(this.db, id, scope)
      if (row.status !== 'pending')
        throw conflict('refund_not_cancelable', `refund ${row.id} is ${row.status}; only a pending refund can be cancelled`, 'id')
      this.move(row, 'canceled', `refund ${row.id} cancelled`)
      return toRefund(refundRowBySeq(this.db, row.seq)!)
    })
  }

  /** Pending refunds past `expires_at` fail: no transfer came. An index range read, cheap every second. */
  expireDue(): number {
    const now = nowSeconds(this.deps.clock)
    return transaction(this.db, () => {
      const due = all<ShownRefundRow>(
        this.db,
        `SELECT r.*, s.id AS session_id, NULL AS network, NULL AS required_confirmations FROM refunds r JOIN sessions s ON s.seq = r.session_seq
          WHERE r.status = 'pending' AND r.expires_at <= ? ORDER BY r.expires_at LIMIT 1000`,
        now,
      )
      for (const row of due) this.move(row, 'failed', `refund ${row.id} failed: no transfer before it expired`)
      return due.length
    })
  }

  /** Destinations (with their tokens) of the chain's open refunds: the watcher asks the chain for transfers to them. */
  openTargets(chainId: number): { destinations: string[]; tokens: string[] } {
    const rows = all<{ destination: string; token_address: string }>(
      this.db,
      `SELECT DISTINCT destination, token_address FROM refunds WHERE chain_id = ? AND status IN ('pending', 'processing')`,
      chainId,
    )
    return { destinations: [...new Set(rows.map((r) => r.destination))], tokens: [...new Set(rows.map((r) => r.token_address))] }
  }

  /** Blocks of processing refunds deep enough to succeed: the watcher fetches their headers as proof they are canonical. */
  blocksToProve(chainId: number, head: number): number[] {
    return all<{ block_number: number }>(
      this.db,
      `SELECT DISTINCT r.block_number FROM refunds r JOIN chains c ON c.chain_id = r.chain_id
        WHERE r.chain_id = ? AND r.status IN ('pending', 'processing') AND r.status = 'processing' AND ? - r.block_number + 1 >= c.confirmations`,
      chainId,
      head,
    ).map((r) => r.block_number)
  }

  /**
   * Applies one scan inside the watcher's commit: a reorg puts processing
   * refunds back to pending, matching transfers move pending ones to
   * processing, and confirmations (with the block proven canonical) make them
   * succeed, exactly as a payment completes.
   */
  observe(obs: RefundObservation): void {
    const { db } = this
    if (obs.orphanAbove !== undefined && obs.orphanAbove !== null) {
      const reorged = all<ShownRefundRow>(
        db,
        `SELECT r.*, s.id AS session_id, NULL AS network, NULL AS required_confirmations FROM refunds r JOIN sessions s ON s.seq = r.session_seq
          WHERE r.chain_id = ? AND r.status IN ('pending', 'processing') AND r.status = 'processing' AND r.block_number > ?`,
        obs.chainId,
        obs.orphanAbove,
      )
      for (const row of reorged) {
        run(
          db,
          `UPDATE refunds SET tx_hash = NULL, log_index = NULL, from_address = NULL, block_number = NULL, block_hash = NULL, confirmations = 0
            WHERE seq = ?`,
          row.seq,
        )
        this.move(row, 'pending', `refund ${row.id}: a chain reorganisation removed its transfer ${row.tx_hash}; waiting for it again`)
      }
    }
    const ordered = [...obs.outgoing].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
    for (const t of ordered) this.match(t, obs.head, obs.tillAheadSeconds)
    this.confirm(obs.chainId, obs.head, obs.canonical)
  }

  /**
   * The owner pasted the hash of the transfer that paid it, and the chain's
   * receipt shows `transfer`: the same rules as the watcher's (token,
   * destination, exact amount, from a shop address, not older than the refund).
   * Throws, changing nothing, when it does not pay this refund.
   */
  applyProof(id: string, scope: SessionScope, transfer: ProvenTransfer, canonical: ReadonlyMap<number, string>): Refund {
    return transaction(this.db, () => {
      const row = scopedRefund(this.db, id, scope)
      if (row.tx_hash === transfer.txHash && row.log_index === transfer.logIndex) return toRefund(row)
      if (row.status !== 'pending')
        throw conflict('refund_not_pending', `refund ${row.id} is ${row.status}; only a pending refund can be proven paid`, 'id')
      const problem = this.mismatch(row, transfer)
      if (problem) throw conflict('refund_proof_mismatch', `that transaction does not pay refund ${row.id}: ${problem}`, 'tx_hash')
      const used = get<{ id: string }>(
        this.db,
        'SELECT id FROM refunds WHERE chain_id = ? AND tx_hash = ? AND log_index = ?',
        transfer.chainId,
        transfer.txHash,
        transfer.logIndex,
      )
      if (used) throw conflict('refund_proof_mismatch', `that transfer already pays refund ${used.id}`, 'tx_hash')
      this.record(row, transfer, transfer.head, 'proven by the pasted transaction hash')
      this.confirm(transfer.chainId, transfer.head, canonical)
      return toRefund(refundRowBySeq(this.db, row.seq)!)
    })
  }

  // ------------------------------------------------------------------ inside a transaction

  private destinationOf(given: string | undefined, fallback: string | null, merchantId: string): string {
    const raw = given ?? fallback
    if (raw === null || raw === undefined)
      throw invalid('parameter_missing', 'destination is needed: the sale has no payment to send the refund back to', 'destination')
    if (!isAddress(raw, { strict: false }))
      throw invalid('parameter_invalid', 'destination must be an address: 0x followed by 40 hex characters', 'destination')
    const checksummed = getAddress(raw)
    // Mixed case is a checksum: a typo in it must be caught, not "corrected" into someone else's address.
    const mixed = /[a-f]/.test(raw.slice(2)) && /[A-F]/.test(raw.slice(2))
    if (mixed && checksummed !== raw)
      throw invalid('destination_checksum_invalid', `destination ${raw} has a wrong checksum (a mistyped character?)`, 'destination')
    if (/^0x0{40}$/.test(checksummed)) throw invalid('parameter_invalid', 'destination cannot be the zero address', 'destination')
    if (isShopAddress(this.db, merchantId, checksummed))
      throw invalid(
        'destination_is_shop',
        `destination ${checksummed} is one of the shop's own addresses; a refund goes to the customer`,
        'destination',
      )
    return checksummed
  }

  /** Why `t` does not pay `row`, or null when it does. */
  private mismatch(row: RefundRow, t: ObservedTransfer): string | null {
    if (t.chainId !== row.chain_id) return 'another network'
    if (t.tokenAddress.toLowerCase() !== row.token_address.toLowerCase()) return `not a ${row.token_symbol} transfer`
    if (t.to.toLowerCase() !== row.destination.toLowerCase()) return `sent to ${t.to}, not to ${row.destination}`
    if (t.amount !== BigInt(row.amount))
      return `${formatBaseUnits(t.amount, row.decimals)} ${row.token_symbol} sent, the refund is ${formatBaseUnits(BigInt(row.amount), row.decimals)}`
    if (t.blockTimestamp < row.created_at) return 'it was made before the refund was created'
    if (!isShopAddress(this.db, row.merchant_id, t.from)) return `sent from ${t.from}, which is not one of the shop's addresses`
    return null
  }

  /** An outgoing transfer seen by the watcher: the oldest pending refund it pays moves to processing. */
  private match(t: ObservedTransfer, head: number, tillAheadSeconds: number | undefined): void {
    const { db } = this
    const same = get<RefundRow>(
      db,
      'SELECT * FROM refunds WHERE chain_id = ? AND tx_hash = ? AND log_index = ?',
      t.chainId,
      t.txHash,
      t.logIndex,
    )
    if (same) {
      // Seen again in a replacement block (a reorg that kept it): follow it to its new block.
      if (same.block_hash !== t.blockHash)
        run(
          db,
          'UPDATE refunds SET block_number = ?, block_hash = ?, updated_at = ? WHERE seq = ?',
          t.blockNumber,
          t.blockHash,
          nowSeconds(this.deps.clock),
          same.seq,
        )
      return
    }
    // Judged on the till's clock, which wrote the refund's created_at (as payments are).
    const judged = tillAheadSeconds ? { ...t, blockTimestamp: t.blockTimestamp + tillAheadSeconds } : t
    const candidates = all<RefundRow>(
      db,
      `SELECT * FROM refunds WHERE chain_id = ? AND status IN ('pending', 'processing') AND status = 'pending'
         AND destination = ? AND amount = ? ORDER BY created_at, seq`,
      t.chainId,
      t.to,
      t.amount.toString(),
    )
    const row = candidates.find((r) => this.mismatch(r, judged) === null)
    if (row) this.record(row, t, head, 'transfer seen')
  }

  private record(row: RefundRow, t: ObservedTransfer, head: number, how: string): void {
    const confirmations = Math.max(0, head - t.blockNumber + 1)
    run(
      this.db,
      `UPDATE refunds SET tx_hash = ?, log_index = ?, from_address = ?, block_number = ?, block_hash = ?, confirmations = ? WHERE seq = ?`,
      t.txHash,
      t.logIndex,
      t.from,
      t.blockNumber,
      t.blockHash,
      confirmations,
      row.seq,
    )
    this.move(row, 'processing', `refund ${row.id}: ${how} (${t.txHash} from ${t.from}); confirming`)
  }

  /** Confirmations of the chain's processing refunds; deep enough and proven canonical: succeeded. */
  private confirm(chainId: number, head: number, canonical: ReadonlyMap<number, string>): void {
    const { db } = this
    const rows = all<ShownRefundRow>(
      db,
      `UPDATE refunds SET confirmations = max(0, @head - block_number + 1)
        WHERE chain_id = @chain AND status IN ('pending', 'processing') AND status = 'processing'
        RETURNING *, NULL AS session_id, NULL AS network, NULL AS required_confirmations`,
      { head, chain: chainId },
    )
    if (rows.length === 0) return
    const required = get<{ confirmations: number }>(db, 'SELECT confirmations FROM chains WHERE chain_id = ?', chainId)?.confirmations ?? 1
    for (const row of rows) {
      this.pushLater(row.seq)
      if (row.confirmations < required || row.block_number === null) continue
      // Never on a block we cannot vouch for: the watcher fetched this block's header in this scan.
      if (canonical.get(row.block_number) !== row.block_hash) continue
      const now = nowSeconds(this.deps.clock)
      run(db, 'UPDATE refunds SET succeeded_at = ? WHERE seq = ?', now, row.seq)
      this.move(row, 'succeeded', `refund ${row.id} succeeded (${row.confirmations} confirmation${row.confirmations === 1 ? '' : 's'})`)
    }
  }

  /** The one way a refund's status changes: the row, the session's timeline, the outbox, the pushes. */
  private move(row: RefundRow, to: RefundStatus, reason: string): void {
    const { db } = this
    const now = nowSeconds(this.deps.clock)
    const ends = to === 'canceled' || to === 'failed'
    run(
      db,
      `UPDATE refunds SET status = ?, updated_at = ?, ended_at = CASE WHEN ? THEN ? ELSE ended_at END WHERE seq = ?`,
      to,
      now,
      ends ? 1 : 0,
      now,
      row.seq,
    )
    this.note(row.seq, reason)
    if (to === 'succeeded' || to === 'failed') this.writeEvent(`refund.${to}`, row.seq)
  }

  /** A line in the session's timeline (its status stays) and the pushes after the commit. */
  private note(refundSeq: number, reason: string): void {
    const { db } = this
    const refund = get<{ session_seq: number }>(db, 'SELECT session_seq FROM refunds WHERE seq = ?', refundSeq)!
    const session = this.deps.sessions.rowBySeq(refund.session_seq)!
    run(
      db,
      'INSERT INTO session_timeline (session_seq, at, from_status, to_status, reason) VALUES (?, ?, ?, ?, ?)',
      session.seq,
      nowSeconds(this.deps.clock),
      session.status,
      session.status,
      reason,
    )
    this.deps.sessions.touch(session.seq)
    this.pushLater(refundSeq)
  }

  private pushLater(seq: number): void {
    const { db, events } = this.deps
    afterCommit(db, `refund:${seq}`, () => {
      if (!events.hasListeners('refund:updated')) return
      const row = refundRowBySeq(db, seq)
      if (row) events.emit('refund:updated', toRefund(row))
    })
  }

  /** The outbox row, in this commit: the refund exactly as the API shows it now, ordered with its session's events. */
  private writeEvent(type: 'refund.succeeded' | 'refund.failed', seq: number): void {
    const { db, events } = this.deps
    const refund = toRefund(refundRowBySeq(db, seq)!)
    const id = newId('evt')
    const created = nowSeconds(this.deps.clock)
    const body = JSON.stringify({ id, type, created, livemode: refund.livemode, data: { object: refund } })
    run(
      db,
      'INSERT INTO events (id, type, merchant_id, livemode, session_id, created, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
      id,
      type,
      refund.merchant_id,
      refund.livemode ? 1 : 0,
      refund.session_id,
      created,
      body,
    )
    afterCommit(db, 'outbox:written', () => events.emitInternal('outbox:written'))
  }
}

/** The first term of a repeated create that differs from the stored refund, or null when it is the same request. */
function differentTerms(existing: RefundRow, session: SessionRow, input: CreateRefundInput): string | null {
  if (existing.session_seq !== session.seq) return 'session_id'
  let amount: bigint | null = null
  try {
    amount = parseTokenAmount(input.amount, existing.decimals)
  } catch {
    amount = null
  }
  if (amount === null || amount.toString() !== existing.amount) return 'amount'
  if (input.chain_id !== undefined && input.chain_id !== existing.chain_id) return 'chain_id'
  if (input.token !== undefined && input.token !== existing.token_symbol) return 'token'
  if (input.destination !== undefined && input.destination.toLowerCase() !== existing.destination.toLowerCase()) return 'destination'
  if (input.reason !== undefined && input.reason !== existing.reason) return 'reason'
  if (input.description !== undefined && input.description !== existing.description) return 'description'
  if (input.metadata !== undefined && JSON.stringify(input.metadata) !== existing.metadata) return 'metadata'
  return null
}

export { refundRowById }
