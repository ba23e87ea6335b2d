import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../src-main/engine'
import { createEngine, EngineError, ManualClock } from '../../src-main/engine'
import { DEFAULT_MAX_AGE_SECONDS, RateBook, RateRefresher, frankfurtDate, nextCheckAt } from '../../src-main/engine/rates'
import { ManualTimers } from '../support/manualTimers'
import { seedEngine, shopConfig } from '../support/shopConfig'
import { makeTempDir, type TempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const utc = (iso: string) => Date.parse(iso)

/** An ECB eurofxref-daily.xml document, laid out like the real one. */
function ecbXml(date: string, usdPerEur: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<Cube>
\t\t<Cube time='${date}'>
\t\t\t<Cube currency='USD' rate='${usdPerEur}'/>
\t\t\t<Cube currency='JPY' rate='162.00'/>
\t\t\t<Cube currency='GBP' rate='0.86400'/>
\t\t</Cube>
\t</Cube>
</gesmes:Envelope>
`
}

/**
 * What the ECB serves at `nowMs`: the file of the latest working day whose
 * 16:00 CET (15:00 UTC in winter) has passed, with a USD rate that names the
 * day (1.08 + day of month / 1000), so a test can tell which file it got.
 */
function ecbFileAt(nowMs: number): { date: string; usd: string } {
  for (let t = nowMs; ; t -= HOUR) {
    const d = new Date(t)
    const weekday = d.getUTCDay()
    if (weekday !== 0 && weekday !== 6 && d.getUTCHours() >= 15) {
      const date = d.toISOString().slice(0, 10)
      return { date, usd: (1.08 + d.getUTCDate() / 1000).toFixed(3) }
    }
  }
}

/** A real HTTP server playing the ECB from the test's clock; it can go down and come back on the same port. */
class EcbServer {
  requests = 0
  /** Requests are left unanswered (a network that swallows them). */
  hang = false
  private server: http.Server | null = null
  private port = 0

  constructor(private readonly clock: ManualClock) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/stats/eurofxref/eurofxref-daily.xml`
  }

  async up(): Promise<void> {
    this.server = http.createServer((_req, res) => {
      this.requests++
      if (this.hang) return
      const file = ecbFileAt(this.clock.now())
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.end(ecbXml(file.date, file.usd))
    })
    const server = this.server
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve))
    this.port = (server.address() as AddressInfo).port
  }

  /** Refuses connections from now on (the port is closed), like a till whose network is gone. */
  async down(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = null
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

let dir: TempDir | null = null
let engine: Engine | null = null
let server: EcbServer | null = null
let stop: (() => Promise<void>) | null = null

afterEach(async () => {
  await stop?.()
  stop = null
  await server?.down()
  server = null
  engine?.close()
  engine = null
  await dir?.cleanup()
  dir = null
})

/** A real engine on a SQLite file, the shop pricing in `currency`, and an ECB on loopback. */
async function openShop(currency: string, clock = new ManualClock(utc('2026-11-26T12:00:00Z'))) {
  dir = makeTempDir('stablepay-rate-refresher')
  server = new EcbServer(clock)
  await server.up()
  engine = createEngine({ dataDir: dir.path, clock, rates: { providerUrl: server.url } })
  seedEngine(engine, shopConfig({ merchant: { currency } }))
  const timers = new ManualTimers(clock)
  // Jitter off so the test can name each wait.
  const refresher = new RateRefresher({ db: engine.db, rates: engine.rates, clock, timers, retry: { baseMs: 30_000, maxMs: 30 * 60_000 } })
  const settle = () => refresher.idle()
  return { engine, clock, server, timers, refresher, settle }
}

const eurSale = (e: Engine, orderId: string) =>
  e.sessions.create({ merchantId: 'merchant_123', livemode: false, orderId, amount: '10.00', currency: 'EUR' }).session

function refusal(fn: () => unknown): EngineError {
  try {
    fn()
  } catch (error) {
    if (error instanceof EngineError) return error
    throw error
  }
  throw new Error('expected the engine to refuse')
}

describe('the ECB check schedule', () => {
  it('checks at 16:15, 17:00 and 18:30 Frankfurt time on working days: UTC+1 in winter, UTC+2 in summer', () => {
    // Thursday 26 November 2026 (CET)
    expect(nextCheckAt(utc('2026-11-26T12:00:00Z'), false)).toBe(utc('2026-11-26T15:15:00Z'))
    expect(nextCheckAt(utc('2026-11-26T15:15:00Z'), false)).toBe(utc('2026-11-26T16:00:00Z'))
    expect(nextCheckAt(utc('2026-11-26T16:00:00Z'), false)).toBe(utc('2026-11-26T17:30:00Z'))
    expect(nextCheckAt(utc('2026-11-26T17:30:00Z'), false)).toBe(utc('2026-11-27T15:15:00Z'))
    // Wednesday 1 July 2026 (CEST)
    expect(nextCheckAt(utc('2026-07-01T08:00:00Z'), false)).toBe(utc('2026-07-01T14:15:00Z'))
  })

  it('skips the rest of a day whose rates are stored, and weekends', () => {
    expect(nextCheckAt(utc('2026-11-26T15:20:00Z'), true)).toBe(utc('2026-11-27T15:15:00Z'))
    // Friday evening → Monday
    expect(nextCheckAt(utc('2026-11-27T18:00:00Z'), false)).toBe(utc('2026-11-30T15:15:00Z'))
    expect(nextCheckAt(utc('2026-11-28T10:00:00Z'), false)).toBe(utc('2026-11-30T15:15:00Z'))
    // The night summer time ends (Sunday 25 October 2026) and the Monday after
    expect(nextCheckAt(utc('2026-10-25T00:30:00Z'), false)).toBe(utc('2026-10-26T15:15:00Z'))
    expect(frankfurtDate(utc('2026-11-26T23:30:00Z'))).toBe('2026-11-27')
  })
})

describe('rates that stay fresh by themselves', () => {
  it('(the bug) a rate fetched once by hand is refused four days later', async () => {
    const { engine, clock } = await openShop('EUR')
    await engine.rates.refresh()
    clock.advance(4 * DAY)
    expect(refusal(() => eurSale(engine, 'late')).code).toBe('rate_stale')
  })

  it('fetches at start, then on each working day after the ECB publishes: a EUR sale is still priced four days later', async () => {
    const shop = await openShop('EUR')
    stop = shop.refresher.start()
    await shop.settle()
    expect(shop.server.requests).toBe(1)
    expect(shop.engine.rates.quote('EUR')).toMatchObject({ rate: '1.105', asOf: utc('2026-11-25T15:00:00Z') / 1000 })
    // Today's file is not out yet at 12:00 UTC: the next look is at 16:15 Frankfurt time.
    expect(shop.timers.dueTimes()).toEqual([utc('2026-11-26T15:15:00Z')])

    await shop.timers.advanceTo(utc('2026-11-26T15:15:00Z'), shop.settle)
    expect(shop.server.requests).toBe(2)
    expect(shop.engine.rates.quote('EUR').rate).toBe('1.106')
    // Today's rates are in: nothing more today, next Friday.
    expect(shop.timers.dueTimes()).toEqual([utc('2026-11-27T15:15:00Z')])

    // Four days and six hours after the start: Friday's and Monday's files came in, nothing on the weekend.
    await shop.timers.advanceTo(utc('2026-11-30T18:00:00Z'), shop.settle)
    expect(shop.server.requests).toBe(4)
    const sale = eurSale(shop.engine, 'monday')
    expect(sale).toMatchObject({ currency: 'EUR', exchange_rate: '1.11', amount_usd: '11.10' })
    expect(shop.clock.now() - utc('2026-11-26T12:00:00Z')).toBeGreaterThan(DEFAULT_MAX_AGE_SECONDS * 1000)
  })

  it('backs off while the provider is down, and recovers when it is back', async () => {
    const shop = await openShop('EUR')
    await shop.server.down()
    const start = shop.clock.now()
    stop = shop.refresher.start()
    await shop.settle()
    expect(shop.engine.rates.list()).toEqual([])

    // 30 s, 1 min, 2 min, 4 min, 8 min after each failure in a row.
    const waits: number[] = []
    let last = start
    for (let i = 0; i < 5; i++) {
      const [due] = shop.timers.dueTimes()
      waits.push(due! - last)
      last = due!
      await shop.timers.advanceTo(due!, shop.settle)
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000])
    expect(shop.engine.rates.list()).toEqual([])

    await shop.server.up()
    const [due] = shop.timers.dueTimes()
    expect(due! - last).toBe(960_000)
    await shop.timers.advanceTo(due!, shop.settle)
    expect(shop.server.requests).toBe(1)
    expect(shop.engine.rates.quote('EUR').source).toBe('provider')
    // Back on the schedule, the failures forgotten.
    expect(shop.timers.dueTimes()).toEqual([utc('2026-11-26T15:15:00Z')])
  })

  it('sends nothing for a USD-only shop, nor for one with a hand-set rate for its currency; looks again when that changes', async () => {
    const shop = await openShop('USD')
    stop = shop.refresher.start()
    await shop.settle()
    await shop.timers.advanceTo(shop.clock.now() + 7 * DAY, shop.settle)
    expect(shop.server.requests).toBe(0)

    shop.engine.rates.setManual('EUR', '1.08')
    seedEngine(shop.engine, shopConfig({ merchant: { currency: 'EUR' } }))
    await shop.timers.advanceTo(shop.clock.now() + 7 * DAY, shop.settle)
    expect(shop.server.requests).toBe(0)
    expect(shop.refresher.needed()).toEqual([])

    // The owner clears the hand-set rate: within the idle check's 15 minutes the till asks the ECB.
    shop.engine.rates.clearManual('EUR')
    expect(shop.refresher.needed()).toEqual(['EUR'])
    await shop.timers.advanceTo(shop.clock.now() + 15 * 60_000, shop.settle)
    expect(shop.server.requests).toBe(1)
  })

  it('counts a currency the back office priced recent sales in, even when the shop prices in USD', async () => {
    const shop = await openShop('USD')
    shop.engine.rates.setManual('GBP', '1.25')
    shop.engine.sessions.create({ merchantId: 'merchant_123', livemode: false, orderId: 'api-1', amount: '5.00', currency: 'GBP' })
    expect(shop.refresher.needed()).toEqual([])
    shop.engine.rates.clearManual('GBP')
    expect(shop.refresher.needed()).toEqual(['GBP'])
  })

  it('stops cleanly: no timer left and a request in flight ended at once', async () => {
    const shop = await openShop('EUR')
    shop.server.hang = true
    const stopRefresher = shop.refresher.start()
    await waitFor(() => shop.server.requests === 1, { timeoutMs: 5000 })
    const began = Date.now()
    await stopRefresher()
    expect(Date.now() - began).toBeLessThan(2000) // not the 10 s request timeout
    expect(shop.timers.dueTimes()).toEqual([])
  })

  it('is one of the services engine.start() runs', async () => {
    const shop = await openShop('EUR')
    stop = shop.engine.start()
    await waitFor(() => shop.engine.rates.list().length > 0, { timeoutMs: 5000 })
    expect(shop.server.requests).toBe(1)
  })
})

describe('the warning a day before a reference rate goes stale', () => {
  it('lists when each provider rate goes stale and whether that is within a day', async () => {
    const { engine, clock } = await openShop('EUR')
    await engine.rates.refresh()
    engine.rates.setManual('GBP', '1.26')
    const asOf = utc('2026-11-25T15:00:00Z') / 1000
    const staleAt = asOf + DEFAULT_MAX_AGE_SECONDS + 1
    const eur = () => engine.rates.list().find((r) => r.currency === 'EUR')!
    expect(eur()).toMatchObject({ staleAt, staleSoon: false, stale: false })
    clock.set((staleAt - 24 * 3600 - 1) * 1000)
    expect(eur().staleSoon).toBe(false)
    clock.set((staleAt - 24 * 3600) * 1000)
    expect(eur()).toMatchObject({ staleSoon: true, stale: false, active: true })
    clock.set(staleAt * 1000)
    expect(eur()).toMatchObject({ staleSoon: false, stale: true, active: false })
    expect(engine.rates.list().find((r) => r.currency === 'GBP' && r.source === 'manual')).toMatchObject({
      staleAt: null,
      staleSoon: false,
    })
    // RateBook is what the engine uses: the same answer from a second book on the same table.
    expect(new RateBook({ db: engine.db, clock }).list()).toEqual(engine.rates.list())
  })
})
