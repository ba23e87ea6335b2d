import type { ChainConfig, PendingFeedKind, PendingTxEnd } from '../../../../src-preload/contract'
import type { Clock } from '../../clock'
import { nowSeconds } from '../../clock'
import type { Db } from '../../db'
import { get } from '../../db/sql'
import { decodePayment } from './decode'
import type { PendingRpc, RpcTransaction } from './feed'
import { PendingFeed } from './feed'
import type { IncomingPayments, SessionSnapshot } from './incoming'
import { matchPending } from './match'

export interface PendingTuning {
  /** A pending payment not mined after this long counts as gone; default 2 minutes. */
  timeoutMs: number
  /** How often each shown pending payment is looked up (still pooled, mined, replaced, dropped); default 1 s. */
  checkIntervalMs: number
  /** How often an HTTP pending-transaction filter is polled; default 1 s. */
  filterPollMs: number
  /** Transactions fetched at once when the node sends only hashes; default 8. */
  maxLookups: number
  requestTimeoutMs: number
  reconnectMinMs: number
  reconnectMaxMs: number
}

export interface ChainPendingDeps {
  config: ChainConfig
  /** The watcher's HTTP client for this chain. */
  rpc: PendingRpc
  db: Db
  clock: Clock
  incoming: IncomingPayments
  tuning: PendingTuning
  /** The feed kind was found (the chain's status shows it). */
  feedChanged(kind: PendingFeedKind): void
}

interface Shown {
  sessionId: string
  seq: number
  hash: string
  /** Lowercase sender and its nonce: a replacement has the same pair. */
  sender: string
  nonce: bigint
  seen: SessionSnapshot
  seenAtMs: number
  minedAtMs: number | null
}

/** Hashes held back while lookups are busy; beyond this the oldest are skipped (the block still shows them). */
const MAX_QUEUED_HASHES = 2_048
/** Hashes remembered so a node repeating one (or a filter and a lookup racing) is handled once. */
const SEEN_HASHES = 8_192

/**
 * One chain's "payment incoming": while a sale is open, reads the pool's
 * transactions, drops every one not addressed to a configured token before
 * anything else is done with it, decodes the rest, and shows the ones that pay
 * an open sale. Then follows each shown one until its block credits the sale,
 * or it is dropped, replaced, fails or times out (back to waiting, with a note).
 */
export class ChainPending {
  readonly chainId: number
  readonly feed: PendingFeed
  private readonly tokens = new Map<string, string>()
  private readonly shown = new Map<string, Shown>()
  private readonly bySender = new Map<string, Shown>()
  private readonly seenHashes = new Set<string>()
  private readonly queue: string[] = []
  private lookups = 0
  private open = false
  private stopped = false
  /** Opening and closing the feed one after another, never interleaved (a sale may open while the last close runs). */
  private switching: Promise<void> = Promise.resolve()
  private checkTimer: NodeJS.Timeout | null = null
  private checking = false
  /** Counters for the bench and diagnostics. */
  readonly stats = { transactions: 0, decoded: 0, matched: 0, skippedHashes: 0 }

  constructor(private readonly deps: ChainPendingDeps) {
    this.chainId = deps.config.chain_id
    // Lowercase → as configured (checksummed, as the sale's options store it).
    for (const t of deps.config.tokens) if (t.enabled) this.tokens.set(t.address.toLowerCase(), t.address)
    this.feed = new PendingFeed(
      {
        wsUrls: deps.config.ws_urls,
        http: deps.rpc,
        timeoutMs: deps.tuning.requestTimeoutMs,
        filterPollMs: deps.tuning.filterPollMs,
        minDelayMs: deps.tuning.reconnectMinMs,
        maxDelayMs: deps.tuning.reconnectMaxMs,
      },
      {
        transaction: (tx) => this.transaction(tx),
        hash: (hash) => this.hash(hash),
        kindChanged: (kind) => deps.feedChanged(kind),
      },
    )
  }

  get kind(): PendingFeedKind | undefined {
    return this.feed.kind
  }

  /** Follows the pool while some sale is open on the chain, and lets go of it (no traffic) when none is. */
  setOpen(open: boolean): Promise<void> {
    if (this.stopped || open === this.open || this.tokens.size === 0) return this.switching
    this.open = open
    if (!open) {
      this.queue.length = 0
      this.seenHashes.clear()
      // No sale open: whatever was shown has been settled by the sale's own change.
      for (const s of [...this.shown.values()]) this.untrack(s, true)
    }
    this.switching = this.switching.then(() => (open ? this.feed.open() : this.feed.close())).catch(() => undefined)
    return this.switching
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.checkTimer) clearTimeout(this.checkTimer)
    this.checkTimer = null
    for (const s of [...this.shown.values()]) this.untrack(s, true)
    this.open = false
    await this.switching
    await this.feed.close()
  }

  /** The hot path: every pool transaction of the chain comes through here. */
  transaction(tx: RpcTransaction): void {
    if (!this.open || typeof tx.hash !== 'string') return
    this.stats.transactions++
    const hash = tx.hash.toLowerCase()
    if (this.remember(hash)) return
    const replaced = this.bySender.size > 0 ? this.replacementOf(tx, hash) : undefined
    // Not addressed to a configured token: dropped here, before any decoding, query or RPC call.
    const token = typeof tx.to === 'string' ? this.tokens.get(tx.to.toLowerCase()) : undefined
    if (!token) {
      if (replaced) this.lose(replaced, 'replaced')
      return
    }
    const payment = decodePayment(tx.input)
    if (payment) this.stats.decoded++
    const match = payment ? matchPending(this.deps.db, this.chainId, token, payment.to, payment.amount) : null
    if (replaced && replaced.sessionId !== match?.id) this.lose(replaced, 'replaced')
    if (!match) return
    const current = this.shown.get(match.id)
    // A second transfer for a sale already shown as incoming: the first one speaks for it.
    if (current && current !== replaced) return
    if (current) this.untrack(current, false)
    this.stats.matched++
    const shown: Shown = {
      sessionId: match.id,
      seq: match.seq,
      hash,
      sender: tx.from.toLowerCase(),
      nonce: BigInt(tx.nonce),
      seen: { status: match.status, amount_paid: match.amount_paid },
      seenAtMs: performance.now(),
      minedAtMs: null,
    }
    this.shown.set(shown.sessionId, shown)
    this.bySender.set(senderKey(shown.sender, shown.nonce), shown)
    this.deps.incoming.show(shown.sessionId, shown.seen, { hash, seen_at: nowSeconds(this.deps.clock) })
    this.scheduleCheck()
  }

  /** A node that sends only hashes: fetch each (a few at a time), then as above. */
  hash(hash: string): void {
    if (!this.open || typeof hash !== 'string') return
    if (this.seenHashes.has(hash.toLowerCase())) return
    this.queue.push(hash)
    if (this.queue.length > MAX_QUEUED_HASHES) {
      this.queue.shift()
      this.stats.skippedHashes++
    }
    this.pump()
  }

  private pump(): void {
    while (this.lookups < this.deps.tuning.maxLookups && this.queue.length > 0) {
      const hash = this.queue.shift()!
      this.lookups++
      this.feed
        .request<RpcTransaction | null>('eth_getTransactionByHash', [hash])
        .then(
          (tx) => {
            if (tx) this.transaction(tx)
          },
          // A lookup that failed: the block still shows that payment.
          () => undefined,
        )
        .finally(() => {
          this.lookups--
          this.pump()
        })
    }
  }

  private remember(hash: string): boolean {
    if (this.seenHashes.has(hash)) return true
    this.seenHashes.add(hash)
    if (this.seenHashes.size > SEEN_HASHES) this.seenHashes.delete(this.seenHashes.values().next().value!)
    return false
  }

  /** A shown payment that this transaction replaces (same sender and nonce, another hash). */
  private replacementOf(tx: RpcTransaction, hash: string): Shown | undefined {
    if (typeof tx.from !== 'string' || typeof tx.nonce !== 'string') return undefined
    const prior = this.bySender.get(senderKey(tx.from.toLowerCase(), BigInt(tx.nonce)))
    return prior && prior.hash !== hash ? prior : undefined
  }

  private lose(shown: Shown, reason: PendingTxEnd): void {
    if (this.shown.get(shown.sessionId) !== shown) return
    this.untrack(shown, false)
    this.deps.incoming.drop(shown.sessionId, shown.hash, reason, nowSeconds(this.deps.clock))
  }

  private untrack(shown: Shown, forget: boolean): void {
    if (this.shown.get(shown.sessionId) === shown) this.shown.delete(shown.sessionId)
    const key = senderKey(shown.sender, shown.nonce)
    if (this.bySender.get(key) === shown) this.bySender.delete(key)
    if (forget) this.deps.incoming.forget(shown.sessionId)
  }

  /** The sale has moved on since its payment was seen (credited by its block, expired, cancelled). */
  private settled(shown: Shown): boolean {
    const row = get<SessionSnapshot>(this.deps.db, 'SELECT status, amount_paid FROM sessions WHERE seq = ?', shown.seq)
    return !row || row.status !== shown.seen.status || row.amount_paid !== shown.seen.amount_paid
  }

  private scheduleCheck(): void {
    if (this.stopped || this.checkTimer || this.checking || this.shown.size === 0) return
    this.checkTimer = setTimeout(() => {
      this.checkTimer = null
      void this.check()
    }, this.deps.tuning.checkIntervalMs)
    this.checkTimer.unref?.()
  }

  /** Follows each shown payment: still pooled, mined (the block will credit it), failed, dropped, replaced, too old. */
  async check(): Promise<void> {
    if (this.checking) return
    this.checking = true
    try {
      for (const shown of [...this.shown.values()]) {
        if (this.stopped) return
        try {
          await this.follow(shown)
        } catch {
          // The node did not answer: ask again next round (the timeout still applies).
        }
      }
    } finally {
      this.checking = false
      this.scheduleCheck()
    }
  }

  private async follow(shown: Shown): Promise<void> {
    const current = () => this.shown.get(shown.sessionId) === shown
    if (!current()) return
    if (this.settled(shown)) return this.untrack(shown, true)
    const overdue = performance.now() - shown.seenAtMs > this.deps.tuning.timeoutMs
    if (shown.minedAtMs !== null) {
      // Mined and successful: the block scan credits it. Only if that never happens is it let go, quietly.
      if (performance.now() - shown.minedAtMs > this.deps.tuning.timeoutMs) this.untrack(shown, true)
      return
    }
    const tx = await this.feed.request<RpcTransaction | null>('eth_getTransactionByHash', [shown.hash])
    if (!current() || this.settled(shown)) return
    if (tx === null) {
      // Gone from the pool. Its nonce taken by another transaction means replaced, else dropped.
      const next = await this.feed.request<string>('eth_getTransactionCount', [shown.sender, 'pending'])
      if (!current() || this.settled(shown)) return
      return this.lose(shown, BigInt(next) > shown.nonce ? 'replaced' : 'dropped')
    }
    if (tx.blockNumber) {
      const receipt = await this.feed.request<{ status?: string } | null>('eth_getTransactionReceipt', [shown.hash])
      if (!current() || this.settled(shown)) return
      if (receipt?.status === '0x0') return this.lose(shown, 'failed')
      if (receipt) shown.minedAtMs = performance.now()
      return
    }
    if (overdue) this.lose(shown, 'timeout')
  }
}

function senderKey(sender: string, nonce: bigint): string {
  return `${sender}:${nonce}`
}
