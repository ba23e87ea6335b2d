import type { PaymentSession } from '../../../src-preload/contract'
import { nowSeconds } from '../clock'
import type { Db } from '../db'
import { all, each, get } from '../db/sql'
import { transaction } from '../db/transaction'
import { conflict, EngineError, invalid } from '../errors'
import { newId } from '../ids'
import type { CurrencyCode } from '../money'
import { fiatToUsdCents, formatBaseUnits, formatMinor, isCurrency, MoneyError, parseFiatAmount, usdCentsToBaseUnits } from '../money'
import type { RateBook } from '../rates'
import { RateError } from '../rates'
import { deriveAddress } from '../receive'
import type { Merchants, Networks } from '../shop'
import type { OptionRow, SessionRow, StoredLineItem } from './read'
import { toObject } from './read'
import type { ChangeDeps } from './transitions'
import { touch } from './transitions'

/**
 * A new sale's request, its shape already checked where it came in (the
 * channel's schema in src-preload/schemas.ts, or the REST API's): here only
 * what needs stored data or the currency is checked.
 */
export interface CreateSessionInput {
  merchantId: string
  livemode: boolean
  orderId: string
  /** Decimal string in `currency`, e.g. "100.50". */
  amount: string
  currency: string
  metadata?: Record<string, string>
  chainId?: number
  token?: string
  /** Seconds, 60-86400; default the merchant's session TTL (15 min). */
  expiresIn?: number
  /** The till the sale is taken at (the caller's device's); the REST API's sales are on Till 1. */
  till?: string
  /** Refuse (network_offline) rather than offer only networks that cannot be reached right now: the till's own sales. */
  requireOnline?: boolean
  /** What the sale is made of (a cart, an API order). With lines, `amount` must equal their sum − discount + tax + shipping + tip. */
  lineItems?: LineItemInput[]
  /** Decimal strings in `currency`, zero or more; each is part of `amount`, not added to it. */
  taxAmount?: string
  shippingAmount?: string
  tipAmount?: string
  discountAmount?: string
  /** Where the payment page sends the customer afterwards (http or https). */
  successUrl?: string
  cancelUrl?: string
}

export interface LineItemInput {
  name: string
  description?: string
  /** Decimal string in the session's currency, e.g. "3.50"; zero for a free item. */
  unitAmount: string
  /** A whole number, 1 or more. */
  quantity: number
  productId?: string
}

export interface CreateDeps extends ChangeDeps {
  /** See Sessions.networkOffline. */
  networkOffline(chainId: number): boolean
  merchants: Merchants
  networks: Networks
  rates: RateBook
}

/**
 * A new session with its terms locked: the price in USD (at today's rate for
 * another currency) and, for each accepted token, a reserved amount nobody
 * else is offered. Asking again for an order that has a live session returns
 * that session (`created: false`); an order already paid is refused.
 */
export function createSession(deps: CreateDeps, input: CreateSessionInput): { session: PaymentSession; created: boolean } {
  const { db } = deps
  const { orderId, expiresIn } = input
  const metadata = input.metadata ?? {}
  const currency = input.currency
  if (!isCurrency(currency)) throw invalid('parameter_invalid', `unsupported currency "${currency}"`, 'currency')
  const amountMinor = priceOf(input.amount, currency)
  const parts = compositionOf(input, currency, amountMinor)

  let accepted = deps.networks.accepted(input.livemode)
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

  // A network the till cannot reach right now cannot see the payment: the till's sales offer the others, and are
  // refused when none is left. (API callers keep today's behaviour: they watch the session's status themselves.)
  const reachable = input.requireOnline ? accepted.filter((a) => !deps.networkOffline(a.chain.chain_id)) : accepted
  if (reachable.length === 0) {
    const names = [...new Set(accepted.map((a) => a.chain.name))].join(', ')
    throw conflict(
      'network_offline',
      `${names} cannot be reached right now, so a payment on it would not be seen. Try again when it is back, or choose another network.`,
      input.chainId !== undefined ? 'chain_id' : undefined,
    )
  }
  accepted = reachable

  // Every read below is inside the write transaction: one lock round for the whole sale.
  return transaction(db, () => {
    const merchant = deps.merchants.get(input.merchantId)
    // One indexed look-up answers both order rules: a live session is returned, a completed order refused.
    const sameOrder = all<SessionRow>(
      db,
      `SELECT * FROM sessions WHERE merchant_id = ? AND livemode = ? AND order_id = ? AND status NOT IN ('EXPIRED', 'CANCELLED')`,
      merchant.id,
      input.livemode ? 1 : 0,
      orderId,
    )
    const live = sameOrder.find((r) => r.status !== 'COMPLETED')
    if (live) return { session: toObject(db, live), created: false }
    const paid = sameOrder[0]
    if (paid) throw conflict('order_completed', `order "${orderId}" was already paid by ${paid.id}`, 'order_id')

    // Priced only for a new session: asking again for a live order returns it even if the rate went stale since.
    const now = nowSeconds(deps.clock)
    let exchangeRate: string | null = null
    let exactRate: string | null = null
    let rateLockedAt: number | null = null
    if (currency !== 'USD') {
      try {
        const quote = deps.rates.quote(currency)
        // The session shows the readable rate; the price is converted with the exact one.
        exchangeRate = quote.rate
        exactRate = quote.exactRate
        rateLockedAt = now
      } catch (error) {
        if (error instanceof RateError) {
          if (error.code === 'rate_stale') throw conflict('rate_stale', error.message, 'currency')
          throw conflict('rate_unavailable', error.message, 'currency')
        }
        throw error
      }
    }
    const usdCents = fiatToUsdCents(amountMinor, currency, exactRate)
    if (usdCents <= 0n) throw invalid('parameter_invalid', 'amount converts to less than one US cent', 'amount')
    // Stored as an INTEGER and read back as a JS number: beyond 2^53 it would not round-trip exactly.
    if (usdCents > BigInt(Number.MAX_SAFE_INTEGER))
      throw invalid('parameter_invalid', 'amount converts to more US dollars than a payment session can hold', 'amount')

    const row = get<SessionRow>(
      db,
      `INSERT INTO sessions (id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at,
         exchange_rate, rate_locked_at, usd_cents, required_confirmations, updated_at, till_id,
         line_items, tax_minor, shipping_minor, tip_minor, discount_minor, success_url, cancel_url)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      newId('ps'),
      merchant.id,
      input.livemode ? 1 : 0,
      orderId,
      amountMinor,
      currency,
      JSON.stringify(metadata),
      now,
      now + (expiresIn ?? merchant.session_ttl_seconds),
      exchangeRate,
      rateLockedAt,
      usdCents,
      accepted[0]!.chain.confirmations,
      now,
      input.till ?? 'till_1',
      JSON.stringify(parts.lines),
      parts.tax,
      parts.shipping,
      parts.tip,
      parts.discount,
      input.successUrl ?? null,
      input.cancelUrl ?? null,
    )!
    let address: string
    let childIndex: number | null = null
    if (merchant.receive.mode === 'xpub') {
      childIndex = deps.merchants.takeChildIndex(merchant.id)
      address = deriveAddress(merchant.receive.xpub ?? '', childIndex)
    } else {
      address = merchant.receive.address ?? ''
    }
    // A token with no free amount left at this price (a 2-decimal one already holds it for another open sale)
    // is left out of this sale's offer; the sale is refused only when no token is left.
    const options: Array<OptionRow & { network: string }> = []
    let exhausted: EngineError | null = null
    for (const { chain, token } of accepted) {
      try {
        const option = reserve(db, {
          sessionSeq: row.seq,
          kind: 'payment',
          chainId: chain.chain_id,
          token: token.symbol,
          tokenAddress: token.address,
          decimals: token.decimals,
          address,
          childIndex,
          baseAmount: usdCentsToBaseUnits(usdCents, token.decimals),
        })
        options.push({ ...option, network: chain.name })
      } catch (error) {
        if (!(error instanceof EngineError && error.code === 'amount_space_exhausted')) throw error
        exhausted ??= error
      }
    }
    if (options.length === 0) throw exhausted!
    touch(deps, row.seq)
    // Built from what was just written: a new session has no transfers yet.
    return { session: toObject(db, row, options, [], []), created: true }
  })
}

export interface ReserveArgs {
  sessionSeq: number
  kind: 'payment' | 'remainder'
  chainId: number
  token: string
  tokenAddress: string
  decimals: number
  address: string
  childIndex: number | null
  baseAmount: bigint
}

/**
 * Reserves the smallest free amount in [`baseAmount`, `baseAmount` + one US
 * cent) on (chain, token, address) and stores it as a payment option. The
 * suffix tells open sales at one price apart; it never reaches a whole cent,
 * which would ask the customer for more than the price (a 2-decimal token has
 * no room below the cent at all: one open sale per price and address). When
 * every suffix is held, throws 409 `amount_space_exhausted`. The UNIQUE index
 * on active reservations is the guard; the search below only finds the first
 * likely gap.
 */
export function reserve(db: Db, args: ReserveArgs): OptionRow {
  const baseAmount = args.baseAmount.toString()
  // Sub-cent suffixes: a window of one US cent in this token's base units holds one price's suffixes.
  const window = 10n ** BigInt(Math.max(0, args.decimals - 2))
  const last = args.baseAmount + window - 1n
  let from = args.baseAmount
  while (from <= last) {
    const amount = firstFreeAmount(db, args.chainId, args.tokenAddress, args.address, from, window)
    if (amount > last) break
    // The UNIQUE index has the last word: should it refuse (the search and the index disagree), the next free one is tried.
    const option = get<OptionRow>(
      db,
      `INSERT INTO payment_options (session_seq, kind, chain_id, token_symbol, token_address, decimals, address, child_index, base_amount, suffix, amount)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (chain_id, token_address, address, length(amount), amount) WHERE active = 1 DO NOTHING
       RETURNING *`,
      args.sessionSeq,
      args.kind,
      args.chainId,
      args.token,
      args.tokenAddress,
      args.decimals,
      args.address,
      args.childIndex,
      baseAmount,
      Number(amount - args.baseAmount),
      amount.toString(),
    )
    if (option) return option
    from = amount + 1n
  }
  throw amountSpaceExhausted(args, window)
}

function amountSpaceExhausted(args: ReserveArgs, window: bigint): EngineError {
  const price = `${formatBaseUnits(args.baseAmount, args.decimals)} ${args.token}`
  if (window === 1n)
    return conflict(
      'amount_space_exhausted',
      `Another open sale already asks for exactly ${price} at this address, and ${args.token} has nothing smaller than ` +
        'a cent to tell the two apart. Finish or cancel that sale first, or take this one in another token.',
    )
  return conflict(
    'amount_space_exhausted',
    `All ${window.toLocaleString('en-US')} amounts between ${price} and one cent more are held by open sales at this ` +
      'address, and a sale never asks for a cent more than its price. Finish or cancel some of those sales first.',
  )
}

/**
 * The smallest amount ≥ `from` not reserved on (chain, token, address). Reads
 * the reservation index one window at a time; within one string length, text
 * order is numeric order, which is what the index is sorted by.
 */
function firstFreeAmount(db: Db, chainId: number, tokenAddress: string, address: string, from: bigint, window: bigint): bigint {
  const held = `FROM payment_options WHERE chain_id = ? AND token_address = ? AND address = ?
    AND active = 1 AND length(amount) = ? AND amount >= ? AND amount <= ?`
  let lo = from
  for (;;) {
    const digits = lo.toString().length
    const last = 10n ** BigInt(digits) - 1n // the largest amount with as many digits
    const hi = lo + window - 1n < last ? lo + window - 1n : last
    const loText = lo.toString()
    const { n, top } = get<{ n: number; top: string | null }>(
      db,
      `SELECT count(*) AS n, max(amount) AS top ${held}`,
      chainId,
      tokenAddress,
      address,
      digits,
      loText,
      hi.toString(),
    )!
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
    for (const { amount } of each<{ amount: string }>(
      db,
      `SELECT amount ${held} ORDER BY amount`,
      chainId,
      tokenAddress,
      address,
      digits,
      loText,
      top,
    )) {
      if (BigInt(amount) !== expected) return expected
      expected++
    }
    return expected
  }
}

/** A sale's lines and amount parts, in minor units, checked against its amount. */
interface Composition {
  lines: StoredLineItem[]
  tax: bigint
  shipping: bigint
  tip: bigint
  discount: bigint
}

/**
 * Checks that the amount is what its parts say, exactly in minor units: with
 * lines, amount = Σ(unit × quantity) − discount + tax + shipping + tip (400
 * `amount_mismatch` otherwise, naming both figures); without lines the parts
 * only explain the amount, so they cannot exceed it.
 */
function compositionOf(input: CreateSessionInput, currency: CurrencyCode, amountMinor: bigint): Composition {
  const tax = partOf(input.taxAmount, currency, 'tax_amount')
  const shipping = partOf(input.shippingAmount, currency, 'shipping_amount')
  const tip = partOf(input.tipAmount, currency, 'tip_amount')
  const discount = partOf(input.discountAmount, currency, 'discount_amount')
  const lines = (input.lineItems ?? []).map(
    (l, i): StoredLineItem => ({
      name: l.name,
      description: l.description ?? null,
      unit_minor: partOf(l.unitAmount, currency, `line_items[${i}][unit_amount]`).toString(),
      quantity: l.quantity,
      product_id: l.productId ?? null,
    }),
  )
  const show = (minor: bigint) => `${formatMinor(minor, currency)} ${currency}`
  if (lines.length > 0) {
    const goods = lines.reduce((sum, l) => sum + BigInt(l.unit_minor) * BigInt(l.quantity), 0n)
    if (discount > goods)
      throw invalid('amount_mismatch', `discount_amount ${show(discount)} is more than the line items' ${show(goods)}`, 'discount_amount')
    const expected = goods - discount + tax + shipping + tip
    if (expected !== amountMinor)
      throw invalid(
        'amount_mismatch',
        `amount ${show(amountMinor)} must equal the line items' ${show(goods)}` +
          (discount > 0n ? ` − discount ${show(discount)}` : '') +
          ` + tax ${show(tax)} + shipping ${show(shipping)}` +
          (tip > 0n ? ` + tip ${show(tip)}` : '') +
          ` = ${show(expected)}`,
        'amount',
      )
  } else {
    if (discount > 0n) throw invalid('parameter_invalid', 'discount_amount needs line_items to be taken from', 'discount_amount')
    if (tax + shipping + tip > amountMinor)
      throw invalid('amount_mismatch', `tax, shipping and tip (${show(tax + shipping + tip)}) are more than the amount ${show(amountMinor)}`, 'amount')
  }
  return { lines, tax, shipping, tip, discount }
}

/** A part of the amount in minor units; zero allowed, unlike a price. */
function partOf(value: string | undefined, currency: CurrencyCode, param: string): bigint {
  if (value === undefined) return 0n
  try {
    return parseFiatAmount(value, currency)
  } catch (error) {
    if (error instanceof MoneyError) {
      if (error.code === 'amount_not_positive') return 0n
      throw invalid('parameter_invalid', error.message.replace(/^amount/, param), param)
    }
    throw error
  }
}

/** The price in minor units: its digits and decimals depend on the currency (JPY has none, KWD three). */
function priceOf(amount: string, currency: CurrencyCode): bigint {
  try {
    return parseFiatAmount(amount, currency)
  } catch (error) {
    if (error instanceof MoneyError) throw invalid('parameter_invalid', error.message, 'amount')
    throw error
  }
}
