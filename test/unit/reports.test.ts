import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { DailyTotal, SessionFilter, SessionStatus } from '../../src-preload/contract'
import { HandlerRegistry } from '../../src-main/engine/handlers'
import { newId } from '../../src-main/engine/ids'
import {
  BUCKET_SECONDS,
  csvCell,
  CSV_COLUMNS,
  exportSessionsCsvToFile,
  registerReportHandlers,
  sessionTotals,
  writeSessionsCsv,
} from '../../src-main/engine/reports'
import { shopDateTime, shopDay } from '../../src-preload/shared/time'
import type { Shop } from './engineFixture'
import { openShop, SHOP_ADDRESS } from './engineFixture'

let shop: Shop
afterEach(() => shop?.close())

const MERCHANT = 'merchant_123'
const scope = { merchantId: MERCHANT, livemode: false }
const at = (iso: string) => Date.parse(iso) / 1000

function setTimeZone(timeZone: string): void {
  shop.engine.merchants.upsert({
    id: MERCHANT,
    name: 'Corner Cafe',
    currency: 'USD',
    receive: { mode: 'address', address: SHOP_ADDRESS },
    timeZone,
  })
}

interface Sale {
  at: number
  amount?: string
  currency?: 'USD' | 'EUR' | 'JPY'
  token?: 'USDC' | 'USDT'
  /** Base units received; the session is marked COMPLETED with this much paid. */
  paid?: string
  status?: SessionStatus
  orderId?: string
}

let orderSeq = 0
/** A real session (created by the engine at `at`), then settled by hand: these tests are about adding up, not the watcher. */
function sale(s: Sale): string {
  shop.clock.set(s.at * 1000)
  const currency = s.currency ?? 'USD'
  if (currency === 'EUR') shop.engine.rates.setManual('EUR', '1.08')
  if (currency === 'JPY') shop.engine.rates.setManual('JPY', '0.0066')
  const { session } = shop.engine.sessions.create({
    merchantId: MERCHANT,
    livemode: false,
    orderId: s.orderId ?? `order-${++orderSeq}`,
    amount: s.amount ?? '1.00',
    currency,
    token: s.token ?? 'USDC',
  })
  const seq = shop.engine.sessions.rowById(session.id)!.seq
  const option = shop.engine.db.prepare(`SELECT id FROM payment_options WHERE session_seq = ? AND kind = 'payment'`).get(seq) as {
    id: number
  }
  const status = s.status ?? 'COMPLETED'
  if (s.paid !== undefined || status === 'COMPLETED')
    shop.engine.db
      .prepare('UPDATE sessions SET status = ?, paid_option_id = ?, amount_paid = ? WHERE seq = ?')
      .run(status, option.id, s.paid ?? session.payment_options[0]!.amount_base_units, seq)
  else shop.engine.db.prepare('UPDATE sessions SET status = ? WHERE seq = ?').run(status, seq)
  return session.id
}

const totals = (filter: SessionFilter = {}) => sessionTotals(shop.engine, scope, filter)
const days = (rows: DailyTotal[]) =>
  rows.map((r) => `${r.day} ${r.token} ${r.currency} ${r.amount_base_units} ${r.amount_minor} ×${r.count}`)

describe('daily totals', () => {
  it('adds up paid sales per day, network, token and currency; unpaid sessions do not count', async () => {
    shop = openShop()
    sale({ at: at('2026-05-01T09:00:00Z'), amount: '10.00', token: 'USDC', paid: '10000000' })
    sale({ at: at('2026-05-01T10:00:00Z'), amount: '2.50', token: 'USDC', paid: '2500001' })
    sale({ at: at('2026-05-01T11:00:00Z'), amount: '3.00', token: 'USDT', paid: '3000000000000000000' })
    sale({ at: at('2026-05-01T12:00:00Z'), amount: '99.00', token: 'USDC', status: 'EXPIRED' })
    sale({ at: at('2026-05-01T12:30:00Z'), amount: '5.00', token: 'USDC', status: 'PROCESSING', paid: '5000000' })
    sale({ at: at('2026-05-02T08:00:00Z'), amount: '1.00', currency: 'EUR', token: 'USDC', paid: '1080000' })
    expect(days(await totals())).toEqual([
      '2026-05-02 USDC EUR 1080000 100 ×1',
      '2026-05-01 USDC USD 12500001 1250 ×2',
      '2026-05-01 USDT USD 3000000000000000000 300 ×1',
    ])
    const usdt = (await totals()).find((r) => r.token === 'USDT')!
    expect(usdt).toMatchObject({ chain_id: 31337, decimals: 18 })
    expect((await totals()).find((r) => r.token === 'USDC')!.decimals).toBe(6)
    // The filter is the History list's: a status other than paid has no takings; a date range narrows them.
    expect(await totals({ status: 'EXPIRED' })).toEqual([])
    expect(days(await totals({ created_gte: at('2026-05-02T00:00:00Z') }))).toEqual(['2026-05-02 USDC EUR 1080000 100 ×1'])
    expect(days(await totals({ token: 'USDT' }))).toEqual(['2026-05-01 USDT USD 3000000000000000000 300 ×1'])
    expect(await totals({ chain_id: 1 })).toEqual([])
  })

  it('sums 18-decimal amounts far above 2^64 exactly, carrying across limbs', async () => {
    shop = openShop()
    const big = '999999999999999999999999999999999999' // 36 nines: 10^18 USDT minus a wei, past three limbs
    const t = at('2026-05-01T09:00:00Z')
    for (let i = 0; i < 3; i++) sale({ at: t + i, token: 'USDT', paid: big })
    sale({ at: t + 10, token: 'USDT', paid: '18446744073709551617' }) // 2^64 + 1
    const [row] = await totals()
    expect(row!.amount_base_units).toBe((3n * BigInt(big) + 2n ** 64n + 1n).toString())
    expect(row!.count).toBe(4)
    // A uint256 (78 digits) as well.
    const max = (2n ** 256n - 1n).toString()
    sale({ at: t + 20, token: 'USDT', paid: max })
    expect((await totals())[0]!.amount_base_units).toBe((3n * BigInt(big) + 2n ** 64n + 1n + 2n ** 256n - 1n).toString())
  })

  it('days follow the shop’s time zone through a DST change (Europe/Berlin, spring and autumn)', async () => {
    shop = openShop()
    setTimeZone('Europe/Berlin')
    // Spring forward on 2026-03-29 at 01:00 UTC; before it Berlin is UTC+1, so its midnight is 23:00 UTC the day before.
    sale({ at: at('2026-03-28T22:59:59Z'), paid: '1' }) // 23:59:59 on the 28th
    sale({ at: at('2026-03-28T23:00:00Z'), paid: '2' }) // 00:00 on the 29th
    sale({ at: at('2026-03-29T21:59:59Z'), paid: '4' }) // 23:59:59 on the 29th (now UTC+2)
    sale({ at: at('2026-03-29T22:00:00Z'), paid: '8' }) // 00:00 on the 30th
    // Fall back on 2026-10-25 at 01:00 UTC: that day has 25 hours.
    sale({ at: at('2026-10-24T21:59:59Z'), paid: '16' }) // 23:59:59 on the 24th (UTC+2)
    sale({ at: at('2026-10-24T22:00:00Z'), paid: '32' }) // 00:00 on the 25th
    sale({ at: at('2026-10-25T22:59:59Z'), paid: '64' }) // 23:59:59 on the 25th (UTC+1)
    sale({ at: at('2026-10-25T23:00:00Z'), paid: '128' }) // 00:00 on the 26th
    expect((await totals()).map((r) => `${r.day}=${r.amount_base_units}`)).toEqual([
      '2026-10-26=128',
      '2026-10-25=96',
      '2026-10-24=16',
      '2026-03-30=8',
      '2026-03-29=6',
      '2026-03-28=1',
    ])
  })

  it('days follow a +05:45 zone (Asia/Kathmandu) and a -03:30/-02:30 one (America/St_Johns)', async () => {
    shop = openShop()
    setTimeZone('Asia/Kathmandu')
    // Kathmandu's midnight is 18:15 UTC the day before.
    sale({ at: at('2026-05-01T18:14:59Z'), paid: '1' })
    sale({ at: at('2026-05-01T18:15:00Z'), paid: '2' })
    expect((await totals()).map((r) => `${r.day}=${r.amount_base_units}`)).toEqual(['2026-05-02=2', '2026-05-01=1'])

    setTimeZone('America/St_Johns')
    // Newfoundland in summer is UTC-2:30: its midnight is 02:30 UTC.
    expect((await totals()).map((r) => `${r.day}=${r.amount_base_units}`)).toEqual(['2026-05-01=3'])
    sale({ at: at('2026-05-02T02:29:59Z'), paid: '4' })
    sale({ at: at('2026-05-02T02:30:00Z'), paid: '8' })
    expect((await totals()).map((r) => `${r.day}=${r.amount_base_units}`)).toEqual(['2026-05-02=8', '2026-05-01=7'])
  })

  it('splits a quarter hour that straddles midnight in a zone not on quarter hours (Monrovia, 1971: UTC-0:44:30)', async () => {
    shop = openShop()
    setTimeZone('Africa/Monrovia')
    const first = at('1971-06-01T00:40:00Z') // 23:55:30 on May 31
    const second = at('1971-06-01T00:44:40Z') // 00:00:10 on June 1
    expect(Math.floor(first / BUCKET_SECONDS)).toBe(Math.floor(second / BUCKET_SECONDS))
    sale({ at: first, paid: '1' })
    sale({ at: second, paid: '2' })
    expect((await totals()).map((r) => `${r.day}=${r.amount_base_units}`)).toEqual(['1971-06-01=2', '1971-05-31=1'])
  })

  it('match a plain reference sum for random sales in random zones (property)', async () => {
    shop = openShop()
    const zones = ['UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Eucla', 'Pacific/Chatham', 'America/New_York']
    const saleArb = fc.record({
      // 2026, sales clustered near midnights and DST changes by the generator's own bias towards small offsets.
      at: fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') }),
      token: fc.constantFrom('USDC' as const, 'USDT' as const),
      currency: fc.constantFrom('USD' as const, 'EUR' as const),
      cents: fc.integer({ min: 1, max: 10_000_000 }),
      paid: fc.bigInt({ min: 1n, max: 10n ** 40n }),
      status: fc.constantFrom<SessionStatus>('COMPLETED', 'COMPLETED', 'EXPIRED', 'PROCESSING'),
    })
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...zones), fc.array(saleArb, { minLength: 1, maxLength: 25 }), async (zone, sales) => {
        shop.engine.db.exec(
          'DELETE FROM transfers; DELETE FROM session_timeline; DELETE FROM events; DELETE FROM payment_options; DELETE FROM sessions;',
        )
        setTimeZone(zone)
        const expected = new Map<string, { base: bigint; minor: bigint; count: number }>()
        for (const s of sales) {
          const amount = `${Math.floor(s.cents / 100)}.${String(s.cents % 100).padStart(2, '0')}`
          sale({ at: s.at, token: s.token, currency: s.currency, amount, paid: s.paid.toString(), status: s.status })
          if (s.status !== 'COMPLETED') continue
          const day = new Date(s.at * 1000).toLocaleDateString('sv-SE', { timeZone: zone })
          const key = `${day} ${s.token} ${s.currency}`
          const sum = expected.get(key) ?? { base: 0n, minor: 0n, count: 0 }
          expected.set(key, { base: sum.base + s.paid, minor: sum.minor + BigInt(s.cents), count: sum.count + 1 })
        }
        const got = new Map(
          (await totals()).map((r) => [
            `${r.day} ${r.token} ${r.currency}`,
            { base: BigInt(r.amount_base_units), minor: BigInt(r.amount_minor), count: r.count },
          ]),
        )
        expect(got).toEqual(expected)
      }),
      { numRuns: 40 },
    )
  })

  it('adds up in time slices with the event loop free between them, and a search in one go', async () => {
    shop = openShop()
    const start = at('2026-01-01T00:00:00Z')
    const ids: string[] = []
    for (let d = 0; d < 200; d += 7) ids.push(sale({ at: start + d * 86400 + 3600, paid: String(d + 1) }))
    let pauses = 0
    const yieldBetweenSlices = async () => {
      pauses++
      await new Promise((resolve) => setImmediate(resolve))
    }
    const all = await sessionTotals(shop.engine, scope, {}, { yieldBetweenSlices })
    expect(pauses).toBeGreaterThan(0)
    expect(all).toHaveLength(ids.length)
    expect(all.reduce((n, r) => n + BigInt(r.amount_base_units), 0n)).toBe(ids.reduce((n, _, i) => n + BigInt(i * 7 + 1), 0n))
    pauses = 0
    const one = await sessionTotals(shop.engine, scope, { search: ids[3] }, { yieldBetweenSlices })
    expect(pauses).toBe(0)
    expect(one.map((r) => `${r.day}=${r.amount_base_units}`)).toEqual(['2026-01-22=22'])
    expect(await sessionTotals(shop.engine, scope, { created_gte: start + 300 * 86400 })).toEqual([])
  })

  it('is the sessions:totals channel, checking its input', async () => {
    shop = openShop()
    sale({ at: at('2026-05-01T09:00:00Z'), paid: '1000000' })
    const registry = new HandlerRegistry()
    registerReportHandlers(registry, shop.engine)
    const ok = await registry.invoke('sessions:totals', {})
    expect(ok).toMatchObject({ ok: true, value: [{ day: '2026-05-01', amount_base_units: '1000000', count: 1 }] })
    const bad = await registry.invoke('sessions:totals', { status: 'PAID' as SessionStatus })
    expect(bad).toMatchObject({ ok: false, error: { code: 'parameter_invalid', param: 'status' } })
    const badDate = await registry.invoke('sessions:totals', { created_gte: -1 })
    expect(badDate).toMatchObject({ ok: false, error: { code: 'parameter_invalid', param: 'created_gte' } })
  })
})

describe('local time', () => {
  it('names the day and writes ISO 8601 with the offset', () => {
    expect(shopDay(at('2026-05-01T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-05-02')
    expect(shopDateTime(at('2026-05-01T18:15:00Z'), 'Asia/Kathmandu')).toBe('2026-05-02T00:00:00+05:45')
    expect(shopDateTime(at('2026-05-01T02:29:59Z'), 'America/St_Johns')).toBe('2026-04-30T23:59:59-02:30')
    expect(shopDateTime(at('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-01-01T00:00:00+00:00')
  })
})

// ---------------------------------------------------------------- CSV

/** Collects what a writer sends; `stall` holds write callbacks back, like a slow network. */
class Collector extends Writable {
  chunks: string[] = []
  stalled = false
  private held: Array<() => void> = []
  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark, decodeStrings: false })
  }
  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))
    if (this.stalled) this.held.push(() => done())
    else done()
  }
  release(): void {
    this.stalled = false
    for (const done of this.held.splice(0)) done()
  }
  get text(): string {
    return this.chunks.join('')
  }
}

/** A small RFC 4180 reader (quoted fields, doubled quotes, CRLF), to read back what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += c
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell])
  return rows
}

describe('CSV cells', () => {
  it('quote per RFC 4180 only when needed', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('')).toBe('')
  })

  it('disarm spreadsheet formulas with a leading single quote', () => {
    expect(csvCell('=HYPERLINK("http://evil.example")')).toBe(`"'=HYPERLINK(""http://evil.example"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-2')).toBe("'-2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\tcmd')).toBe("'\tcmd")
    expect(csvCell('a=b')).toBe('a=b')
  })
})

describe('CSV export', () => {
  it('starts with the BOM and the exact header, and writes each session as the owner reads it', async () => {
    shop = openShop()
    setTimeZone('Asia/Shanghai')
    const quiet = sale({
      at: at('2026-05-01T01:00:00Z'),
      amount: '12.30',
      orderId: '桌号 12 · 拿铁',
      token: 'USDT',
      paid: '12300000000000000001',
    })
    sale({ at: at('2026-05-01T02:00:00Z'), orderId: 'Table 5, "VIP"', status: 'EXPIRED' })
    sale({ at: at('2026-05-01T03:00:00Z'), orderId: '=HYPERLINK("http://evil.example")', status: 'PENDING' })
    sale({ at: at('2026-05-01T04:00:00Z'), orderId: '@SUM(A1)', status: 'CANCELLED' })
    // A real-looking payment on the first one: its tx hash and payer go in the file.
    const seq = shop.engine.sessions.rowById(quiet)!.seq
    shop.engine.db
      .prepare(
        `INSERT INTO transfers (chain_id, tx_hash, log_index, token_symbol, token_address, from_address, to_address, amount, block_number, block_hash,
           block_timestamp, confirmations, state, session_seq, seen_at)
         VALUES (31337, ?, 0, 'USDT', '0x', ?, ?, '12300000000000000001', 7, '0xb', 0, 1, 'confirmed', ?, 0)`,
      )
      .run('0x' + 'ab'.repeat(32), '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', SHOP_ADDRESS, seq)
    shop.engine.db.prepare(`UPDATE sessions SET exceptions = '["overpaid","multiple_payments"]' WHERE seq = ?`).run(seq)

    const sink = new Collector()
    const result = await writeSessionsCsv(shop.engine, scope, {}, sink)
    expect(result).toEqual({ rows: 4, complete: true })
    const bytes = Buffer.from(sink.text, 'utf8')
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = sink.text.slice(1)
    expect(text.split('\r\n')[0]).toBe(
      'created,session id,order id,status,amount,currency,token,network,paid amount,refunded,tx hash,payer,exceptions,in totals,tip',
    )
    const rows = parseCsv(text)
    expect(rows[0]).toEqual([...CSV_COLUMNS])
    expect(rows.slice(1).map((r) => r[2])).toEqual([`'@SUM(A1)`, `'=HYPERLINK("http://evil.example")`, 'Table 5, "VIP"', '桌号 12 · 拿铁'])
    expect(rows[4]).toEqual([
      '2026-05-01T09:00:00+08:00',
      quiet,
      '桌号 12 · 拿铁',
      'COMPLETED',
      '12.30',
      'USD',
      'USDT',
      'Local',
      '12.300000000000000001',
      '0.00',
      '0x' + 'ab'.repeat(32),
      '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
      'overpaid multiple_payments',
      'yes',
      '0.00',
    ])
    // An unpaid session offered both tokens: both are named, nothing was paid.
    expect(rows[3]!.slice(3, 11)).toEqual(['EXPIRED', '1.00', 'USD', 'USDC', 'Local', '0', '0', ''])
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true)
  })

  it('covers exactly the sessions the History list shows for the same filter', async () => {
    shop = openShop()
    const t = at('2026-05-01T00:00:00Z')
    for (let i = 0; i < 40; i++)
      sale({
        at: t + i * 3600,
        token: i % 3 === 0 ? 'USDT' : 'USDC',
        status: (['COMPLETED', 'EXPIRED', 'PENDING', 'CANCELLED'] as const)[i % 4],
      })
    // The clock went back (a corrected system time), and several sales share a second: the list orders by
    // (created_at, seq), not by insertion, and so must the file.
    for (let i = 0; i < 6; i++) sale({ at: t + 2 * 3600 + 60, token: 'USDC', status: i % 2 ? 'COMPLETED' : 'EXPIRED' })
    const someId = shop.engine.sessions.list(scope, { limit: 5 }).data[3]!.id
    const filters: SessionFilter[] = [
      {},
      { status: 'COMPLETED' },
      { token: 'USDT' },
      { chain_id: 31337, token: 'USDC' },
      { created_gte: t + 5 * 3600, created_lt: t + 17 * 3600 },
      { search: someId },
      { search: 'order-nope' },
      { order_id: shop.engine.sessions.get(someId, scope).order_id },
    ]
    for (const filter of filters) {
      const listed: string[] = []
      let cursor: string | undefined
      for (;;) {
        const page = shop.engine.sessions.list(scope, { ...filter, limit: 7, ...(cursor ? { starting_after: cursor } : {}) })
        listed.push(...page.data.map((s) => s.id))
        if (!page.has_more) break
        cursor = page.next_cursor!
      }
      const sink = new Collector()
      await writeSessionsCsv(shop.engine, scope, filter, sink, { pageRows: 6 })
      expect(
        parseCsv(sink.text.slice(1))
          .slice(1)
          .map((r) => r[1]),
        JSON.stringify(filter),
      ).toEqual(listed)
    }
  })

  it('streams 100,000 sessions a page at a time, waiting while the reader is slow', async () => {
    shop = openShop()
    const N = 100_000
    fillSessions(shop, N)
    const sink = new Collector(64 * 1024)
    sink.stalled = true
    const done = writeSessionsCsv(shop.engine, scope, {}, sink)
    // Let the writer run as far as it will while nothing drains: it must stop after the buffer fills.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve))
    const heldBack = sink.text.length
    expect(sink.chunks.length).toBeLessThanOrEqual(3)
    expect(heldBack).toBeLessThan(200 * 1024)
    sink.release()
    const result = await done
    expect(result).toEqual({ rows: N, complete: true })
    // Page-sized chunks (500 rows), never the whole file at once.
    const largest = Math.max(...sink.chunks.map((c) => c.length))
    expect(largest).toBeLessThan(150 * 1024)
    expect(sink.chunks.length).toBeGreaterThanOrEqual(N / 500)
    const lines = sink.text.split('\r\n')
    expect(lines.length).toBe(N + 2) // header, N rows, and the empty string after the last CRLF
    expect(lines[1]).toContain(',fill-099999,')
    expect(lines[N]).toContain(',fill-000000,')
  }, 120_000)

  it('stops reading when the reader goes away', async () => {
    shop = openShop()
    fillSessions(shop, 5000)
    const sink = new Collector(1024)
    sink.stalled = true
    const done = writeSessionsCsv(shop.engine, scope, {}, sink, { pageRows: 100 })
    await new Promise((resolve) => setImmediate(resolve))
    sink.destroy()
    const result = await done
    expect(result.complete).toBe(false)
    expect(result.rows).toBeLessThan(5000)
  })

  it('rejects when the sink fails (a full disk), so no export looks complete', async () => {
    shop = openShop()
    fillSessions(shop, 2000)
    const failing = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        done(new Error('ENOSPC: no space left on device'))
      },
    })
    await expect(writeSessionsCsv(shop.engine, scope, {}, failing, { pageRows: 100 })).rejects.toThrow('ENOSPC')
  })
})

describe('CSV export to a file (Electron’s save dialog)', () => {
  it('writes the whole file under a temporary name and renames it when complete', async () => {
    shop = openShop()
    fillSessions(shop, 1200)
    const dir = mkdtempSync(join(tmpdir(), 'stablepay-csv-'))
    try {
      const path = join(dir, '销售 2026.csv')
      expect(await exportSessionsCsvToFile(shop.engine, scope, { status: 'COMPLETED' }, path)).toEqual({ rows: 1200 })
      expect(readdirSync(dir)).toEqual(['销售 2026.csv'])
      const text = readFileSync(path, 'utf8')
      expect(text.startsWith('\uFEFFcreated,session id,')).toBe(true)
      expect(text.split('\r\n')).toHaveLength(1202)
      // A folder that is not there: it fails, and leaves nothing that looks like an export.
      const missing = join(dir, 'no-such-folder', 'x.csv')
      await expect(exportSessionsCsvToFile(shop.engine, scope, {}, missing)).rejects.toThrow(/ENOENT/)
      expect(existsSync(missing)).toBe(false)
      expect(existsSync(`${missing}.part`)).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/** Fast direct SQL: N paid USDC sessions with their payment options, one a minute. */
function fillSessions(s: Shop, n: number): void {
  const db = s.engine.db
  const insertSession = db.prepare(
    `INSERT INTO sessions (seq, id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at,
       usd_cents, paid_option_id, amount_due, amount_paid, required_confirmations, exceptions, updated_at)
     VALUES (?, ?, ?, 0, ?, 1250, 'USD', '{}', 'COMPLETED', ?, ?, 1250, ?, '12500000', '12500000', 1, '[]', ?)`,
  )
  const insertOption = db.prepare(
    `INSERT INTO payment_options (id, session_seq, kind, chain_id, token_symbol, token_address, decimals, address, base_amount, suffix, amount, active)
     VALUES (?, ?, 'payment', 31337, 'USDC', '0x5FbDB2315678afecb367f032d93F642f64180aa3', 6, ?, '12500000', 0, '12500000', 0)`,
  )
  const start = at('2026-01-01T00:00:00Z')
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const seq = i + 1
      const created = start + i * 60
      insertSession.run(seq, newId('ps'), MERCHANT, `fill-${String(i).padStart(6, '0')}`, created, created + 900, seq, created)
      // One option per session: its id is the session's row number.
      insertOption.run(seq, seq, SHOP_ADDRESS)
    }
  })()
}
