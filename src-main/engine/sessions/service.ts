import type {
  PaymentOption,
  PaymentSession,
  SessionException,
  SessionFilter,
  SessionPage,
  SessionStatus,
  SessionTransaction,
  TimelineEntry,
} from '../../../src-preload/contract'
import type { Transaction } from 'better-sqlite3'
import type { Clock } from '../clock'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { prepared } from '../db'
import { conflict, EngineError, invalid, notFound } from '../errors'
import type { EngineEvents } from '../events'
import { newId } from '../ids'
import { fiatToUsdCents, formatBaseUnits, formatMinor, isCurrency, MoneyError, parseFiatAmount, usdCentsToBaseUnits } from '../money'
import type { RateBook } from '../rates'
import { RateError } from '../rates'
import { buildPaymentUri, deriveAddress } from '../receive'
import type { Merchants, Networks } from '../shop'
import type { SessionScope } from './filter'
import { parseSessionFilter, sessionFilterSql } from './filter'
import type { SessionIds } from './ids'
import { sessionIdsOf } from './ids'
import { OPTIONS_PER_SESSION, optionsOfSession } from './options'
import { assertTransition, eventTypeFor, OPEN_STATUSES } from './stateMachine'
import type { IncomingPayments } from '../watcher/pending/incoming'

export interface CreateSessionInput {
  merchantId: string
  livemode: boolean
  orderId: string
  amount: string
  currency: string
  chainId?: number
  token?: string
  metadata?: Record<string, string>
  /** Seconds, 60-86400; default the merchant's session TTL (15 min). */
  expiresIn?: number
}

export interface SessionsOptions {
  /** A payment found this long after expiry still completes the session (flagged `paid_late`). Default 24 h. */
  lateWindowSeconds?: number
  /** "Payment incoming": the pending transaction shown on an open sale (watcher/pending). */
  incoming?: Pick<IncomingPayments, 'of' | 'droppedOf'>
}

export interface SessionRow {
  seq: number
  id: string
  merchant_id: string
  livemode: number
  order_id: string
  amount_minor: number
  currency: string
  metadata: string
  status: SessionStatus
  created_at: number
  expires_at: number
  ended_at: number | null
  exchange_rate: string | null
  rate_locked_at: number | null
  usd_cents: number
  paid_option_id: number | null
  amount_due: string | null
  amount_paid: string
  confirmations: number
  required_confirmations: number
  exceptions: string
  ever_processing: number
  completed_at: number | null
  updated_at: number
}

export interface OptionRow {
  id: number
  session_seq: number
  kind: 'payment' | 'remainder'
  chain_id: number
  token_symbol: string
  token_address: string
  decimals: number
  address: string
  child_index: number | null
  base_amount: string
  suffix: number
  amount: string
  held_until: number | null
  active: number
  network?: string
}

export interface TransferRow {
  chain_id: number
  tx_hash: string
  log_index: number
  token_symbol: string
  token_address: string
  from_address: string
  to_address: string
  amount: string
  block_number: number
  block_timestamp: number
  confirmations: number
  state: 'pending' | 'confirmed' | 'orphaned'
}

// No control characters (C0, DEL, C1): an order id ends up in CSV files, logs and receipts.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/
const MAX_METADATA_PAIRS = 20

/**
 * Payment sessions: creation with locked terms and reserved amounts, reads,
 * cancel, expiry, and the one guarded way to change a status (`transition`),
 * which also writes the timeline and the outbox event in the caller's
 * transaction.
 */
export class Sessions {
  readonly lateWindowSeconds: number
  private depth = 0
  private readonly touched = new Set<number>()
  private outboxWritten = false
  /** One wrapper for every call: better-sqlite3 builds five functions per `db.transaction()`. */
  private readonly inTransaction: Transaction<(fn: () => unknown) => unknown>
  readonly ids: SessionIds
  private readonly incoming: SessionsOptions['incoming']

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly events: EngineEvents,
    private readonly merchants: Merchants,
    private readonly networks: Networks,
    private readonly rates: RateBook,
    options: SessionsOptions = {},
  ) {
    this.lateWindowSeconds = options.lateWindowSeconds ?? 24 * 3600
    this.incoming = options.incoming
    this.inTransaction = db.transaction((fn: () => unknown) => fn())
    this.ids = sessionIdsOf(db)
    // For SQL that finds a session by an id it was given (the history search).
    db.function('session_seq_of', { deterministic: true }, (id: unknown) => this.ids.seqOf(id))
  }

  /**
   * Runs `fn` in one SQLite transaction (nested calls join the outer one) and,
   * only after the outermost commit, pushes `session:updated` for every session
   * it touched and wakes the webhook sender. Never `await` inside `fn`.
   */
  transaction<T>(fn: () => T): T {
    this.depth++
    let result: T
    try {
      // IMMEDIATE: the write lock is taken up front, so a transaction that reads and then writes never has to
      // upgrade its lock, which fails at once (busy_timeout cannot help) if another connection wrote meanwhile.
      result = this.inTransaction.immediate(fn) as T
    } catch (error) {
      this.depth--
      if (this.depth === 0) {
        this.touched.clear()
        this.outboxWritten = false
      }
      throw error
    }
    this.depth--
    if (this.depth === 0) this.flush()
    return result
  }

  private flush(): void {
    const seqs = [...this.touched]
    this.touched.clear()
    const woke = this.outboxWritten
    this.outboxWritten = false
    if (woke) this.events.emitInternal('outbox:written')
    if (!this.events.hasListeners('session:updated')) return
    for (const seq of seqs) {
      try {
        const row = this.rowBySeq(seq)
        if (row) this.events.emit('session:updated', this.toObject(row))
      } catch (error) {
        // Already committed: a push that cannot be built is logged, and the UI refetches on its next look.
        console.error('session:updated push failed:', error instanceof Error ? error.message : error)
      }
    }
  }

  /** Marks a session changed inside the current transaction (pushed after commit). */
  touch(seq: number): void {
    this.touched.add(seq)
  }

  // ------------------------------------------------------------------ create

  create(input: CreateSessionInput): { session: PaymentSession; created: boolean } {
    const orderId = input.orderId
    if (typeof orderId !== 'string' || orderId.length < 1 || orderId.length > 128)
      throw invalid('parameter_invalid', 'order_id must be 1-128 characters', 'order_id')
    if (CONTROL_CHARS.test(orderId)) throw invalid('parameter_invalid', 'order_id must not contain control characters', 'order_id')
    const currency = input.currency
    if (!isCurrency(currency)) throw invalid('parameter_invalid', `unsupported currency "${currency}"`, 'currency')
    let amountMinor: bigint
    try {
      amountMinor = parseFiatAmount(input.amount, currency)
    } catch (error) {
      if (error instanceof MoneyError) throw invalid('parameter_invalid', error.message, 'amount')
      throw error
    }
    const metadata = validateMetadata(input.metadata)
    const expiresIn = input.expiresIn
    if (expiresIn !== undefined && (!Number.isInteger(expiresIn) || expiresIn < 60 || expiresIn > 86400))
      throw invalid('parameter_invalid', 'expires_in must be an integer number of seconds from 60 to 86400', 'expires_in')

    let accepted = this.networks.accepted(input.livemode)
    if (input.chainId !== undefined) accepted = accepted.filter((a) => a.chain.chain_id === input.chainId)
    if (input.token !== undefined) accepted = accepted.filter((a) => a.token.symbol === input.token)
    if (accepted.length === 0) {
      const param = input.token !== undefined ? 'token' : input.chainId !== undefined ? 'chain_id' : undefined
      throw invalid(
        'parameter_invalid',
        `no enabled ${input.livemode ? 'mainnet' : 'testnet'} network and token matches this request` +
          (input.livemode ? '' : ' (test keys only reach testnets)'),
        param,
      )
    }

    // Every read below is inside the write transaction: one lock round for the whole sale.
    return this.transaction(() => {
      const merchant = this.merchants.get(input.merchantId)
      // One indexed look-up answers both order rules: a live session is returned, a completed order refused.
      const sameOrder = prepared(
        this.db,
        `SELECT * FROM sessions WHERE merchant_id = ? AND livemode = ? AND order_id = ? AND status NOT IN ('EXPIRED', 'CANCELLED')`,
      ).all(merchant.id, input.livemode ? 1 : 0, orderId) as SessionRow[]
      const live = sameOrder.find((r) => r.status !== 'COMPLETED')
      if (live) return { session: this.toObject(live), created: false }
      const paid = sameOrder[0]
      if (paid) throw conflict('order_completed', `order "${orderId}" was already paid by ${paid.id}`, 'order_id')

      // Priced only for a new session: asking again for a live order returns it even if the rate went stale since.
      const now = nowSeconds(this.clock)
      let exchangeRate: string | null = null
      let rateLockedAt: number | null = null
      if (currency !== 'USD') {
        try {
          const quote = this.rates.quote(currency)
          exchangeRate = quote.rate
          rateLockedAt = now
        } catch (error) {
          if (error instanceof RateError) {
            if (error.code === 'rate_stale') throw conflict('rate_stale', error.message, 'currency')
            throw conflict('rate_unavailable', error.message, 'currency')
          }
          throw error
        }
      }
      const usdCents = fiatToUsdCents(amountMinor, currency, exchangeRate)
      if (usdCents <= 0n) throw invalid('parameter_invalid', 'amount converts to less than one US cent', 'amount')
      // Stored as an INTEGER and read back as a JS number: beyond 2^53 it would not round-trip exactly.
      if (usdCents > BigInt(Number.MAX_SAFE_INTEGER))
        throw invalid('parameter_invalid', 'amount converts to more US dollars than a payment session can hold', 'amount')

      const first = accepted[0]!
      // Built here rather than read back with RETURNING *: a 26-column row object costs more to make in
      // better-sqlite3 than the INSERT itself. Positional parameters bind without a property look-up each.
      // The id carries the row number (ids.ts), so the row number is chosen here, inside the write lock.
      const seq = prepared(this.db, 'SELECT coalesce(max(seq), 0) + 1 FROM sessions').pluck().get() as number
      const row: SessionRow = {
        seq,
        id: this.ids.make(seq),
        merchant_id: merchant.id,
        livemode: input.livemode ? 1 : 0,
        order_id: orderId,
        amount_minor: Number(amountMinor),
        currency,
        metadata: JSON.stringify(metadata),
        status: 'PENDING',
        created_at: now,
        expires_at: now + (expiresIn ?? merchant.session_ttl_seconds),
        ended_at: null,
        exchange_rate: exchangeRate,
        rate_locked_at: rateLockedAt,
        usd_cents: Number(usdCents),
        paid_option_id: null,
        amount_due: null,
        amount_paid: '0',
        confirmations: 0,
        required_confirmations: first.chain.confirmations,
        exceptions: '[]',
        ever_processing: 0,
        completed_at: null,
        updated_at: now,
      }
      prepared(
        this.db,
        `INSERT INTO sessions (seq, id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at,
           exchange_rate, rate_locked_at, usd_cents, required_confirmations, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        seq,
        row.id,
        row.merchant_id,
        row.livemode,
        row.order_id,
        amountMinor,
        row.currency,
        row.metadata,
        now,
        row.expires_at,
        exchangeRate,
        rateLockedAt,
        usdCents,
        row.required_confirmations,
        now,
      )
      let address: string
      let childIndex: number | null = null
      if (merchant.receive.mode === 'xpub') {
        childIndex = this.merchants.takeChildIndex(merchant.id)
        address = deriveAddress(merchant.receive.xpub ?? '', childIndex)
      } else {
        address = merchant.receive.address ?? ''
      }
      const options = accepted.map(({ chain, token }, n) => ({
        ...this.reserve({
          id: row.seq * OPTIONS_PER_SESSION + n,
          sessionSeq: row.seq,
          kind: 'payment',
          chainId: chain.chain_id,
          token: token.symbol,
          tokenAddress: token.address,
          decimals: token.decimals,
          address,
          childIndex,
          baseAmount: usdCentsToBaseUnits(usdCents, token.decimals),
        }),
        network: chain.name,
      }))
      this.touch(row.seq)
      // Built from what was just written: a new session has no transfers yet.
      return { session: this.toObject(row, options, []), created: true }
    })
  }

  /**
   * Reserves the smallest free amount ≥ `baseAmount` on (chain, token, address)
   * and stores it as a payment option. The UNIQUE index on active reservations
   * is the guard; the search below only finds the first likely gap.
   */
  reserve(args: {
    /** The option's id; by default the session's next (options.ts). */
    id?: number
    sessionSeq: number
    kind: 'payment' | 'remainder'
    chainId: number
    token: string
    tokenAddress: string
    decimals: number
    address: string
    childIndex: number | null
    baseAmount: bigint
  }): OptionRow {
    const id = args.id ?? this.nextOptionId(args.sessionSeq)
    const insert = prepared(
      this.db,
      // Only the reservation may refuse quietly: a clash of ids is a bug and must throw.
      `INSERT INTO payment_options (id, session_seq, kind, chain_id, token_symbol, token_address, decimals, address, child_index, base_amount, suffix, amount)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (chain_id, token_address, address, length(amount), amount) WHERE active = 1 DO NOTHING`,
    )
    const baseAmount = args.baseAmount.toString()
    // Sub-cent suffixes: a window of one US cent in this token's base units holds one price's suffixes.
    const window = 10n ** BigInt(Math.max(0, args.decimals - 2))
    let from = args.baseAmount
    for (let tries = 0; tries < 1000; tries++) {
      const amount = this.firstFreeAmount(args.chainId, args.tokenAddress, args.address, from, window)
      const suffix = Number(amount - args.baseAmount)
      const amountText = amount.toString()
      // The UNIQUE index has the last word: should it refuse (the search and the index disagree), the next free one is tried.
      const { changes } = insert.run(
        id,
        args.sessionSeq,
        args.kind,
        args.chainId,
        args.token,
        args.tokenAddress,
        args.decimals,
        args.address,
        args.childIndex,
        baseAmount,
        suffix,
        amountText,
      )
      if (changes === 1)
        return {
          id,
          session_seq: args.sessionSeq,
          kind: args.kind,
          chain_id: args.chainId,
          token_symbol: args.token,
          token_address: args.tokenAddress,
          decimals: args.decimals,
          address: args.address,
          child_index: args.childIndex,
          base_amount: baseAmount,
          suffix,
          amount: amountText,
          held_until: null,
          active: 1,
        }
      from = amount + 1n
    }
    throw new EngineError('api_error', 'amount_space_exhausted', 'could not reserve a unique amount for this payment')
  }

  private nextOptionId(seq: number): number {
    const next = prepared(
      this.db,
      `SELECT coalesce(max(id) + 1, ? * ${OPTIONS_PER_SESSION}) FROM payment_options WHERE ${optionsOfSession('?')}`,
    )
      .pluck()
      .get(seq, seq, seq) as number
    if (next >= (seq + 1) * OPTIONS_PER_SESSION)
      throw new EngineError('api_error', 'too_many_options', `session #${seq} already has ${OPTIONS_PER_SESSION} payment options`)
    return next
  }

  /**
   * The smallest amount ≥ `from` not reserved on (chain, token, address). Reads
   * the reservation index one window at a time; within one string length, text
   * order is numeric order, which is what the index is sorted by.
   */
  private firstFreeAmount(chainId: number, tokenAddress: string, address: string, from: bigint, window: bigint): bigint {
    const held = `FROM payment_options WHERE chain_id = ? AND token_address = ? AND address = ?
      AND active = 1 AND length(amount) = ? AND amount >= ? AND amount <= ?`
    const count = prepared(this.db, `SELECT count(*), max(amount) ${held}`).raw()
    let lo = from
    for (;;) {
      const digits = lo.toString().length
      const last = 10n ** BigInt(digits) - 1n // the largest amount with as many digits
      const hi = lo + window - 1n < last ? lo + window - 1n : last
      const loText = lo.toString()
      const [n, top] = count.get(chainId, tokenAddress, address, digits, loText, hi.toString()) as [number, string | null]
      if (n === 0 || top === null) return lo
      const highest = BigInt(top)
      // Dense (lo .. highest all held): the answer is just past it, found without a walk.
      if (highest - lo + 1n === BigInt(n)) {
        if (highest < hi) return highest + 1n
        lo = hi + 1n
        continue
      }
      // A hole in between (a released sale): walk up to it.
      let expected = lo
      for (const amount of prepared(this.db, `SELECT amount ${held} ORDER BY amount`)
        .pluck()
        .iterate(chainId, tokenAddress, address, digits, loText, top) as Iterable<string>) {
        if (BigInt(amount) !== expected) return expected
        expected++
      }
      return expected
    }
  }

  /** Frees reservations whose late window is over, so their amounts can be offered again. */
  releaseLapsedHolds(now: number): void {
    prepared(this.db, 'UPDATE payment_options SET active = 0 WHERE active = 1 AND held_until IS NOT NULL AND held_until <= ?').run(now)
  }

  // ------------------------------------------------------------------ reads

  rowBySeq(seq: number): SessionRow | undefined {
    return prepared(this.db, 'SELECT * FROM sessions WHERE seq = ?').get(seq) as SessionRow | undefined
  }

  /** By the row number the id carries (ids.ts), or for an id issued before ids carried one, by the old ids' table. */
  rowById(id: string): SessionRow | undefined {
    const seq = this.ids.seqOf(id)
    const row =
      seq === null
        ? undefined
        : (prepared(this.db, 'SELECT * FROM sessions WHERE seq = ? AND id = ?').get(seq, id) as SessionRow | undefined)
    return (
      row ??
      (prepared(this.db, 'SELECT s.* FROM session_legacy_ids l JOIN sessions s ON s.seq = l.seq WHERE l.id = ?').get(id) as
        SessionRow | undefined)
    )
  }

  /** A session as its merchant (and mode, when given) may see it; anyone else gets 404. */
  get(id: string, scope: { merchantId: string; livemode?: boolean }): PaymentSession {
    return this.toObject(this.scopedRow(id, scope))
  }

  scopedRow(id: string, scope: { merchantId: string; livemode?: boolean }): SessionRow {
    const row = typeof id === 'string' ? this.rowById(id) : undefined
    if (!row || row.merchant_id !== scope.merchantId || (scope.livemode !== undefined && (row.livemode === 1) !== scope.livemode))
      throw notFound(`no payment session "${String(id)}"`, 'id')
    return row
  }

  timeline(id: string, scope: { merchantId: string; livemode?: boolean }): TimelineEntry[] {
    const row = this.scopedRow(id, scope)
    // The first step is not stored: every session starts PENDING at its created_at.
    const created: TimelineEntry = { at: row.created_at, from_status: null, to_status: 'PENDING', reason: 'created' }
    const changes = prepared(this.db, 'SELECT at, from_status, to_status, reason FROM session_timeline WHERE session_seq = ? ORDER BY id')
    return [created, ...(changes.all(row.seq) as TimelineEntry[])]
  }

  /** Newest first, cursor-paged by `starting_after` (a session id). */
  list(scope: SessionScope, input: SessionFilter): SessionPage {
    const raw = (input ?? {}) as SessionFilter
    const limit = raw.limit ?? 20
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw invalid('parameter_invalid', 'limit must be an integer from 1 to 100', 'limit')
    // The same filtered set as the totals bar and the CSV (filter.ts); a list adds only the page.
    const { where, params } = sessionFilterSql(scope, parseSessionFilter({ ...raw, limit: undefined, starting_after: undefined }))
    const conditions = [where]
    params.limit = limit + 1
    if (raw.starting_after !== undefined) {
      const cursor = typeof raw.starting_after === 'string' ? this.rowById(raw.starting_after) : undefined
      if (!cursor || cursor.merchant_id !== scope.merchantId)
        throw invalid('parameter_invalid', `starting_after: no payment session "${String(raw.starting_after)}"`, 'starting_after')
      conditions.push('(s.created_at < @cursorAt OR (s.created_at = @cursorAt AND s.seq < @cursorSeq))')
      params.cursorAt = cursor.created_at
      params.cursorSeq = cursor.seq
    }
    const rows = prepared(
      this.db,
      `SELECT s.* FROM sessions s WHERE ${conditions.join(' AND ')} ORDER BY s.created_at DESC, s.seq DESC LIMIT @limit`,
    ).all(params) as SessionRow[]
    const hasMore = rows.length > limit
    const page = rows.slice(0, limit)
    return {
      data: this.toObjects(page),
      has_more: hasMore,
      next_cursor: hasMore ? (page[page.length - 1]?.id ?? null) : null,
    }
  }

  // ------------------------------------------------------------------ changes

  cancel(id: string, scope: { merchantId: string; livemode?: boolean }): PaymentSession {
    return this.transaction(() => {
      const row = this.scopedRow(id, scope)
      if (row.status !== 'PENDING')
        throw conflict('session_not_cancellable', `session ${row.id} is ${row.status}; only a PENDING session can be cancelled`, 'id')
      this.transition(row.seq, 'CANCELLED', 'cancelled')
      return this.toObject(this.rowBySeq(row.seq)!)
    })
  }

  /**
   * Expires sessions past `expires_at`: PENDING ones, and PROCESSING ones still
   * underpaid. A fully paid session awaiting confirmations does not expire.
   */
  expireDue(): number {
    const now = nowSeconds(this.clock)
    return this.transaction(() => {
      this.releaseLapsedHolds(now)
      const due = prepared(
        this.db,
        // Fully paid PROCESSING sessions wait for confirmations and are left out here, in SQL, so that a
        // backlog of them can never fill the batch and stall expiry. Base units are canonical integer
        // strings: a longer one is larger, and equal lengths compare as text. The first status term is
        // the open-sessions index's own condition: without it, SQLite cannot tell that index applies
        // and reads every session ever made, every second.
        `SELECT * FROM sessions WHERE status IN ('PENDING', 'PROCESSING') AND expires_at <= ? AND (status = 'PENDING' OR (status = 'PROCESSING' AND amount_due IS NOT NULL
           AND (length(amount_paid) < length(amount_due) OR (length(amount_paid) = length(amount_due) AND amount_paid < amount_due))))
         ORDER BY expires_at LIMIT 1000`,
      ).all(now) as SessionRow[]
      let expired = 0
      for (const row of due) {
        this.transition(row.seq, 'EXPIRED', row.status === 'PENDING' ? 'expired unpaid' : 'expired underpaid')
        expired++
      }
      return expired
    })
  }

  /**
   * The one way a status changes. Refuses an illegal move (throws), and in the
   * caller's transaction writes the timeline entry and the outbox event.
   */
  transition(seq: number, to: SessionStatus, reason: string): SessionRow {
    const row = this.rowBySeq(seq)
    if (!row) throw notFound(`no payment session #${seq}`)
    assertTransition(row.status, to)
    const now = nowSeconds(this.clock)
    const ends = to === 'EXPIRED' || to === 'CANCELLED' || to === 'COMPLETED'
    prepared(
      this.db,
      `UPDATE sessions SET status = @to, updated_at = @now,
           ended_at = CASE WHEN @ends THEN coalesce(ended_at, @now) ELSE ended_at END,
           completed_at = CASE WHEN @to = 'COMPLETED' THEN @now ELSE completed_at END,
           ever_processing = CASE WHEN @to = 'PROCESSING' THEN 1 ELSE ever_processing END
         WHERE seq = @seq`,
    ).run({ to, now, ends: ends ? 1 : 0, seq })
    if (row.status === 'EXPIRED' && to === 'PROCESSING') {
      // Paid late and open again: its amounts are held for as long as it stays open.
      prepared(this.db, `UPDATE payment_options SET held_until = NULL WHERE ${optionsOfSession('?')} AND +active = 1`).run(seq, seq)
    }
    if (ends) {
      // Keep the amounts reserved through the late window, so a late payment still finds its session.
      prepared(this.db, `UPDATE payment_options SET held_until = ? WHERE ${optionsOfSession('?')} AND held_until IS NULL`).run(
        now + this.lateWindowSeconds,
        seq,
        seq,
      )
    }
    prepared(this.db, 'INSERT INTO session_timeline (session_seq, at, from_status, to_status, reason) VALUES (?, ?, ?, ?, ?)').run(
      seq,
      now,
      row.status,
      to,
      reason,
    )
    const type = eventTypeFor(row.status, to, row.ever_processing === 1)
    const updated = this.rowBySeq(seq)!
    if (type) this.writeEvent(type, updated)
    this.touch(seq)
    return updated
  }

  /** Adds exception flags (idempotent) to a session inside the current transaction. */
  flag(seq: number, ...flags: SessionException[]): void {
    const row = this.rowBySeq(seq)
    if (!row) return
    const current = new Set(JSON.parse(row.exceptions) as SessionException[])
    const before = current.size
    for (const f of flags) current.add(f)
    if (current.size === before) return
    prepared(this.db, 'UPDATE sessions SET exceptions = ?, updated_at = ? WHERE seq = ?').run(
      JSON.stringify([...current]),
      nowSeconds(this.clock),
      seq,
    )
    this.touch(seq)
  }

  /** Writes an outbox event carrying the session exactly as the REST API shows it now. */
  writeEvent(type: string, row: SessionRow): void {
    const id = newId('evt')
    const created = nowSeconds(this.clock)
    const body = JSON.stringify({ id, type, created, livemode: row.livemode === 1, data: { object: this.toObject(row) } })
    prepared(this.db, 'INSERT INTO events (id, type, merchant_id, livemode, session_id, created, body) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      id,
      type,
      row.merchant_id,
      row.livemode,
      row.id,
      created,
      body,
    )
    this.outboxWritten = true
  }

  // ------------------------------------------------------------------ shape

  options(seq: number): OptionRow[] {
    return prepared(
      this.db,
      `SELECT o.*, c.name AS network FROM payment_options o LEFT JOIN chains c USING (chain_id) WHERE ${optionsOfSession('?', 'o.id')} ORDER BY o.id`,
    ).all(seq, seq) as OptionRow[]
  }

  /** Many sessions with two queries in all (options, transfers), not two per session. */
  toObjects(rows: SessionRow[]): PaymentSession[] {
    if (rows.length === 0) return []
    const seqs = JSON.stringify(rows.map((r) => r.seq))
    const options = new Map<number, OptionRow[]>()
    for (const o of prepared(
      this.db,
      // CROSS JOIN keeps the sessions outermost: each one's options are then a range of ids.
      `SELECT o.*, c.name AS network FROM json_each(?) s CROSS JOIN payment_options o ON ${optionsOfSession('s.value', 'o.id')}
       LEFT JOIN chains c ON c.chain_id = o.chain_id ORDER BY o.id`,
    ).all(seqs) as OptionRow[])
      options.set(o.session_seq, [...(options.get(o.session_seq) ?? []), o])
    const transfers = new Map<number, TransferRow[]>()
    for (const t of prepared(
      this.db,
      `SELECT * FROM transfers WHERE session_seq IN (SELECT value FROM json_each(?)) ORDER BY block_number, log_index`,
    ).all(seqs) as Array<TransferRow & { session_seq: number }>)
      transfers.set(t.session_seq, [...(transfers.get(t.session_seq) ?? []), t])
    return rows.map((r) => this.toObject(r, options.get(r.seq) ?? [], transfers.get(r.seq) ?? []))
  }

  toObject(row: SessionRow, options: OptionRow[] = this.options(row.seq), transfers?: TransferRow[]): PaymentSession {
    const payment = options.filter((o) => o.kind === 'payment').map(toOption)
    const remainders = options.filter((o) => o.kind === 'remainder' && o.active === 1)
    const lastRemainder = remainders[remainders.length - 1]
    transfers ??= prepared(this.db, 'SELECT * FROM transfers WHERE session_seq = ? ORDER BY block_number, log_index').all(
      row.seq,
    ) as TransferRow[]
    const due = row.amount_due !== null ? BigInt(row.amount_due) : BigInt(options[0]?.amount ?? '0')
    const paid = BigInt(row.amount_paid)
    const remaining = due > paid ? due - paid : 0n
    const exceptions = JSON.parse(row.exceptions) as SessionException[]
    return {
      id: row.id,
      object: 'payment_session',
      status: row.status,
      livemode: row.livemode === 1,
      merchant_id: row.merchant_id,
      order_id: row.order_id,
      amount: formatMinor(BigInt(row.amount_minor), row.currency as Parameters<typeof formatMinor>[1]),
      currency: row.currency,
      metadata: JSON.parse(row.metadata) as Record<string, string>,
      created_at: row.created_at,
      expires_at: row.expires_at,
      exchange_rate: row.exchange_rate,
      rate_locked_at: row.rate_locked_at,
      amount_usd: formatMinor(BigInt(row.usd_cents), 'USD'),
      payment_options: payment,
      remainder_option: lastRemainder && remaining > 0n && OPEN_STATUSES.includes(row.status) ? toOption(lastRemainder) : null,
      amount_paid_base_units: paid.toString(),
      amount_remaining_base_units: remaining.toString(),
      confirmations: row.confirmations,
      required_confirmations: row.required_confirmations,
      transactions: transfers.map(toTransaction),
      exceptions,
      completed_at: row.completed_at,
      pending_tx: this.incoming?.of(row) ?? null,
      pending_tx_dropped: this.incoming?.droppedOf(row) ?? null,
    }
  }
}

function toOption(o: OptionRow): PaymentOption {
  const amount = BigInt(o.amount)
  return {
    chain_id: o.chain_id,
    network: o.network ?? `Chain ${o.chain_id}`,
    token: o.token_symbol,
    token_address: o.token_address,
    decimals: o.decimals,
    address: o.address,
    amount: formatBaseUnits(amount, o.decimals),
    amount_base_units: o.amount,
    payment_uri: buildPaymentUri({ chainId: o.chain_id, tokenAddress: o.token_address, to: o.address, amountBaseUnits: amount }),
  }
}

/** A stored transfer as the API shows it on a session (and, with its session id, in the transfers list). */
export function toTransaction(t: TransferRow): SessionTransaction {
  return {
    chain_id: t.chain_id,
    tx_hash: t.tx_hash,
    log_index: t.log_index,
    token: t.token_symbol,
    token_address: t.token_address,
    from: t.from_address,
    to: t.to_address,
    amount_base_units: t.amount,
    block_number: t.block_number,
    block_timestamp: t.block_timestamp,
    confirmations: t.confirmations,
    state: t.state,
  }
}

function validateMetadata(metadata: unknown): Record<string, string> {
  if (metadata === undefined || metadata === null) return {}
  if (typeof metadata !== 'object' || Array.isArray(metadata))
    throw invalid('parameter_invalid', 'metadata must be an object of string keys and string values', 'metadata')
  const entries = Object.entries(metadata as Record<string, unknown>)
  if (entries.length > MAX_METADATA_PAIRS)
    throw invalid('parameter_invalid', `metadata may hold at most ${MAX_METADATA_PAIRS} pairs`, 'metadata')
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 40)
      throw invalid('parameter_invalid', `metadata key "${key.slice(0, 40)}" must be 1-40 characters`, 'metadata')
    if (typeof value !== 'string') throw invalid('parameter_invalid', `metadata["${key}"] must be a string`, 'metadata')
    if (value.length > 500) throw invalid('parameter_invalid', `metadata["${key}"] must be at most 500 characters`, 'metadata')
  }
  return Object.fromEntries(entries) as Record<string, string>
}
