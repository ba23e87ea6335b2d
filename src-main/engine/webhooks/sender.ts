import { createHmac, randomBytes } from 'node:crypto'
import type { Clock } from '../clock'
import type { ClockGuard } from '../clockGuard'
import type { Db } from '../db'
import { all, get, run, value } from '../db/sql'
import type { EngineEvents } from '../events'
import type { EndpointRow, EndpointStore } from './endpoints'
import type { DeliveryViewRow } from './log'
import { DELIVERY_VIEW, toDelivery } from './log'
import type { RetryPolicy } from './policy'
import { classify, retryAfterMs, retryBackoffMs } from './policy'
import { Poster } from './post'
import { errorFields, log } from '../log'
import { transaction } from '../db/transaction'

export interface SenderOptions {
  clock: Clock
  /** Requests in flight across all endpoints. */
  concurrency: number
  /** Requests in flight to one endpoint while it is healthy (a failing one gets a single probe). */
  perEndpointConcurrency: number
  fetchTimeoutMs: number
  policy: RetryPolicy
  userAgent: string
  /** Tells of wall-clock jumps (the engine's, or one on `clock`): the retry window counts time lived, not clock readings. */
  clockGuard?: ClockGuard
}

interface DueRow {
  seq: number
  id: string
  event_id: string
  event_type: string
  attempts: number
  created_ms: number
  /** Null only if the outbox row was removed under a pending delivery. */
  body: string | null
}

interface Target {
  seq: number
  url: URL
  row: EndpointRow
  secret: string | null
}

interface AttemptResult {
  deliverySeq: number
  endpointSeq: number
  atMs: number
  status: number | null
  error: string | null
  snippet: string | null
  retryAfter: string | undefined
  durationMs: number
  /** Not worth retrying whatever the status says (nothing could be sent). */
  final?: boolean
}

/**
 * Per endpoint, in memory: a run of "unreachable" outcomes pauses the endpoint
 * (one probe after each pause) instead of letting every queued delivery fail
 * on its own. Forgotten on restart on purpose: the first attempts after a
 * restart find out again.
 */
interface Health {
  failStreak: number
  pausedUntil: number
  failedAt: number
}

// Even with every wake-up accounted for, look at the queue this often: a safety net, not the mechanism.
const SAFETY_POLL_MS = 30_000

// Oldest due first; skip any delivery whose session has an earlier one still pending to this endpoint.
const DUE = `SELECT d.seq, d.id, d.event_id, d.event_type, d.attempts, d.created_ms, coalesce(d.test_body, e.body) AS body
  FROM webhook_deliveries d LEFT JOIN events e ON e.seq = d.event_seq
  WHERE d.endpoint_seq = @endpoint AND d.state = 'pending' AND d.next_attempt_ms <= @now
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                    WHERE p.endpoint_seq = d.endpoint_seq AND p.session_id = d.session_id AND p.state = 'pending' AND p.seq < d.seq)
  ORDER BY d.next_attempt_ms, d.seq
  LIMIT @limit`
const INSERT_ATTEMPT =
  'INSERT INTO webhook_attempts (delivery_seq, at_ms, status, duration_ms, error, response_snippet) VALUES (?, ?, ?, ?, ?, ?)'
const MARK_DELIVERED = `UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, next_attempt_ms = NULL, last_status = @status,
  last_error = NULL, finished_ms = @now WHERE seq = @seq`
const MARK_FAILED = `UPDATE webhook_deliveries SET state = 'failed', attempts = attempts + 1, next_attempt_ms = NULL, last_status = @status,
  last_error = @error, finished_ms = @now WHERE seq = @seq`
const MARK_RETRY = `UPDATE webhook_deliveries SET state = 'pending', attempts = attempts + 1, next_attempt_ms = @next, last_status = @status,
  last_error = @error, finished_ms = NULL WHERE seq = @seq`
// The endpoint answers again: whatever waits in backoff goes now (the shop or back office came back online).
const PULL_FORWARD = `UPDATE webhook_deliveries SET next_attempt_ms = @now
  WHERE endpoint_seq = @endpoint AND state = 'pending' AND next_attempt_ms > @now`
const GIVE_UP = `UPDATE webhook_deliveries SET state = 'failed', next_attempt_ms = NULL, finished_ms = @now, last_error = @error
  WHERE endpoint_seq = @endpoint AND state = 'pending' AND next_attempt_ms >= 0 AND created_ms <= @deadline`
// The clock jumped forward: the skipped time was not spent trying, so each pending delivery's window starts that much later.
// Only deliveries made in this run were timed on the clock that jumped (as for sales, sessions/sessions.ts).
const JUMPED_FORWARD = `UPDATE webhook_deliveries SET created_ms = created_ms + @jump WHERE state = 'pending' AND seq > @since`
// The clock was set back: a retry planned on the old clock would otherwise wait the jump on top of its backoff.
const JUMPED_BACK = `UPDATE webhook_deliveries SET next_attempt_ms = max(0, next_attempt_ms + @jump) WHERE state = 'pending' AND next_attempt_ms > 0`
const NEXT_DUE = `SELECT min(next_attempt_ms) FROM webhook_deliveries WHERE endpoint_seq = ? AND state = 'pending' AND next_attempt_ms > ?`
const PROGRESS = 'SELECT attempts, created_ms FROM webhook_deliveries WHERE seq = ?'
const VIEW_BY_SEQ = `${DELIVERY_VIEW} WHERE d.seq = ?`

/**
 * The delivery loop. The database is the queue: due work is found by query
 * (so a restart needs nothing but the database), the outbox push only makes
 * the loop look sooner. Results are recorded in batches, one transaction per
 * turn of the event loop, which is what lets one process send thousands a second.
 */
export class Sender {
  private poster: Poster
  /** Deliveries picked and not yet recorded (requests in flight and results awaiting the next flush). */
  private readonly inflight = new Set<number>()
  private readonly busy = new Map<number, number>()
  private readonly requests = new Set<Promise<void>>()
  private readonly health = new Map<number, Health>()
  private results: AttemptResult[] = []
  private targets: Target[] | null = null
  private rotation = 0
  private pumpQueued = false
  private running = false
  private timer: NodeJS.Timeout | null = null
  /** Deliveries above this row number were made in this run (see clockJumped). */
  private firstSeqOfRun: number | null = null
  /** The clock when fill() last looked for due work. */
  private lookedAt: number | null = null
  private waiters: Array<() => void> = []
  /** Set by every outbox commit: a paused endpoint may be probed early (see `probeEarly`). */
  private freshEvents = false
  private unsubscribe: (() => void) | null = null
  private unsubscribeClock: (() => void) | null = null

  constructor(
    private readonly db: Db,
    private readonly events: EngineEvents,
    private readonly store: EndpointStore,
    private readonly options: SenderOptions,
  ) {
    this.poster = new Poster()
    this.listen()
  }

  /**
   * The 3-day window counts the time the till lived through, not what its
   * clock says: a box that boots with a stale clock and then sets it days
   * forward must not give up everything it still has to send. A jump forward
   * moves the start of this run's pending deliveries by the jump (created_ms
   * starts that window; the delivery log shows it too, and for these it was
   * read off the wrong clock); deliveries of earlier runs keep theirs. A jump
   * back brings the planned retries back with it.
   * Pauses of dead endpoints (in memory) move with the clock either way.
   */
  private clockJumped(jumpMs: number): void {
    if (jumpMs > 0) run(this.db, JUMPED_FORWARD, { jump: Math.round(jumpMs), since: this.firstSeqOfRun })
    else run(this.db, JUMPED_BACK, { jump: Math.round(jumpMs) })
    for (const health of this.health.values()) {
      health.pausedUntil += jumpMs
      health.failedAt += jumpMs
    }
    if (this.lookedAt !== null) this.lookedAt += jumpMs
  }

  private listen(): void {
    this.firstSeqOfRun ??= value<number | null>(this.db, 'SELECT max(seq) FROM webhook_deliveries') ?? 0
    this.unsubscribe ??= this.events.onInternal('outbox:written', () => {
      this.freshEvents = true
      this.wake()
    })
    // Until close(): one sender per database listens, or a jump would move its deliveries twice.
    this.unsubscribeClock ??= this.options.clockGuard?.onJump((jumpMs) => this.clockJumped(jumpMs)) ?? null
  }

  /** Endpoints changed: re-read them (and their secrets) on the next turn. */
  invalidate(): void {
    this.targets = null
  }

  start(): () => Promise<void> {
    if (this.running) throw new Error('the webhook sender is already running')
    this.running = true
    if (this.poster.closed) this.poster = new Poster()
    this.listen()
    this.wake()
    let stopped = false
    return async () => {
      if (stopped) return
      stopped = true
      this.running = false
      if (this.timer) clearTimeout(this.timer)
      this.timer = null
      await this.close()
    }
  }

  /**
   * Aborts requests in flight and releases the keep-alive sockets. Requests cut
   * short here were maybe received: they stay pending and go again later (at least once).
   */
  async close(): Promise<void> {
    this.unsubscribe?.()
    this.unsubscribe = null
    this.unsubscribeClock?.()
    this.unsubscribeClock = null
    this.poster.destroy()
    await Promise.allSettled([...this.requests])
    this.safely(() => this.flush())
  }

  /** Looks for due work on the next turn of the event loop (coalesced). Only while started. */
  wake(): void {
    if (!this.running || this.pumpQueued) return
    this.pumpQueued = true
    setImmediate(() => {
      this.pumpQueued = false
      if (!this.running) return
      this.safely(() => {
        this.flush()
        this.fill()
      })
      this.arm()
    })
  }

  /**
   * Sends everything due now and waits until nothing more is: each success may
   * unblock the next event of a session or pull retries forward. With a
   * ManualClock this is how tests move through days of backoff without waiting.
   * Returns the number of attempts made.
   */
  async runDue(): Promise<number> {
    let started = 0
    for (;;) {
      this.flush()
      started += this.fill()
      if (this.inflight.size === 0) return started
      if (this.results.length === 0) await new Promise<void>((resolve) => this.waiters.push(resolve))
    }
  }

  /**
   * When the next delivery becomes due or a paused endpoint may be probed (ms), or null when nothing waits.
   * Counted from the last look for due work, not from now: a retry that fell due after that look (a slow
   * turn, a stalled event loop) was never seen and must wake the sender at once, not at the safety poll.
   * What was already due at the look is in flight or waiting its turn, and a finished attempt wakes it.
   */
  nextWakeAt(): number | null {
    const since = this.lookedAt ?? this.options.clock.now()
    let wake: number | null = null
    for (const target of this.loadTargets()) {
      const paused = this.health.get(target.seq)?.pausedUntil ?? 0
      const at = paused > since ? paused : (value<number | null>(this.db, NEXT_DUE, target.seq, since) ?? null)
      if (at !== null && (wake === null || at < wake)) wake = at
    }
    return wake
  }

  private arm(): void {
    if (!this.running) return
    if (this.timer) clearTimeout(this.timer)
    let delay = SAFETY_POLL_MS
    this.safely(() => {
      const wake = this.nextWakeAt()
      if (wake !== null) delay = Math.min(SAFETY_POLL_MS, Math.max(0, wake - this.options.clock.now()))
    })
    this.timer = setTimeout(() => this.wake(), delay)
    this.timer.unref()
  }

  private loadTargets(): Target[] {
    if (this.targets) return this.targets
    this.targets = this.store.enabledRows().map((row) => ({ seq: row.seq, url: new URL(row.url), row, secret: null }))
    return this.targets
  }

  /**
   * Starts attempts for due deliveries, round-robin across endpoints. Shared
   * slots (`concurrency`) bound the total, except that an endpoint with
   * nothing in flight always gets one: however many dead endpoints hold slots
   * until their timeouts, a live one is never made to wait for them. The bound
   * is therefore concurrency + number of endpoints.
   */
  private fill(): number {
    this.options.clockGuard?.check()
    const targets = this.loadTargets()
    if (targets.length === 0) return 0
    let free = this.options.concurrency - this.inflight.size
    const now = this.options.clock.now()
    this.lookedAt = now
    if (this.freshEvents) this.probeEarly(now)
    const queues: Array<{ target: Target; rows: DueRow[]; idle: boolean }> = []
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(this.rotation + i) % targets.length]!
      const health = this.health.get(target.seq)
      if (health && health.pausedUntil > now) continue
      const cap = health && health.failStreak > 0 ? 1 : this.options.perEndpointConcurrency
      const busy = this.busy.get(target.seq) ?? 0
      const idle = busy === 0
      const room = idle ? Math.max(1, Math.min(cap, free)) : Math.min(cap - busy, free)
      if (room <= 0) continue
      // The deliveries already in flight are due too and come back from the query: ask for that many more.
      const rows = all<DueRow>(this.db, DUE, { endpoint: target.seq, now, limit: room + busy })
        .filter((r) => !this.inflight.has(r.seq))
        .slice(0, room)
      if (rows.length > 0) queues.push({ target, rows, idle })
    }
    this.rotation = (this.rotation + 1) % targets.length
    let started = 0
    for (let round = 0, progressed = true; progressed; round++) {
      progressed = false
      for (const queue of queues) {
        if (queue.rows.length === 0 || (free <= 0 && !(round === 0 && queue.idle))) continue
        this.launch(queue.target, queue.rows.shift()!, now)
        started++
        free--
        progressed = true
      }
    }
    return started
  }

  /**
   * A new sale happened: a paused endpoint is probed now rather than at the end
   * of its pause (up to an hour), so a back office that came back online hears
   * about new sales at once, and the success pulls its backlog forward. A dead
   * endpoint still gets at most one probe per base backoff (5 s), however busy the shop.
   */
  private probeEarly(now: number): void {
    this.freshEvents = false
    for (const health of this.health.values()) {
      if (health.pausedUntil > now)
        health.pausedUntil = Math.min(health.pausedUntil, Math.max(now, health.failedAt + this.options.policy.baseMs))
    }
  }

  private launch(target: Target, row: DueRow, atMs: number): void {
    this.inflight.add(row.seq)
    this.busy.set(target.seq, (this.busy.get(target.seq) ?? 0) + 1)
    const record = (o: Omit<AttemptResult, 'deliverySeq' | 'endpointSeq' | 'atMs'>): void => {
      this.results.push({ deliverySeq: row.seq, endpointSeq: target.seq, atMs, ...o })
      this.completed()
    }
    let body: Buffer
    let headers: Record<string, string>
    try {
      if (row.body === null) {
        record({
          status: null,
          error: 'not sent: the event is no longer in the outbox',
          snippet: null,
          retryAfter: undefined,
          durationMs: 0,
          final: true,
        })
        return
      }
      body = Buffer.from(row.body, 'utf8')
      headers = this.sign(target, row, body, atMs)
    } catch (error) {
      // Nothing is sent unsigned: the attempt fails like an unreachable endpoint, visible in the log, retried with backoff.
      const reason = error instanceof Error ? error.message : 'unknown error'
      record({ status: null, error: `not sent: ${reason}`, snippet: null, retryAfter: undefined, durationMs: 0 })
      return
    }
    const request = this.poster.post(target.url, body, headers, this.options.fetchTimeoutMs).then(
      (outcome) => {
        if (outcome.aborted) {
          this.release(row.seq, target.seq)
          this.completed()
          return
        }
        const { status, error, snippet, retryAfter, durationMs } = outcome
        record({ status, error, snippet, retryAfter, durationMs })
      },
      (error: unknown) =>
        record({
          status: null,
          error: error instanceof Error ? error.message : 'request failed',
          snippet: null,
          retryAfter: undefined,
          durationMs: 0,
        }),
    )
    this.requests.add(request)
    void request.finally(() => this.requests.delete(request))
  }

  private sign(target: Target, row: DueRow, body: Buffer, atMs: number): Record<string, string> {
    const secret = (target.secret ??= this.store.open(target.row))
    const timestamp = String(Math.floor(atMs / 1000))
    // Fresh per attempt, so a receiver that remembers nonces rejects a replayed request but not our retry.
    const nonce = randomBytes(16).toString('hex')
    const signature = createHmac('sha256', secret).update(`${timestamp}.${nonce}.`).update(body).digest('hex')
    return {
      'Content-Type': 'application/json',
      'User-Agent': this.options.userAgent,
      'X-StablePay-Signature': signature,
      'X-StablePay-Timestamp': timestamp,
      'X-StablePay-Nonce': nonce,
      'X-StablePay-Event-Type': row.event_type,
      'X-StablePay-Event-ID': row.event_id,
    }
  }

  private completed(): void {
    for (const resolve of this.waiters.splice(0)) resolve()
    this.wake()
  }

  private release(deliverySeq: number, endpointSeq: number): void {
    this.inflight.delete(deliverySeq)
    const busy = (this.busy.get(endpointSeq) ?? 1) - 1
    if (busy > 0) this.busy.set(endpointSeq, busy)
    else this.busy.delete(endpointSeq)
  }

  /** Records finished attempts and decides each delivery's fate, all in one transaction. */
  private flush(): void {
    if (this.results.length === 0) return
    const batch = this.results
    this.results = []
    const { policy, clock } = this.options
    this.options.clockGuard?.check()
    try {
      transaction(this.db, () => {
        const now = clock.now()
        for (const r of batch) {
          run(this.db, INSERT_ATTEMPT, r.deliverySeq, r.atMs, r.status, r.durationMs, r.error, r.snippet)
          const verdict = r.final ? 'final' : classify(r.status)
          const health = this.health.get(r.endpointSeq) ?? { failStreak: 0, pausedUntil: 0, failedAt: 0 }
          if (r.status !== null && verdict !== 'unreachable' && health.failStreak > 0) {
            run(this.db, PULL_FORWARD, { now, endpoint: r.endpointSeq })
            this.health.delete(r.endpointSeq)
          }
          if (verdict === 'delivered') {
            run(this.db, MARK_DELIVERED, { status: r.status, now, seq: r.deliverySeq })
            continue
          }
          if (verdict === 'final') {
            run(this.db, MARK_FAILED, {
              status: r.status,
              error: r.error ?? `not retried: the endpoint answered HTTP ${r.status}`,
              now,
              seq: r.deliverySeq,
            })
            continue
          }
          const what = r.error ?? `HTTP ${r.status}`
          const delivery = get<{ attempts: number; created_ms: number }>(this.db, PROGRESS, r.deliverySeq)
          if (!delivery) continue
          const retryAfter = retryAfterMs(r.retryAfter, now, policy)
          const next = now + (retryAfter ?? retryBackoffMs(delivery.attempts + 1, policy))
          if (next > delivery.created_ms + policy.giveUpAfterMs && delivery.attempts + 1 >= policy.giveUpAfterAttempts) {
            run(this.db, MARK_FAILED, {
              status: r.status,
              error: `gave up after ${describeDays(policy.giveUpAfterMs)}: ${what}`,
              now,
              seq: r.deliverySeq,
            })
          } else {
            run(this.db, MARK_RETRY, { next, status: r.status, error: what, seq: r.deliverySeq })
          }
          if (verdict === 'unreachable') {
            // Requests already in flight when the endpoint first failed are one outage, not several: only an
            // attempt started after the last failure (a probe) lengthens the pause.
            if (r.atMs > health.failedAt) health.failStreak++
            health.failedAt = now
            health.pausedUntil = Math.max(health.pausedUntil, now + (retryAfter ?? retryBackoffMs(health.failStreak, policy)))
            this.health.set(r.endpointSeq, health)
            // Deliveries that waited out their whole retry window behind a dead endpoint end now, not one probe at a time.
            if (health.failStreak >= policy.giveUpAfterAttempts)
              run(this.db, GIVE_UP, {
                now,
                endpoint: r.endpointSeq,
                deadline: now - policy.giveUpAfterMs,
                error: `gave up after ${describeDays(policy.giveUpAfterMs)}: the endpoint stayed unreachable (${what})`,
              })
          }
        }
      })
    } finally {
      for (const r of batch) this.release(r.deliverySeq, r.endpointSeq)
    }
    if (!this.events.hasListeners('webhook:delivered')) return
    for (const r of batch) {
      const row = get<DeliveryViewRow>(this.db, VIEW_BY_SEQ, r.deliverySeq)
      if (row) this.events.emit('webhook:delivered', toDelivery(row))
    }
  }

  private safely(fn: () => void): void {
    try {
      fn()
    } catch (error) {
      // Only the message: a database or network error never carries a secret, but a stack of objects might.
      log('webhooks').error(errorFields(error), 'webhook sender failed')
    }
  }
}

function describeDays(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000} day${ms === 86_400_000 ? '' : 's'}` : `${Math.round(ms / 1000)} s`
}
