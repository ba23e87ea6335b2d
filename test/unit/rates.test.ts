import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fiatToUsdCents, parseFiatAmount, readableRate } from '../../src-main/engine/money'
import { DEFAULT_MAX_AGE_SECONDS, RateBook, RateError, ecbToUsdPerUnit, parseEcbXml } from '../../src-main/engine/rates'

/**
 * The agreed `rates` DDL (the real migration lives elsewhere). Exported so
 * other tests that need a rate book can build the same table.
 */
export function createRatesTable(db: Database.Database): void {
  db.exec(`
CREATE TABLE rates (
  currency TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('provider','manual')),
  usd_per_unit TEXT NOT NULL,
  as_of INTEGER NOT NULL,      -- unix seconds: the provider's publication time, or when a manual rate was set
  fetched_at INTEGER NOT NULL, -- unix seconds
  PRIMARY KEY (currency, source)
) STRICT;
`)
}

/** An ECB eurofxref-daily.xml document, same layout and quoting as the real one. */
function ecbXml(date: string, rates: Record<string, string>): string {
  const cubes = Object.entries(rates)
    .map(([c, r]) => `\t\t\t<Cube currency='${c}' rate='${r}'/>`)
    .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
\t\t<Cube time='${date}'>
${cubes}
\t\t</Cube>
\t</Cube>
</gesmes:Envelope>
`
}

// Chosen so the cross rates are easy to check by hand: GBP 1.08/0.864 = 1.25
// exactly, JPY 1.08/162 = 0.00666... (periodic), IDR 1.08/17000 = 0.0000635294...
const DAY1_RATES = {
  USD: '1.0800',
  JPY: '162.00',
  BGN: '1.9558',
  CZK: '25.043',
  GBP: '0.86400',
  CHF: '0.9300',
  AUD: '1.6875',
  IDR: '17000.00',
  KRW: '1500.00',
  ZAR: '19.2000',
}
const DAY1_SUPPORTED = ['EUR', 'JPY', 'GBP', 'AUD', 'IDR', 'KRW'] // CHF/BGN/CZK/ZAR are not price currencies
const DAY1 = ecbXml('2026-11-25', DAY1_RATES)
const DAY1_AS_OF = Date.UTC(2026, 10, 25, 15, 0, 0) / 1000

function rateError(fn: () => unknown): RateError {
  try {
    fn()
  } catch (e) {
    if (e instanceof RateError) return e
    throw e
  }
  throw new Error('expected a RateError')
}

async function rejectsWithRateError(p: Promise<unknown>): Promise<RateError> {
  try {
    await p
  } catch (e) {
    if (e instanceof RateError) return e
    throw e
  }
  throw new Error('expected a RateError')
}

describe('parseEcbXml', () => {
  it('reads the reference date and rates', () => {
    const { asOf, perEur } = parseEcbXml(DAY1)
    expect(asOf).toBe(DAY1_AS_OF)
    expect(perEur).toEqual({
      USD: '1.08',
      JPY: '162',
      BGN: '1.9558',
      CZK: '25.043',
      GBP: '0.864',
      CHF: '0.93',
      AUD: '1.6875',
      IDR: '17000',
      KRW: '1500',
      ZAR: '19.2',
    })
  })

  it('accepts double quotes, reordered attributes and comments', () => {
    const xml = `<gesmes:Envelope><!-- <Cube time="1999-01-01"> --><Cube><Cube time="2026-11-25">
      <Cube rate="1.08" currency="USD" /><Cube currency="JPY" rate="162"></Cube></Cube></Cube></gesmes:Envelope>`
    expect(parseEcbXml(xml)).toEqual({ asOf: DAY1_AS_OF, perEur: { USD: '1.08', JPY: '162' } })
  })

  it('uses the most recent day of a multi-day document', () => {
    const xml = `<Cube><Cube time='2026-11-24'><Cube currency='USD' rate='1.07'/></Cube>
      <Cube time='2026-11-25'><Cube currency='USD' rate='1.08'/></Cube>
      <Cube time='2026-11-23'><Cube currency='USD' rate='1.06'/></Cube></Cube>`
    expect(parseEcbXml(xml)).toEqual({ asOf: DAY1_AS_OF, perEur: { USD: '1.08' } })
  })

  it.each([
    ['no date', `<Cube><Cube currency='USD' rate='1.08'/></Cube>`],
    ['no USD', ecbXml('2026-11-25', { JPY: '162' })],
    ['an HTML page', '<html><body>Service unavailable</body></html>'],
    ['an empty body', ''],
    ['a bad rate', ecbXml('2026-11-25', { USD: '1.08', JPY: '1,62' })],
    ['a zero rate', ecbXml('2026-11-25', { USD: '1.08', JPY: '0' })],
    [
      'a duplicate currency',
      ecbXml('2026-11-25', { USD: '1.08' }).replace(
        "<Cube currency='USD' rate='1.08'/>",
        "<Cube currency='USD' rate='1.08'/><Cube currency='USD' rate='1.09'/>",
      ),
    ],
    ['an impossible date', ecbXml('2026-02-30', { USD: '1.08' })],
    ['a lowercase code', ecbXml('2026-11-25', { USD: '1.08', usd: '1.09' })],
  ])('rejects %s', (_name, xml) => {
    expect(rateError(() => parseEcbXml(xml)).code).toBe('rate_provider_invalid')
  })
})

describe('ecbToUsdPerUnit', () => {
  it('turns units-per-EUR into exact USD-per-unit, shown at 12 decimals, half-up', () => {
    const usd = ecbToUsdPerUnit(parseEcbXml(DAY1).perEur)
    expect(usd['EUR']).toBe('1.08')
    expect(usd['GBP']).toBe('1.25')
    expect(usd['AUD']).toBe('0.64')
    expect(usd['KRW']).toBe('0.00072')
    // No finite decimal holds these: the two ECB figures are kept.
    expect(usd['JPY']).toBe('1.08/162')
    expect(usd['IDR']).toBe('1.08/17000')
    expect(readableRate(usd['JPY']!)).toBe('0.006666666667') // 0.0066666666666|6... rounds up
    expect(readableRate(usd['IDR']!)).toBe('0.000063529412') // 0.0000635294117|6... rounds up
    expect(usd).not.toHaveProperty('USD')
  })

  it('leaves out a cross rate that would show as zero or reach 12 integer digits', () => {
    // 0.1 / 999999999999 is 1.0e-13; 1 / 0.000000000001 is 10^12, 1 / 0.000000000002 just fits.
    expect(ecbToUsdPerUnit({ USD: '0.1', AAA: '999999999999' })).toEqual({ EUR: '0.1' })
    expect(ecbToUsdPerUnit({ USD: '1', BBB: '0.000000000001', CCC: '0.000000000002' })).toEqual({ EUR: '1', CCC: '500000000000' })
  })

  it('requires USD', () => {
    expect(rateError(() => ecbToUsdPerUnit({ JPY: '162' })).code).toBe('rate_provider_invalid')
  })
})

/**
 * Exact USD cents for `minor` units of a currency priced through the ECB's
 * euro rates, by rational arithmetic written out here rather than taken from
 * the code under test: minor / 10^decimals x usdPerEur / xPerEur x 100,
 * rounded half-up once.
 */
function exactCents(minor: bigint, decimals: number, usdPerEur: string, xPerEur: string): bigint {
  const asFraction = (s: string) => {
    const [int = '', frac = ''] = s.split('.')
    return { n: BigInt(int + frac), d: 10n ** BigInt(frac.length) }
  }
  const u = asFraction(usdPerEur)
  const x = asFraction(xPerEur)
  const n = minor * u.n * x.d * 100n
  const d = 10n ** BigInt(decimals) * u.d * x.n
  return (2n * n + d) / (2n * d)
}

describe('conversion through the ECB cross rates is exact at the largest amounts', () => {
  // Figures like a real ECB day; USD per JPY = 1.0812 / 162.45 has no finite decimal.
  const ECB = { USD: '1.0812', JPY: '162.45', GBP: '0.8432', AUD: '1.6523', IDR: '17654.32', KRW: '1489.17' }
  // The biggest price of each currency: 12 integer digits and every decimal the currency has.
  const MAX = {
    JPY: [999_999_999_999n, 0],
    KRW: [999_999_999_999n, 0],
    GBP: [99_999_999_999_999n, 2],
    AUD: [99_999_999_999_999n, 2],
    IDR: [99_999_999_999_999n, 2],
  } as const

  it('999,999,999,999 JPY is $6,655,586,334.25, to the cent', () => {
    const usdPer = ecbToUsdPerUnit(ECB)
    // 999999999999 x 1.0812 / 162.45 = 6655586334.25003...; a rate cut to 12 decimals gave 26 cents less.
    expect(fiatToUsdCents(999_999_999_999n, 'JPY', usdPer['JPY']!)).toBe(665_558_633_425n)
    expect(exactCents(999_999_999_999n, 0, ECB.USD, ECB.JPY)).toBe(665_558_633_425n)
  })

  it('every cross rate converts its largest amount exactly', () => {
    const usdPer = ecbToUsdPerUnit(ECB)
    for (const [code, [minor, decimals]] of Object.entries(MAX)) {
      const currency = code as keyof typeof MAX
      expect(fiatToUsdCents(minor, currency, usdPer[currency]!), currency).toBe(exactCents(minor, decimals, ECB.USD, ECB[currency]))
    }
    // EUR itself is the ECB's USD figure, a plain decimal: exact already.
    expect(fiatToUsdCents(99_999_999_999_999n, 'EUR', usdPer['EUR']!)).toBe(108_119_999_999_999n)
  })

  it('any ECB figures and any amount up to the limit convert exactly (property)', () => {
    const figure = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 10n }), fc.integer({ min: 0, max: 6 })).map(([digits, scale]) => {
      const s = digits.toString().padStart(scale + 1, '0')
      return scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`
    })
    fc.assert(
      fc.property(figure, figure, fc.bigInt({ min: 1n, max: 10n ** 14n - 1n }), (usd, idr, minor) => {
        const usdPer = ecbToUsdPerUnit({ USD: usd, IDR: idr })
        // A cross rate too small to show, or absurdly large, is left out on purpose.
        fc.pre(usdPer['IDR'] !== undefined)
        expect(fiatToUsdCents(minor, 'IDR', usdPer['IDR']!)).toBe(exactCents(minor, 2, usd, idr))
      }),
      { numRuns: 1000 },
    )
  })
})

interface Provider {
  url: string
  /** What the next request gets; `hang` never answers. */
  state: { status: number; body: string; hang: boolean }
  requests: number
  close(): Promise<void>
}

async function startProvider(body: string): Promise<Provider> {
  const server = http.createServer((_req, res) => {
    provider.requests++
    if (provider.state.hang) return
    res.writeHead(provider.state.status, { 'content-type': 'text/xml; charset=utf-8' })
    res.end(provider.state.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let closed = false
  const provider: Provider = {
    url: `http://127.0.0.1:${port}/stats/eurofxref/eurofxref-daily.xml`,
    state: { status: 200, body, hang: false },
    requests: 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (closed) return resolve()
        closed = true
        server.close((err) => (err ? reject(err) : resolve()))
        // Keep-alive sockets from fetch (and hung requests) would hold close() open.
        server.closeAllConnections()
      }),
  }
  return provider
}

describe('RateBook', () => {
  let dir: string
  let db: Database.Database
  let provider: Provider
  const clock = { ms: (DAY1_AS_OF + 3600) * 1000, now: () => clock.ms }
  const setNow = (unixSeconds: number) => {
    clock.ms = unixSeconds * 1000
  }
  const book = (extra: Partial<ConstructorParameters<typeof RateBook>[0]> = {}) =>
    new RateBook({ db, clock, providerUrl: provider.url, ...extra })
  const snapshot = () => db.prepare('SELECT * FROM rates ORDER BY currency, source').all()

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stablepay-rates-'))
    db = new Database(join(dir, 'pos.sqlite'))
    db.pragma('journal_mode = WAL')
    createRatesTable(db)
    provider = await startProvider(DAY1)
    setNow(DAY1_AS_OF + 3600)
  })

  afterEach(async () => {
    await provider.close()
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('refreshes from the provider over HTTP and stores supported currencies only', async () => {
    const result = await book().refresh()
    expect(result).toEqual({ updated: DAY1_SUPPORTED.length, asOf: DAY1_AS_OF })
    expect(provider.requests).toBe(1)
    const rows = snapshot() as Array<Record<string, unknown>>
    expect(rows.map((r) => r['currency']).sort()).toEqual([...DAY1_SUPPORTED].sort())
    expect(rows.every((r) => r['source'] === 'provider' && r['as_of'] === DAY1_AS_OF)).toBe(true)
    expect(rows.every((r) => r['fetched_at'] === DAY1_AS_OF + 3600)).toBe(true)
    expect(rows.find((r) => r['currency'] === 'GBP')?.['usd_per_unit']).toBe('1.25')
  })

  it('converts EUR, JPY and GBP prices with provider rates', async () => {
    const rates = book()
    await rates.refresh()

    const eur = rates.quote('EUR')
    expect(eur).toEqual({
      currency: 'EUR',
      rate: '1.08',
      exactRate: '1.08',
      source: 'provider',
      asOf: DAY1_AS_OF,
      lockedAt: DAY1_AS_OF + 3600,
    })
    expect(fiatToUsdCents(parseFiatAmount('100.50', 'EUR'), 'EUR', eur.exactRate)).toBe(10854n)

    const jpy = rates.quote('JPY')
    expect(jpy).toMatchObject({ rate: '0.006666666667', exactRate: '1.08/162' })
    // 1500 x 1.08 / 162 = 10 USD exactly
    expect(fiatToUsdCents(parseFiatAmount('1500', 'JPY'), 'JPY', jpy.exactRate)).toBe(1000n)
    // Priced with the shown rate, the largest JPY sale would be 33 cents more: the exact rate is what counts.
    expect(fiatToUsdCents(999_999_999_999n, 'JPY', jpy.exactRate)).toBe(666_666_666_666n)
    expect(fiatToUsdCents(999_999_999_999n, 'JPY', jpy.rate)).toBe(666_666_666_699n)

    const gbp = rates.quote('GBP')
    expect(fiatToUsdCents(parseFiatAmount('80.00', 'GBP'), 'GBP', gbp.exactRate)).toBe(10000n)
  })

  it('quotes USD without a rate', () => {
    const q = book().quote('USD')
    expect(q).toEqual({ currency: 'USD', rate: null, exactRate: null, source: null, asOf: null, lockedAt: DAY1_AS_OF + 3600 })
    expect(fiatToUsdCents(2500n, 'USD', q.exactRate)).toBe(2500n)
  })

  it('says when a currency has no rate at all', () => {
    const e = rateError(() => book().quote('VND'))
    expect(e.code).toBe('rate_unavailable')
    expect(e.message).toMatch(/VND/)
  })

  it('lets a manual rate override the provider, and clearing it restores the provider', async () => {
    const rates = book()
    await rates.refresh()
    setNow(DAY1_AS_OF + 7200)
    expect(rates.setManual('EUR', '1.10')).toEqual({ changed: true })
    expect(rates.quote('EUR')).toMatchObject({ rate: '1.1', source: 'manual', asOf: DAY1_AS_OF + 7200 })
    expect(fiatToUsdCents(10000n, 'EUR', rates.quote('EUR').exactRate)).toBe(11000n)
    // A later provider refresh does not displace the manual rate.
    await rates.refresh()
    expect(rates.quote('EUR').source).toBe('manual')

    expect(rates.clearManual('EUR')).toEqual({ removed: true })
    expect(rates.clearManual('EUR')).toEqual({ removed: false })
    expect(rates.quote('EUR')).toMatchObject({ rate: '1.08', source: 'provider' })
  })

  it('does not touch as_of when the same manual rate is applied again', () => {
    const rates = book()
    setNow(1_800_000_000)
    rates.setManual('VND', '0.00004')
    const before = snapshot()
    setNow(1_800_086_400)
    expect(rates.setManual('VND', '0.00004')).toEqual({ changed: false })
    expect(rates.setManual('VND', '00.000040')).toEqual({ changed: false }) // same value, other spelling
    expect(snapshot()).toEqual(before)
    expect(rates.setManual('VND', '0.000041')).toEqual({ changed: true })
    expect(rates.quote('VND')).toMatchObject({ rate: '0.000041', asOf: 1_800_086_400 })
  })

  it('validates manual rates', () => {
    const rates = book()
    expect(rateError(() => rates.setManual('USD', '1')).code).toBe('currency_unsupported')
    expect(rateError(() => rates.setManual('XYZ' as 'EUR', '1')).code).toBe('currency_unsupported')
    for (const bad of ['-1.08', '0', '1e3', '', 'abc', ' 1.08']) {
      const e = rateError(() => rates.setManual('EUR', bad))
      expect(e.code).toBe('rate_invalid')
      expect(e.message).toMatch(/EUR/)
    }
    expect(snapshot()).toEqual([])
  })

  it('refuses stale provider rates but never manual ones', async () => {
    const rates = book()
    await rates.refresh()
    setNow(DAY1_AS_OF)
    rates.setManual('GBP', '1.26')

    setNow(DAY1_AS_OF + DEFAULT_MAX_AGE_SECONDS)
    expect(rates.quote('EUR').source).toBe('provider') // exactly maxAge old is still fine

    setNow(DAY1_AS_OF + DEFAULT_MAX_AGE_SECONDS + 1)
    const e = rateError(() => rates.quote('EUR'))
    expect(e.code).toBe('rate_stale')
    expect(e.message).toMatch(/EUR/)
    expect(e.message).toMatch(/4 days/)

    setNow(DAY1_AS_OF + 365 * 86400)
    expect(rates.quote('GBP')).toMatchObject({ rate: '1.26', source: 'manual' })
    expect(rateError(() => rates.quote('JPY')).message).toMatch(/JPY exchange rate is 365 days old/)

    const list = rates.list()
    expect(list.find((r) => r.currency === 'EUR')).toEqual({
      currency: 'EUR',
      rate: '1.08',
      source: 'provider',
      asOf: DAY1_AS_OF,
      ageSeconds: 365 * 86400,
      stale: true,
      active: false,
      staleAt: DAY1_AS_OF + DEFAULT_MAX_AGE_SECONDS + 1,
      staleSoon: false,
    })
    const gbp = list.filter((r) => r.currency === 'GBP')
    expect(gbp.map((r) => [r.source, r.stale, r.active])).toEqual([
      ['manual', false, true],
      ['provider', true, false],
    ])
  })

  it('honours a custom maxAgeSeconds', async () => {
    const rates = book({ maxAgeSeconds: 3600 })
    await rates.refresh()
    setNow(DAY1_AS_OF + 3600)
    expect(rates.quote('JPY').source).toBe('provider')
    setNow(DAY1_AS_OF + 3601)
    expect(rateError(() => rates.quote('JPY')).code).toBe('rate_stale')
  })

  it('does not let an older document overwrite newer rates', async () => {
    const rates = book()
    await rates.refresh()
    const before = snapshot()
    provider.state.body = ecbXml('2026-11-24', { USD: '1.00', JPY: '100' })
    expect(await rates.refresh()).toEqual({ updated: 0, asOf: DAY1_AS_OF - 86400 })
    expect(snapshot()).toEqual(before)
  })

  it('fails and changes nothing when the provider is down', async () => {
    const rates = book()
    await rates.refresh()
    rates.setManual('VND', '0.00004')
    const before = snapshot()
    await provider.close()
    setNow(DAY1_AS_OF + 86400)
    const e = await rejectsWithRateError(rates.refresh())
    expect(e.code).toBe('rate_provider_unreachable')
    // The provider is named by its origin only: a path or query may carry an API key, and this message is shown and logged.
    expect(e.message).toContain(`${new URL(provider.url).origin}/…`)
    expect(e.message).not.toContain(new URL(provider.url).pathname)
    expect(snapshot()).toEqual(before)
  })

  it('fails and changes nothing on an HTTP error', async () => {
    const rates = book()
    await rates.refresh()
    const before = snapshot()
    provider.state = { status: 503, body: ecbXml('2026-11-26', { USD: '2' }), hang: false }
    const e = await rejectsWithRateError(rates.refresh())
    expect(e.code).toBe('rate_provider_unreachable')
    expect(e.message).toMatch(/HTTP 503/)
    expect(snapshot()).toEqual(before)
  })

  it('fails and changes nothing on malformed XML', async () => {
    const rates = book()
    await rates.refresh()
    const before = snapshot()
    for (const body of [
      '<html>captive portal</html>',
      DAY1.slice(0, DAY1.indexOf("<Cube currency='USD'")), // truncated before USD
      ecbXml('2026-11-26', { USD: '1.09', JPY: 'lots' }), // one bad rate spoils the document
    ]) {
      provider.state.body = body
      const e = await rejectsWithRateError(rates.refresh())
      expect(e.code).toBe('rate_provider_invalid')
      expect(snapshot()).toEqual(before)
    }
  })

  it('times out a provider that never answers', async () => {
    provider.state.hang = true
    const e = await rejectsWithRateError(book({ timeoutMs: 200 }).refresh())
    expect(e.code).toBe('rate_provider_unreachable')
    expect(e.message).toMatch(/no answer within 0.2 s/)
    expect(snapshot()).toEqual([])
  })

  it('works when the database hands out BigInts by default', async () => {
    db.defaultSafeIntegers(true)
    const rates = book()
    await rates.refresh()
    expect(rates.quote('EUR').asOf).toBe(DAY1_AS_OF)
    expect(rates.list().every((r) => typeof r.ageSeconds === 'number')).toBe(true)
  })
})
