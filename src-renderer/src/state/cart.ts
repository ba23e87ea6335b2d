import { create } from 'zustand'
import type { Product, TaxMode } from '../../../src-preload/contract'
import type { CartTotals, Discount } from '../../../src-preload/shared/cart'
import { MAX_QUANTITY, parsePercent, priceCart } from '../../../src-preload/shared/cart'
import { currencyDecimals, isCurrency } from '../../../src-preload/shared/money'

/**
 * The cart of the products mode (#17): what was tapped, with quantities, a
 * custom amount line, and a discount as the cashier typed it. Totals are the
 * shared cart math (src-preload/shared/cart.ts), exact in minor units, so the
 * total on screen is the amount the session is created for.
 */
export interface CartItem {
  /** The product's id, or `custom-N` for a custom amount. */
  key: string
  productId: string | null
  name: string
  nameZh: string | null
  unitMinor: bigint
  quantity: number
  taxRateBp: number
}

interface CartState {
  items: CartItem[]
  discountKind: 'amount' | 'percent'
  /** As typed: "1.50" or "10". */
  discountText: string
  add(product: Product, currency: string): void
  addCustom(minor: bigint): void
  setQuantity(key: string, quantity: number): void
  remove(key: string): void
  setDiscount(kind: 'amount' | 'percent', text: string): void
  clear(): void
}

let customCount = 0

/** A decimal typed in `currency` as minor units, or null when it is not one (too many decimals, not a number). */
export function minorOf(text: string, currency: string): bigint | null {
  const decimals = isCurrency(currency) ? currencyDecimals(currency) : 2
  const m = /^\s*(\d{1,12})(?:[.,](\d*))?\s*$/.exec(text)
  if (!m) return null
  const frac = m[2] ?? ''
  if (frac.length > decimals) return null
  return BigInt(m[1] ?? '0') * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0')
}

export const useCartStore = create<CartState>()((set, get) => ({
  items: [],
  discountKind: 'amount',
  discountText: '',
  add(product, currency) {
    const price = minorOf(product.price, currency)
    if (price === null) return
    const items = get().items
    const existing = items.find((i) => i.key === product.id)
    if (existing) return get().setQuantity(existing.key, existing.quantity + 1)
    set({
      items: [
        ...items,
        { key: product.id, productId: product.id, name: product.name, nameZh: product.name_zh, unitMinor: price, quantity: 1, taxRateBp: product.tax_rate_bp },
      ],
    })
  },
  addCustom(minor) {
    if (minor <= 0n) return
    customCount++
    set({ items: [...get().items, { key: `custom-${customCount}`, productId: null, name: 'Custom amount', nameZh: '自定义金额', unitMinor: minor, quantity: 1, taxRateBp: 0 }] })
  },
  setQuantity(key, quantity) {
    if (!Number.isInteger(quantity)) return
    if (quantity < 1) return get().remove(key)
    const q = Math.min(quantity, MAX_QUANTITY)
    set({ items: get().items.map((i) => (i.key === key ? { ...i, quantity: q } : i)) })
  },
  remove(key) {
    set({ items: get().items.filter((i) => i.key !== key) })
  },
  setDiscount(kind, text) {
    set({ discountKind: kind, discountText: text })
  },
  clear() {
    set({ items: [], discountKind: 'amount', discountText: '' })
  },
}))

/** The discount as typed, or 'invalid' (the screen says so and Charge waits). */
export function discountOf(kind: 'amount' | 'percent', text: string, currency: string): Discount | null | 'invalid' {
  if (text.trim() === '') return null
  if (kind === 'percent') {
    const bp = parsePercent(text)
    return bp === null ? 'invalid' : { kind: 'percent', bp }
  }
  const minor = minorOf(text, currency)
  return minor === null ? 'invalid' : { kind: 'amount', minor }
}

export function cartTotals(items: readonly CartItem[], discount: Discount | null, taxMode: TaxMode): CartTotals {
  return priceCart({
    lines: items.map((i) => ({ name: i.name, unitMinor: i.unitMinor, quantity: i.quantity, taxRateBp: i.taxRateBp, productId: i.productId })),
    taxMode,
    discount,
  })
}
