/**
 * Cart math (#17), shared by the sale screen (live total) and the engine's
 * tests: products tapped into a cart, a custom amount line, a discount
 * (an amount or a percent), tax per product either included in the shelf
 * price or added on top (a shop setting), and an optional tip. Everything is
 * exact bigint minor units of the shop's currency; no Number ever holds money.
 *
 * What it produces is exactly what a payment session stores, so that
 *   amount = Σ line (unit × quantity) − discount + tax + tip
 * holds to the minor unit (the engine refuses a session where it does not).
 *
 * Rounding: per line, half-up (a half minor unit goes up; amounts here are
 * never negative). Per line because each receipt line then shows a tax that
 * adds up exactly to the printed tax total, and it is what shops that list
 * tax by item (VAT invoices, Square) do; rounding once on the invoice total
 * could differ from the sum of the printed lines by up to half a unit per line.
 *
 * Tax added (US sales tax style): lines are sent at their shelf price; the
 * discount is spread over the lines in proportion to their amounts (largest
 * remainder, so the shares add up exactly); each line's tax is
 * half-up(discounted line × rate). The customer pays shelf − discount + tax.
 *
 * Tax included (VAT style): the shelf price already holds the tax, and the
 * customer pays exactly shelf total − discount. The session's identity adds
 * tax on top of the lines, so lines are sent at their price without tax.
 * unit × quantity must be a whole line, so here the tax is rounded per unit:
 * unit tax = half-up(unit price × rate / (1 + rate)), line tax = unit tax ×
 * quantity. A discount typed by the cashier is an amount off the shelf total,
 * spread over the lines as above; a line's share takes its own tax with it,
 * half-up(share × rate / (1 + rate)) (never more than the line's tax), and the
 * rest of the share is the line's discount without tax (both kept within the
 * line when per-unit rounding is far off). So lines − discount
 * + tax is exactly shelf − typed discount, and neither is ever negative.
 *
 * A custom amount line carries no tax: it is not a product with a rate.
 *
 * No Node and no DOM here: compiled for the engine and the renderer.
 */
import type { CurrencyCode, TaxMode } from '../contract'
import { formatMinor } from './money'

/** Tax rates and percent discounts are basis points: 825 is 8.25 %. */
export const BASIS_POINTS = 10_000n
/** At most 100 % tax (no real rate is near it). */
export const MAX_TAX_RATE_BP = 10_000
/** The engine's bound on a line's quantity. */
export const MAX_QUANTITY = 100_000

export type { TaxMode }

export interface CartLine {
  name: string
  /** The price as the shelf (the product) shows it, in minor units. */
  unitMinor: bigint
  /** Whole units, 1..100000. */
  quantity: number
  /** Basis points; 0 for none (a custom amount). */
  taxRateBp: number
  productId?: string | null
}

export type Discount = { kind: 'amount'; minor: bigint } | { kind: 'percent'; bp: number }

export interface CartInput {
  lines: readonly CartLine[]
  taxMode: TaxMode
  discount?: Discount | null
  tipMinor?: bigint
}

export interface PricedLine {
  name: string
  productId: string | null
  quantity: number
  /** The shelf price per unit (what the screen shows). */
  shelfUnitMinor: bigint
  /** The unit amount the session records: the shelf price, or without its tax when tax is included. */
  unitMinor: bigint
  /** unitMinor × quantity. */
  amountMinor: bigint
  /** This line's share of the session's discount. */
  discountMinor: bigint
  taxMinor: bigint
}

export interface CartTotals {
  lines: PricedLine[]
  /** Σ shelf price × quantity: the cart as the customer sees it before any discount or added tax. */
  shelfSubtotalMinor: bigint
  /** The discount as the cashier gave it, off the shelf subtotal. */
  shelfDiscountMinor: bigint
  /** Σ line amountMinor (the session's lines). */
  linesMinor: bigint
  /** The session's discount_amount. */
  discountMinor: bigint
  /** The session's tax_amount (with tax included: the tax inside the total). */
  taxMinor: bigint
  tipMinor: bigint
  /** What the customer pays: linesMinor − discountMinor + taxMinor + tipMinor. */
  totalMinor: bigint
}

/** Half-up integer division of non-negative numbers. */
export function divHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive')
  if (numerator < 0n) throw new RangeError('numerator must not be negative')
  return (numerator * 2n + denominator) / (denominator * 2n)
}

/**
 * Splits `total` over `weights` in proportion, exactly: floors first, then the
 * units left go one each to the largest remainders (earlier lines win ties).
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n)
  if (total === 0n || sum === 0n) return weights.map(() => 0n)
  const shares = weights.map((w) => (total * w) / sum)
  let left = total - shares.reduce((a, b) => a + b, 0n)
  const order = weights
    .map((w, i) => ({ i, rem: (total * w) % sum }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1))
  for (const { i } of order) {
    if (left === 0n) break
    shares[i] = (shares[i] ?? 0n) + 1n
    left--
  }
  return shares
}

const clamp = (x: bigint, min: bigint, max: bigint) => (x < min ? min : x > max ? max : x)

export class CartError extends Error {
  override readonly name = 'CartError'
  constructor(
    readonly code: 'quantity_invalid' | 'price_invalid' | 'tax_rate_invalid' | 'discount_invalid' | 'tip_invalid',
    message: string,
  ) {
    super(message)
  }
}

function check(input: CartInput): void {
  for (const line of input.lines) {
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY)
      throw new CartError('quantity_invalid', `quantity must be a whole number from 1 to ${MAX_QUANTITY}`)
    if (line.unitMinor < 0n) throw new CartError('price_invalid', 'a price must not be negative')
    if (!Number.isInteger(line.taxRateBp) || line.taxRateBp < 0 || line.taxRateBp > MAX_TAX_RATE_BP)
      throw new CartError('tax_rate_invalid', 'a tax rate must be from 0 to 100 %')
  }
  const d = input.discount
  if (d?.kind === 'amount' && d.minor < 0n) throw new CartError('discount_invalid', 'a discount must not be negative')
  if (d?.kind === 'percent' && (!Number.isInteger(d.bp) || d.bp < 0 || d.bp > 10_000))
    throw new CartError('discount_invalid', 'a discount must be from 0 to 100 %')
  if ((input.tipMinor ?? 0n) < 0n) throw new CartError('tip_invalid', 'a tip must not be negative')
}

/** The cart's lines, discount, tax, tip and total, exactly (see the rules at the top of this file). */
export function priceCart(input: CartInput): CartTotals {
  check(input)
  const tipMinor = input.tipMinor ?? 0n
  const shelf = input.lines.map((l) => l.unitMinor * BigInt(l.quantity))
  const shelfSubtotalMinor = shelf.reduce((a, b) => a + b, 0n)
  const d = input.discount
  const typed = !d ? 0n : d.kind === 'amount' ? d.minor : divHalfUp(shelfSubtotalMinor * BigInt(d.bp), BASIS_POINTS)
  // A discount larger than the cart is the whole cart: nothing is paid below zero.
  const shelfDiscountMinor = typed > shelfSubtotalMinor ? shelfSubtotalMinor : typed
  const shares = allocate(shelfDiscountMinor, shelf)

  const lines: PricedLine[] = input.lines.map((line, i) => {
    const bp = BigInt(line.taxRateBp)
    const q = BigInt(line.quantity)
    const share = shares[i] ?? 0n
    const base = { name: line.name, productId: line.productId ?? null, quantity: line.quantity, shelfUnitMinor: line.unitMinor }
    if (input.taxMode === 'added') {
      const amountMinor = shelf[i] ?? 0n
      return { ...base, unitMinor: line.unitMinor, amountMinor, discountMinor: share, taxMinor: divHalfUp((amountMinor - share) * bp, BASIS_POINTS) }
    }
    const unitTax = divHalfUp(line.unitMinor * bp, BASIS_POINTS + bp)
    const unitMinor = line.unitMinor - unitTax
    const lineTax = unitTax * q
    const amountMinor = unitMinor * q
    // Per-unit rounding on many units can leave the line's tax a little off its share; keep both parts within the
    // line: the tax taken off at most the line's tax, the discount left at most the line's amount (share ≤ both).
    const taxOff = clamp(share === 0n ? 0n : divHalfUp(share * bp, BASIS_POINTS + bp), share > amountMinor ? share - amountMinor : 0n, lineTax)
    return { ...base, unitMinor, amountMinor, discountMinor: share - taxOff, taxMinor: lineTax - taxOff }
  })

  const linesMinor = lines.reduce((a, l) => a + l.amountMinor, 0n)
  const discountMinor = lines.reduce((a, l) => a + l.discountMinor, 0n)
  const taxMinor = lines.reduce((a, l) => a + l.taxMinor, 0n)
  return {
    lines,
    shelfSubtotalMinor,
    shelfDiscountMinor,
    linesMinor,
    discountMinor,
    taxMinor,
    tipMinor,
    totalMinor: linesMinor - discountMinor + taxMinor + tipMinor,
  }
}

/** What `sessions:create` takes for a cart (decimal strings in the currency, as the engine's input). */
export interface CartSaleFields {
  amount: string
  line_items: Array<{ name: string; unit_amount: string; quantity: number; product_id?: string }>
  tax_amount: string
  discount_amount: string
  tip_amount?: string
}

export function cartSaleFields(totals: CartTotals, currency: CurrencyCode): CartSaleFields {
  return {
    amount: formatMinor(totals.totalMinor, currency),
    line_items: totals.lines.map((l) => ({
      name: l.name,
      unit_amount: formatMinor(l.unitMinor, currency),
      quantity: l.quantity,
      ...(l.productId ? { product_id: l.productId } : {}),
    })),
    tax_amount: formatMinor(totals.taxMinor, currency),
    discount_amount: formatMinor(totals.discountMinor, currency),
    ...(totals.tipMinor > 0n ? { tip_amount: formatMinor(totals.tipMinor, currency) } : {}),
  }
}

/**
 * A percent as typed ("10", "12.5", "8.25") in basis points, or null when it
 * is not one: at most two decimals, 0 to `max` %.
 */
export function parsePercent(text: string, maxPercent = 100): number | null {
  const m = /^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*%?\s*$/.exec(text)
  if (!m) return null
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return bp <= maxPercent * 100 ? bp : null
}

/** Basis points as a percent for screens and CSV: 825 → "8.25", 1000 → "10". */
export function formatPercent(bp: number): string {
  const whole = Math.trunc(bp / 100)
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : String(whole)
}
