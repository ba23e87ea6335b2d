import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { createHandlerRegistry } from '../../src-main/engine/handlers'
import { openShop } from './engineFixture'
import type { CartInput, CartLine } from '../../src-preload/shared/cart'
import { allocate, cartSaleFields, divHalfUp, formatPercent, parsePercent, priceCart } from '../../src-preload/shared/cart'
import type { CurrencyCode } from '../../src-preload/shared/money'
import { currencyDecimals, formatMinor } from '../../src-preload/shared/money'

const line = (name: string, unitMinor: bigint, quantity: number, taxRateBp: number): CartLine => ({ name, unitMinor, quantity, taxRateBp })

/** The totals as a row of plain numbers-as-text, to compare with what was worked out by hand. */
const summary = (input: CartInput) => {
  const t = priceCart(input)
  return {
    units: t.lines.map((l) => l.unitMinor),
    lineTax: t.lines.map((l) => l.taxMinor),
    lines: t.linesMinor,
    discount: t.discountMinor,
    tax: t.taxMinor,
    total: t.totalMinor,
  }
}

describe('cart math: hand-computed', () => {
  it('rounds half up', () => {
    expect(divHalfUp(5n, 10n)).toBe(1n)
    expect(divHalfUp(4n, 10n)).toBe(0n)
    expect(divHalfUp(15n, 10n)).toBe(2n)
    expect(divHalfUp(14n, 10n)).toBe(1n)
  })

  it('splits a discount exactly, the units left going to the largest remainders', () => {
    // 123 over 700/225/300: floors 70, 22, 30 (122); remainders 350, 725, 150 → the muffin gets the last unit.
    expect(allocate(123n, [700n, 225n, 300n])).toEqual([70n, 23n, 30n])
    expect(allocate(0n, [1n, 2n])).toEqual([0n, 0n])
    expect(allocate(10n, [0n, 0n])).toEqual([0n, 0n])
  })

  it('USD, tax added, mixed quantities and a custom amount', () => {
    const lines = [line('Coffee', 350n, 2, 825), line('Muffin', 225n, 1, 825), line('Water', 100n, 3, 0), line('Custom amount', 500n, 1, 0)]
    // Coffee 700 × 8.25 % = 57.75 → 58; muffin 225 × 8.25 % = 18.5625 → 19; water and the custom amount carry none.
    expect(summary({ lines, taxMode: 'added' })).toEqual({
      units: [350n, 225n, 100n, 500n],
      lineTax: [58n, 19n, 0n, 0n],
      lines: 1725n,
      discount: 0n,
      tax: 77n,
      total: 1802n,
    })
  })

  it('USD, tax added, 10 % off', () => {
    const lines = [line('Coffee', 350n, 2, 825), line('Muffin', 225n, 1, 825), line('Water', 100n, 3, 0)]
    // 10 % of 12.25 = 1.225 → 1.23, shared 70 / 23 / 30; tax on 630 = 51.975 → 52, on 202 = 16.665 → 17.
    expect(summary({ lines, taxMode: 'added', discount: { kind: 'percent', bp: 1000 } })).toEqual({
      units: [350n, 225n, 100n],
      lineTax: [52n, 17n, 0n],
      lines: 1225n,
      discount: 123n,
      tax: 69n,
      total: 1171n,
    })
  })

  it('EUR, tax included: lines without tax, the total is the shelf total', () => {
    const lines = [line('Coffee', 350n, 2, 2000), line('Cake', 400n, 1, 1000)]
    // Coffee: 3.50 × 20/120 = 0.5833 → 0.58 per unit, net 2.92; cake 4.00 × 10/110 = 0.3636 → 0.36, net 3.64.
    expect(summary({ lines, taxMode: 'included' })).toEqual({
      units: [292n, 364n],
      lineTax: [116n, 36n],
      lines: 948n,
      discount: 0n,
      tax: 152n,
      total: 1100n,
    })
  })

  it('EUR, tax included, 1.00 off: the discount takes its share of the tax with it', () => {
    const lines = [line('Coffee', 350n, 2, 2000), line('Cake', 400n, 1, 1000)]
    // 100 over 700/400 → 64 / 36; tax in them 64 × 20/120 = 10.67 → 11, 36 × 10/110 = 3.27 → 3.
    // Discount without tax 53 + 33 = 86; tax 116 − 11 + 36 − 3 = 138; 948 − 86 + 138 = 1000 = 11.00 − 1.00.
    expect(summary({ lines, taxMode: 'included', discount: { kind: 'amount', minor: 100n } })).toEqual({
      units: [292n, 364n],
      lineTax: [105n, 33n],
      lines: 948n,
      discount: 86n,
      tax: 138n,
      total: 1000n,
    })
  })

  it('JPY (no minor digits), tax added, ¥50 off', () => {
    const lines = [line('Onigiri', 150n, 3, 800), line('Tea', 128n, 2, 800)]
    // 50 over 450/256 → 32 / 18; tax 418 × 8 % = 33.44 → 33, 238 × 8 % = 19.04 → 19; 706 − 50 + 52 = 708.
    const input: CartInput = { lines, taxMode: 'added', discount: { kind: 'amount', minor: 50n } }
    expect(summary(input)).toEqual({ units: [150n, 128n], lineTax: [33n, 19n], lines: 706n, discount: 50n, tax: 52n, total: 708n })
    expect(cartSaleFields(priceCart(input), 'JPY')).toEqual({
      amount: '708',
      line_items: [
        { name: 'Onigiri', unit_amount: '150', quantity: 3 },
        { name: 'Tea', unit_amount: '128', quantity: 2 },
      ],
      tax_amount: '52',
      discount_amount: '50',
    })
  })

  it('KWD (three minor digits), tax included, 15 % off', () => {
    const lines = [{ ...line('Dates 500 g', 1250n, 3, 500), productId: 'prod_1' }]
    // Unit tax 1.250 × 5/105 = 0.05952 → 0.060, net 1.190; 15 % of 3.750 = 0.5625 → 0.563;
    // its tax 0.563 × 5/105 = 0.0268 → 0.027; discount 0.536, tax 0.180 − 0.027 = 0.153; paid 3.187.
    const input: CartInput = { lines, taxMode: 'included', discount: { kind: 'percent', bp: 1500 } }
    expect(summary(input)).toEqual({ units: [1190n], lineTax: [153n], lines: 3570n, discount: 536n, tax: 153n, total: 3187n })
    expect(cartSaleFields(priceCart({ ...input, tipMinor: 313n }), 'KWD')).toEqual({
      amount: '3.500',
      line_items: [{ name: 'Dates 500 g', unit_amount: '1.190', quantity: 3, product_id: 'prod_1' }],
      tax_amount: '0.153',
      discount_amount: '0.536',
      tip_amount: '0.313',
    })
  })

  it('a discount of the whole cart leaves nothing negative, even where per-unit tax rounded down', () => {
    // 0.16 × 10/110 = 0.0145 → 0.01 per unit, 0.10 on ten; the whole 1.60 off would take 0.15 of tax: capped at 0.10.
    const t = priceCart({ lines: [line('Sweet', 16n, 10, 1000)], taxMode: 'included', discount: { kind: 'amount', minor: 999n } })
    expect([t.shelfDiscountMinor, t.linesMinor, t.discountMinor, t.taxMinor, t.totalMinor]).toEqual([160n, 150n, 150n, 0n, 0n])
  })

  it('per-unit tax far off its share (many cheap units, nearly all off): tax and discount stay within the line', () => {
    // 0.06 × 10/110 = 0.545 → 0.01 per unit: 1.00 on a hundred, though 6.00 holds 0.545; 5.99 off would take 0.54 of it,
    // but then 5.45 of discount would exceed the lines' 5.00: 0.99 of tax goes, the discount is 5.00, 0.01 of tax is left.
    const t = priceCart({ lines: [line('Sweet', 6n, 100, 1000)], taxMode: 'included', discount: { kind: 'amount', minor: 599n } })
    expect([t.linesMinor, t.discountMinor, t.taxMinor, t.totalMinor]).toEqual([500n, 500n, 1n, 1n])
  })

  it('reads percents as the cashier types them', () => {
    expect(parsePercent('10')).toBe(1000)
    expect(parsePercent('8.25')).toBe(825)
    expect(parsePercent('12,5 %')).toBe(1250)
    expect(parsePercent('100')).toBe(10000)
    expect(parsePercent('100.01')).toBeNull()
    expect(parsePercent('1.234')).toBeNull()
    expect(parsePercent('-5')).toBeNull()
    expect(formatPercent(825)).toBe('8.25')
    expect(formatPercent(1000)).toBe('10')
    expect(formatPercent(1250)).toBe('12.5')
  })
})

describe('cart math: properties', () => {
  const currencies: CurrencyCode[] = ['USD', 'JPY', 'KWD', 'EUR']
  const cartLine = fc.record({
    name: fc.constantFrom('A', 'B', 'C'),
    unitMinor: fc.bigInt({ min: 0n, max: 10_000_000n }),
    quantity: fc.integer({ min: 1, max: 1000 }),
    taxRateBp: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 10_000 })),
  })
  const cart = fc.record({
    lines: fc.array(cartLine, { minLength: 1, maxLength: 8 }),
    taxMode: fc.constantFrom('included' as const, 'added' as const),
    discount: fc.oneof(
      fc.constant(null),
      fc.record({ kind: fc.constant('amount' as const), minor: fc.bigInt({ min: 0n, max: 20_000_000n }) }),
      fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: 0, max: 10_000 }) }),
    ),
    tipMinor: fc.bigInt({ min: 0n, max: 1_000_000n }),
  })

  it('the session amount is always the lines − discount + tax + tip, read back from the strings sent', () => {
    fc.assert(
      fc.property(cart, fc.constantFrom(...currencies), (input, currency) => {
        const fields = cartSaleFields(priceCart(input), currency)
        // Exactly the currency's decimals, as the engine requires (zero allowed here: a discount or tax of 0).
        const d = currencyDecimals(currency)
        const parse = (s: string) => {
          expect(s).toMatch(d === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${d}}$`))
          return BigInt(s.replace('.', ''))
        }
        const lines = fields.line_items.reduce((sum, l) => sum + parse(l.unit_amount) * BigInt(l.quantity), 0n)
        const tip = fields.tip_amount ? parse(fields.tip_amount) : 0n
        expect(parse(fields.amount)).toBe(lines - parse(fields.discount_amount) + parse(fields.tax_amount) + tip)
      }),
      { numRuns: 300 },
    )
  })

  it('nothing is negative, and the customer pays the shelf total less the discount (plus tax when added)', () => {
    fc.assert(
      fc.property(cart, (input) => {
        const t = priceCart(input)
        for (const l of t.lines) {
          expect(l.amountMinor).toBe(l.unitMinor * BigInt(l.quantity))
          expect(l.unitMinor >= 0n && l.discountMinor >= 0n && l.taxMinor >= 0n).toBe(true)
          // The engine refuses a discount above the lines' sum.
          expect(l.discountMinor <= l.amountMinor).toBe(true)
        }
        const added = input.taxMode === 'added' ? t.taxMinor : 0n
        expect(t.totalMinor).toBe(t.shelfSubtotalMinor - t.shelfDiscountMinor + added + t.tipMinor)
        expect(t.shelfDiscountMinor <= t.shelfSubtotalMinor && t.totalMinor >= t.tipMinor).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})

describe('cart math against the engine', () => {
  const shop = openShop()
  afterAll(() => shop.close())
  const registry = createHandlerRegistry(shop.engine)
  for (const [currency, rate] of [['JPY', '0.0065'], ['KWD', '3.25']] as const) shop.engine.rates.setManual(currency, rate)

  it('every cart the screen can build is a session the engine accepts, with the same lines, tax, discount and tip', async () => {
    const cartLine = fc.record({
      name: fc.constantFrom('Tea', 'Cake', '绿茶'),
      unitMinor: fc.bigInt({ min: 1n, max: 500_000n }),
      quantity: fc.integer({ min: 1, max: 50 }),
      taxRateBp: fc.integer({ min: 0, max: 2500 }),
    })
    const cart = fc.record({
      lines: fc.array(cartLine, { minLength: 1, maxLength: 5 }),
      taxMode: fc.constantFrom('included' as const, 'added' as const),
      discount: fc.oneof(fc.constant(null), fc.record({ kind: fc.constant('percent' as const), bp: fc.integer({ min: 0, max: 9000 }) })),
      tipMinor: fc.bigInt({ min: 0n, max: 5_000n }),
    })
    let n = 0
    await fc.assert(
      fc.asyncProperty(cart, fc.constantFrom<CurrencyCode>('USD', 'JPY', 'KWD'), async (input, currency) => {
        const totals = priceCart(input)
        fc.pre(totals.totalMinor > 0n)
        const fields = cartSaleFields(totals, currency)
        const result = await registry.invoke('sessions:create', { ...fields, currency, order_id: `cart-${n++}` })
        if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
        const s = result.value
        expect([s.amount, s.tax_amount, s.discount_amount, s.tip_amount]).toEqual([fields.amount, fields.tax_amount, fields.discount_amount, fields.tip_amount ?? formatMinor(0n, currency)])
        expect(s.line_items.map((l) => [l.name, l.unit_amount, l.quantity])).toEqual(fields.line_items.map((l) => [l.name, l.unit_amount, l.quantity]))
      }),
      { numRuns: 60 },
    )
  })
})
