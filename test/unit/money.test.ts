import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  CURRENCIES,
  CURRENCY_CODES,
  MoneyError,
  currencyDecimals,
  divideRates,
  fiatToUsdCents,
  formatBaseUnits,
  formatMinor,
  isCurrency,
  normalizeRate,
  parseDecimalRate,
  parseFiatAmount,
  parseRate,
  parseTokenAmount,
  readableRate,
  usdCentsToBaseUnits,
  type CurrencyCode,
} from '../../src-main/engine/money'

/** Run fn and return the MoneyError it throws (fails the test otherwise). */
function moneyError(fn: () => unknown): MoneyError {
  try {
    fn()
  } catch (e) {
    if (e instanceof MoneyError) return e
    throw e
  }
  throw new Error('expected a MoneyError')
}

describe('currencies', () => {
  it('has the ISO 4217 exponents we rely on', () => {
    expect(CURRENCIES.USD).toBe(2)
    expect(CURRENCIES.JPY).toBe(0)
    expect(CURRENCIES.KRW).toBe(0)
    expect(CURRENCIES.VND).toBe(0)
    expect(CURRENCIES.KWD).toBe(3)
    expect(CURRENCIES.OMR).toBe(3)
    expect(CURRENCIES.BHD).toBe(3)
    expect(CURRENCIES.IDR).toBe(2)
    expect(CURRENCY_CODES).toHaveLength(23)
    expect(Object.isFrozen(CURRENCIES)).toBe(true)
  })

  it('isCurrency only accepts own keys', () => {
    expect(isCurrency('EUR')).toBe(true)
    expect(isCurrency('eur')).toBe(false)
    expect(isCurrency('XYZ')).toBe(false)
    expect(isCurrency('toString')).toBe(false)
    expect(isCurrency('__proto__')).toBe(false)
    expect(isCurrency(42)).toBe(false)
  })

  it('currencyDecimals rejects an unchecked code at runtime', () => {
    expect(currencyDecimals('KWD')).toBe(3)
    const e = moneyError(() => currencyDecimals('XYZ' as CurrencyCode))
    expect(e.code).toBe('currency_unsupported')
    expect(e.param).toBe('currency')
  })
})

describe('parseFiatAmount', () => {
  it('parses to minor units', () => {
    expect(parseFiatAmount('100.50', 'USD')).toBe(10050n)
    expect(parseFiatAmount('100.5', 'USD')).toBe(10050n)
    expect(parseFiatAmount('100', 'USD')).toBe(10000n)
    expect(parseFiatAmount('0.01', 'USD')).toBe(1n)
    expect(parseFiatAmount('007.50', 'EUR')).toBe(750n)
    expect(parseFiatAmount('1500', 'JPY')).toBe(1500n)
    expect(parseFiatAmount('1.25', 'KWD')).toBe(1250n)
    expect(parseFiatAmount('1.250', 'KWD')).toBe(1250n)
    expect(parseFiatAmount('999999999999.99', 'USD')).toBe(99999999999999n)
    expect(parseFiatAmount('0000000000000001', 'USD')).toBe(100n)
  })

  it.each(['', ' 1', '1 ', '1,00', '1.2.3', '.5', '5.', '+5', '1e3', '1E3', '0x10', 'Infinity', 'NaN', '１２', '1_000', '١٢'])(
    'rejects %j as amount_invalid',
    (s) => {
      const e = moneyError(() => parseFiatAmount(s, 'USD'))
      expect(e.code).toBe('amount_invalid')
      expect(e.param).toBe('amount')
    },
  )

  it('rejects non-strings without crashing', () => {
    expect(moneyError(() => parseFiatAmount(12 as unknown as string, 'USD')).code).toBe('amount_invalid')
  })

  it('says that negatives must be positive', () => {
    const e = moneyError(() => parseFiatAmount('-5.00', 'USD'))
    expect(e.code).toBe('amount_invalid')
    expect(e.message).toMatch(/must be positive/)
  })

  it('rejects too many decimals with a plain message', () => {
    const e = moneyError(() => parseFiatAmount('1.234', 'USD'))
    expect(e.code).toBe('amount_too_precise')
    expect(e.message).toBe('amount "1.234" has 3 decimals; USD allows 2')
    expect(moneyError(() => parseFiatAmount('1500.5', 'JPY')).message).toBe('amount "1500.5" has 1 decimal; JPY allows none')
    expect(moneyError(() => parseFiatAmount('1.2345', 'KWD')).code).toBe('amount_too_precise')
  })

  it('rejects trailing zeros beyond the exponent and says how to fix it', () => {
    const e = moneyError(() => parseFiatAmount('1.500', 'USD'))
    expect(e.code).toBe('amount_too_precise')
    expect(e.message).toBe('amount "1.500" has 3 decimals; USD allows 2 (trailing zeros count too: send "1.50")')
    expect(moneyError(() => parseFiatAmount('1500.0', 'JPY')).message).toMatch(/send "1500"/)
  })

  it('rejects more than 12 integer digits (leading zeros do not count)', () => {
    const e = moneyError(() => parseFiatAmount('1000000000000', 'USD'))
    expect(e.code).toBe('amount_too_large')
    expect(e.message).toMatch(/13 integer digits; the maximum is 12/)
    expect(parseFiatAmount('000999999999999', 'JPY')).toBe(999999999999n)
  })

  it('rejects zero', () => {
    for (const s of ['0', '0.00', '000.0']) {
      expect(moneyError(() => parseFiatAmount(s, 'USD')).code).toBe('amount_not_positive')
    }
  })

  it('does not echo huge inputs back whole', () => {
    const e = moneyError(() => parseFiatAmount('9'.repeat(10_000), 'USD'))
    expect(e.code).toBe('amount_too_large')
    expect(e.message.length).toBeLessThan(200)
  })
})

describe('formatMinor', () => {
  it('renders exactly the currency decimals', () => {
    expect(formatMinor(10050n, 'USD')).toBe('100.50')
    expect(formatMinor(5n, 'USD')).toBe('0.05')
    expect(formatMinor(0n, 'USD')).toBe('0.00')
    expect(formatMinor(1500n, 'JPY')).toBe('1500')
    expect(formatMinor(1250n, 'KWD')).toBe('1.250')
    expect(formatMinor(-10050n, 'EUR')).toBe('-100.50')
  })
})

describe('parseDecimalRate / normalizeRate', () => {
  it('parses exact rationals', () => {
    expect(parseDecimalRate('1.08')).toEqual({ digits: 108n, scale: 2 })
    expect(parseDecimalRate('0.0066')).toEqual({ digits: 66n, scale: 4 })
    expect(parseDecimalRate('1.080')).toEqual({ digits: 108n, scale: 2 })
    expect(parseDecimalRate('2')).toEqual({ digits: 2n, scale: 0 })
    expect(parseDecimalRate('0.000000000000000001')).toEqual({ digits: 1n, scale: 18 })
    expect(normalizeRate('01.0800')).toBe('1.08')
    expect(normalizeRate('0.0066')).toBe('0.0066')
  })

  it.each(['', '0', '0.000', '-1.08', '1e-3', '.5', '1.', '1.0000000000000000001', '1000000000000', 'abc'])(
    'rejects %j as rate_invalid',
    (s) => {
      const e = moneyError(() => parseDecimalRate(s))
      expect(e.code).toBe('rate_invalid')
      expect(e.param).toBe('rate')
    },
  )
})

describe('fiatToUsdCents', () => {
  it('matches the worked examples', () => {
    expect(fiatToUsdCents(1500n, 'JPY', '0.0066')).toBe(990n)
    expect(fiatToUsdCents(10050n, 'EUR', '1.08')).toBe(10854n)
    expect(fiatToUsdCents(12345n, 'USD', null)).toBe(12345n)
    expect(fiatToUsdCents(1250n, 'KWD', '3.25')).toBe(406n) // 1.250 x 3.25 = 4.0625
  })

  it('rounds half-up to cents', () => {
    // 1 EUR-cent x 0.5 = 0.005 USD -> 0.01
    expect(fiatToUsdCents(1n, 'EUR', '0.5')).toBe(1n)
    // 0.004999... stays down
    expect(fiatToUsdCents(1n, 'EUR', '0.4999999')).toBe(0n)
    // 0.0150 -> 0.02, 0.0149 -> 0.01
    expect(fiatToUsdCents(3n, 'EUR', '0.5')).toBe(2n)
    expect(fiatToUsdCents(149n, 'EUR', '0.01')).toBe(1n)
  })

  it('can round a tiny amount to zero (callers must reject it)', () => {
    expect(fiatToUsdCents(100n, 'IDR', '0.000063')).toBe(0n)
  })

  it('insists on null for USD and a rate for anything else', () => {
    expect(moneyError(() => fiatToUsdCents(100n, 'USD', '1')).code).toBe('rate_invalid')
    expect(moneyError(() => fiatToUsdCents(100n, 'EUR', null)).code).toBe('rate_invalid')
    expect(moneyError(() => fiatToUsdCents(100n, 'EUR', 'x')).code).toBe('rate_invalid')
    expect(moneyError(() => fiatToUsdCents(-1n, 'EUR', '1.08')).code).toBe('amount_invalid')
  })
})

describe('exact rates', () => {
  it('reads a decimal or the quotient of two decimals as an exact fraction', () => {
    expect(parseRate('1.08')).toEqual({ num: 108n, den: 100n })
    expect(parseRate('1.08/162')).toEqual({ num: 108n, den: 16200n })
    expect(parseRate('1.0812/162.45')).toEqual({ num: 1081200n, den: 162450000n })
    for (const bad of ['1.08/', '/162', '1.08/0', '1/2/3', '1.08 / 162', '1.08/-162', '1.08/1e3']) {
      expect(moneyError(() => parseRate(bad)).code, bad).toBe('rate_invalid')
    }
  })

  it('divides two rates to a decimal when the quotient ends, else keeps the quotient', () => {
    const d = parseDecimalRate
    expect(divideRates(d('1.08'), d('0.864'))).toBe('1.25')
    expect(divideRates(d('1.08'), d('1500'))).toBe('0.00072')
    expect(divideRates(d('1'), d('1024'))).toBe('0.0009765625')
    expect(divideRates(d('1.08'), d('162'))).toBe('1.08/162')
    expect(divideRates(d('1.0812'), d('162.45'))).toBe('1.0812/162.45')
    // 2^-20 ends, but after 20 decimals: more than a decimal rate may have.
    expect(divideRates(d('1'), d('1048576'))).toBe('1/1048576')
  })

  it('shows a quotient rounded half-up to 12 decimals, a decimal as it is', () => {
    expect(readableRate('1.08/162')).toBe('0.006666666667')
    expect(readableRate('1.0812/162.45')).toBe('0.006655586334')
    expect(readableRate('1.080')).toBe('1.08')
    expect(readableRate('0.000000000000000001')).toBe('0.000000000000000001')
  })

  it('converts the largest amount of each kind exactly', () => {
    // 999,999,999,999 JPY x 1.0812 / 162.45 = 6,655,586,334.25003... USD
    expect(fiatToUsdCents(999_999_999_999n, 'JPY', '1.0812/162.45')).toBe(665_558_633_425n)
    // 999,999,999,999.999 KWD x 3.253412 = 3,253,411,999,999.996746588 USD
    expect(fiatToUsdCents(999_999_999_999_999n, 'KWD', '3.253412')).toBe(325_341_200_000_000n)
    // 999,999,999,999.99 IDR x 1.0812 / 17654.32 = 61,242,800.6289... USD
    expect(fiatToUsdCents(99_999_999_999_999n, 'IDR', '1.0812/17654.32')).toBe(6_124_280_063n)
    // USD is not converted; the largest price still fits a JS number of cents.
    expect(fiatToUsdCents(99_999_999_999_999n, 'USD', null)).toBe(99_999_999_999_999n)
    expect(99_999_999_999_999n < BigInt(Number.MAX_SAFE_INTEGER)).toBe(true)
  })
})

describe('token amounts', () => {
  it('converts cents to base units', () => {
    expect(usdCentsToBaseUnits(2550n, 6)).toBe(25_500_000n)
    expect(usdCentsToBaseUnits(1n, 18)).toBe(10n ** 16n)
    expect(usdCentsToBaseUnits(1n, 2)).toBe(1n)
    for (const d of [0, 1, -1, 2.5, 256, Number.NaN]) {
      expect(moneyError(() => usdCentsToBaseUnits(1n, d)).code).toBe('decimals_invalid')
    }
  })

  it('formats exactly, keeping at least 2 decimals', () => {
    expect(formatBaseUnits(25_500_000n, 6)).toBe('25.50')
    expect(formatBaseUnits(100_500_001n, 6)).toBe('100.500001')
    expect(formatBaseUnits(10n ** 18n + 1n, 18)).toBe('1.000000000000000001')
    expect(formatBaseUnits(10n ** 30n, 18)).toBe('1000000000000.00')
    expect(formatBaseUnits(0n, 6)).toBe('0.00')
    expect(formatBaseUnits(1n, 6)).toBe('0.000001')
    expect(formatBaseUnits(120n, 1)).toBe('12.0')
    expect(formatBaseUnits(120n, 0)).toBe('120')
    expect(formatBaseUnits(2n ** 200n, 18)).not.toMatch(/e/i)
  })

  it('parses strictly', () => {
    expect(parseTokenAmount('25.5', 6)).toBe(25_500_000n)
    expect(parseTokenAmount('25', 6)).toBe(25_000_000n)
    expect(parseTokenAmount('0.000001', 6)).toBe(1n)
    expect(moneyError(() => parseTokenAmount('0.0000001', 6)).code).toBe('amount_too_precise')
    expect(moneyError(() => parseTokenAmount('1.0000000', 6)).code).toBe('amount_too_precise')
    expect(moneyError(() => parseTokenAmount('1.5', 0)).code).toBe('amount_too_precise')
    expect(moneyError(() => parseTokenAmount('0.00', 6)).code).toBe('amount_not_positive')
    expect(moneyError(() => parseTokenAmount('-1', 6)).code).toBe('amount_invalid')
    expect(moneyError(() => parseTokenAmount('1e6', 6)).code).toBe('amount_invalid')
    expect(moneyError(() => parseTokenAmount('1'.repeat(79), 0)).code).toBe('amount_too_large')
    expect(moneyError(() => parseTokenAmount('1'.repeat(1_000_000), 0)).code).toBe('amount_too_large')
    expect(moneyError(() => parseTokenAmount(((1n << 256n) / 10n ** 6n + 1n).toString(), 6)).code).toBe('amount_too_large')
    expect(moneyError(() => parseTokenAmount('1', -1)).code).toBe('decimals_invalid')
  })
})

describe('properties', () => {
  const decimalsArb = fc.integer({ min: 0, max: 30 })

  it('formatBaseUnits / parseTokenAmount round-trip up to 2^200', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 200n }), decimalsArb, (base, decimals) => {
        const text = formatBaseUnits(base, decimals)
        expect(text).toMatch(/^\d+(\.\d+)?$/)
        const frac = text.split('.')[1] ?? ''
        // At least min(decimals, 2) fraction digits, at most `decimals`, and
        // any digit beyond the kept minimum is significant (not a trailing 0).
        expect(frac.length).toBeGreaterThanOrEqual(Math.min(decimals, 2))
        expect(frac.length).toBeLessThanOrEqual(decimals)
        if (frac.length > Math.min(decimals, 2)) expect(frac.endsWith('0')).toBe(false)
        expect(parseTokenAmount(text, decimals)).toBe(base)
      }),
      { numRuns: 2000 },
    )
  })

  it('parseTokenAmount / formatBaseUnits round-trip from text', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 40n }),
        decimalsArb,
        fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 30 }),
        (int, decimals, fracRaw) => {
          const frac = fracRaw.slice(0, decimals)
          if (int === 0n && /^0*$/.test(frac)) return
          const text = frac === '' ? int.toString() : `${int}.${frac}`
          const back = formatBaseUnits(parseTokenAmount(text, decimals), decimals)
          // Same number; formatting only normalises trailing zeros.
          const canonical = (s: string) => {
            const [i = '', f = ''] = s.split('.')
            const trimmed = f.replace(/0+$/, '').padEnd(Math.min(decimals, 2), '0')
            return trimmed === '' ? i : `${i}.${trimmed}`
          }
          expect(back).toBe(canonical(text))
        },
      ),
    )
  })

  const currencyArb = fc.constantFrom(...CURRENCY_CODES)

  it('parseFiatAmount / formatMinor round-trip', () => {
    fc.assert(
      fc.property(
        currencyArb.chain((c) => fc.tuple(fc.constant(c), fc.bigInt({ min: 1n, max: 10n ** BigInt(12 + CURRENCIES[c]) - 1n }))),
        ([currency, minor]) => {
          const text = formatMinor(minor, currency)
          expect(parseFiatAmount(text, currency)).toBe(minor)
          expect(formatMinor(parseFiatAmount(text, currency), currency)).toBe(text)
        },
      ),
      { numRuns: 2000 },
    )
  })

  // A rate as text plus its exact rational, built without the code under test.
  const rateArb = fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n - 1n }), fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 18 }))
    .filter(([int, frac]) => BigInt(int.toString() + frac) > 0n)
    .map(([int, frac]) => ({
      text: frac === '' ? int.toString() : `${int}.${frac}`,
      num: BigInt(int.toString() + frac),
      den: 10n ** BigInt(frac.length),
    }))

  const conversionArb = currencyArb
    .filter((c) => c !== 'USD')
    .chain((c) => {
      const max = 10n ** BigInt(12 + CURRENCIES[c]) - 1n
      return fc.tuple(fc.constant(c), fc.bigInt({ min: 0n, max }), fc.bigInt({ min: 0n, max }), rateArb)
    })

  it('conversion is never off by more than half a cent, ties rounding up', () => {
    fc.assert(
      fc.property(conversionArb, ([currency, minor, , rate]) => {
        const cents = fiatToUsdCents(minor, currency, rate.text)
        // Exact USD cents = minor / 10^d x num / den x 100 = N / D
        const N = minor * rate.num * 100n
        const D = 10n ** BigInt(CURRENCIES[currency]) * rate.den
        const diff = cents * D - N // (cents - exact) x D
        expect(2n * diff).toBeLessThanOrEqual(D) // at most half a cent above
        expect(2n * diff).toBeGreaterThan(-D) // strictly less than half a cent below (ties go up)
      }),
      { numRuns: 2000 },
    )
  })

  it('conversion with a quotient rate is the exact fraction rounded half-up once', () => {
    fc.assert(
      fc.property(conversionArb, rateArb, ([currency, minor, , a], b) => {
        const cents = fiatToUsdCents(minor, currency, `${a.text}/${b.text}`)
        // Exact USD cents = minor / 10^d x (a.num / a.den) / (b.num / b.den) x 100 = N / D
        const N = minor * a.num * b.den * 100n
        const D = 10n ** BigInt(CURRENCIES[currency]) * a.den * b.num
        const diff = cents * D - N
        expect(2n * diff).toBeLessThanOrEqual(D)
        expect(2n * diff).toBeGreaterThan(-D)
      }),
      { numRuns: 2000 },
    )
  })

  it('conversion is monotonic in the amount', () => {
    fc.assert(
      fc.property(conversionArb, ([currency, a, b, rate]) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(fiatToUsdCents(lo, currency, rate.text)).toBeLessThanOrEqual(fiatToUsdCents(hi, currency, rate.text))
      }),
      { numRuns: 2000 },
    )
  })
})
