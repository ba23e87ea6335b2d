import {
  MoneyError,
  divRoundHalfUp,
  divideRates,
  formatDecimalRate,
  parseDecimalRate,
  SHOWN_RATE_DECIMALS,
  type DecimalRate,
} from '../money'
import { RateError } from './errors'

/** The ECB's daily reference rates (business days, published ~16:00 CET). */
export const ECB_DAILY_URL = 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml'

export interface EcbRates {
  /** Unix seconds of the reference date at 15:00 UTC (see parseEcbXml). */
  readonly asOf: number
  /** Units of each currency per 1 EUR, canonical decimal strings. EUR itself is implicit (1). */
  readonly perEur: Record<string, string>
}

const CURRENCY_CODE = /^[A-Z]{3}$/
const CUBE_TAG = /<Cube\b([^>]*)>/g
const ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g

function invalid(message: string): RateError {
  return new RateError('rate_provider_invalid', `rate provider document rejected: ${message}`)
}

function attributesOf(tagBody: string): Map<string, string> {
  const attrs = new Map<string, string>()
  for (const m of tagBody.matchAll(ATTRIBUTE)) {
    const name = m[1]
    if (name !== undefined) attrs.set(name, m[2] ?? m[3] ?? '')
  }
  return attrs
}

/**
 * Parse "YYYY-MM-DD" to unix seconds at 15:00 UTC of that day.
 *
 * The ECB publishes "around 16:00 CET"; we pin that to 15:00 UTC all year
 * (during CEST the real publication is 14:00 UTC, so asOf may be up to an hour
 * late). The hour matters only for staleness and is dwarfed by the multi-day
 * maxAge, while a fixed rule keeps asOf deterministic for a given document.
 */
function ecbDateToUnix(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) throw invalid(`reference date ${JSON.stringify(date.slice(0, 40))} is not YYYY-MM-DD`)
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const ms = Date.UTC(y, mo - 1, d, 15, 0, 0)
  const back = new Date(ms)
  // Date.UTC happily rolls 2026-02-30 over to March; a real ECB date never does.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw invalid(`reference date ${date} does not exist`)
  }
  return ms / 1000
}

/**
 * Parse the ECB eurofxref XML format:
 *
 *   <gesmes:Envelope ...><Cube><Cube time="2026-11-25">
 *     <Cube currency="USD" rate="1.0812"/> ...
 *
 * A small tag scanner rather than an XML library: the format is flat, stable
 * since 1999, and we only need Cube attributes. Attribute order and quote
 * style are free. If the document holds several dated cubes (the 90-day
 * history file), the most recent day is used.
 *
 * Throws RateError `rate_provider_invalid` when there is no dated cube, no
 * USD rate, a malformed or non-positive rate, or a duplicate currency: a
 * half-understood document must never be stored.
 */
export function parseEcbXml(xml: string): EcbRates {
  if (typeof xml !== 'string') throw invalid('not text')
  const text = xml.replace(/<!--[\s\S]*?-->/g, '')
  const days: Array<{ date: string; asOf: number; rates: Map<string, string> }> = []
  for (const tag of text.matchAll(CUBE_TAG)) {
    const attrs = attributesOf(tag[1] ?? '')
    const time = attrs.get('time')
    const currency = attrs.get('currency')
    const rate = attrs.get('rate')
    if (time !== undefined) {
      days.push({ date: time, asOf: ecbDateToUnix(time), rates: new Map() })
      continue
    }
    if (currency === undefined && rate === undefined) continue // the outer, attribute-less <Cube>
    if (currency === undefined || rate === undefined) throw invalid('a Cube has a currency or a rate but not both')
    const day = days.at(-1)
    if (day === undefined) throw invalid(`the ${currency} rate is not inside a dated Cube`)
    if (!CURRENCY_CODE.test(currency) || currency === 'EUR') {
      throw invalid(`unexpected currency code ${JSON.stringify(currency.slice(0, 40))}`)
    }
    if (day.rates.has(currency)) throw invalid(`${currency} appears twice on ${day.date}`)
    day.rates.set(currency, formatDecimalRate(toRate(currency, rate)))
  }
  if (days.length === 0) throw invalid('no reference date (Cube time="...") found; is this an ECB eurofxref document?')
  const latest = days.reduce((a, b) => (b.asOf > a.asOf ? b : a))
  if (!latest.rates.has('USD')) throw invalid(`no USD rate on ${latest.date}`)
  return { asOf: latest.asOf, perEur: Object.fromEntries(latest.rates) }
}

/**
 * Turn ECB "units per 1 EUR" into "USD per 1 unit" for every currency:
 *   USD per X   = (USD per EUR) / (X per EUR)
 *   USD per EUR = the ECB USD rate itself
 * USD is not included (its rate to itself is not stored).
 *
 * The cross rate is kept exact (divideRates): a plain decimal when the
 * division ends ("1.25" for GBP at 1.08 / 0.864), else the quotient of the
 * two ECB figures ("1.08/162" for JPY), because no finite decimal holds it.
 *
 * A currency whose cross rate would show as zero at 12 decimals, or need more
 * than 12 integer digits, is left out (it could not be a real fiat rate),
 * instead of failing the whole refresh.
 */
export function ecbToUsdPerUnit(perEur: Record<string, string>): Record<string, string> {
  const usdRaw = perEur['USD']
  if (usdRaw === undefined) throw invalid('no USD rate')
  const usd = toRate('USD', usdRaw)
  const out: Record<string, string> = { EUR: formatDecimalRate(usd) }
  const limit = 10n ** BigInt(12 + SHOWN_RATE_DECIMALS)
  for (const [code, raw] of Object.entries(perEur)) {
    if (code === 'USD' || code === 'EUR') continue
    if (!CURRENCY_CODE.test(code)) throw invalid(`unexpected currency code ${JSON.stringify(code.slice(0, 40))}`)
    const x = toRate(code, raw)
    // The rate as shown: (u.d / 10^u.s) / (x.d / 10^x.s), scaled by 10^12 before the integer division.
    const shown = divRoundHalfUp(usd.digits * 10n ** BigInt(x.scale + SHOWN_RATE_DECIMALS), x.digits * 10n ** BigInt(usd.scale))
    if (shown === 0n || shown >= limit) continue
    out[code] = divideRates(usd, x)
  }
  return out
}

function toRate(code: string, raw: string): DecimalRate {
  try {
    return parseDecimalRate(raw)
  } catch (e) {
    if (e instanceof MoneyError) throw invalid(`${code}: ${e.message}`)
    throw e
  }
}
