/**
 * The owner screens' pure parts (no DOM): the History filter as the engine
 * reads it, shop days, totals arithmetic, the settings checks, and the
 * strings table.
 */
import { describe, expect, it } from 'vitest'
import type { DailyTotal, PaymentSession } from '../../src-preload/contract'
import { cashierStrings } from '../../src-renderer/src/i18n/cashier'
import { commonStrings } from '../../src-renderer/src/i18n/common'
import { setupStrings } from '../../src-renderer/src/i18n/setup'
import { EMPTY_FILTER, exportHref, toHistoryRow, toSessionFilter } from '../../src-renderer/src/owner/historyQuery'
import { minorToDecimal, summarise } from '../../src-renderer/src/owner/money'
import { ownerStrings } from '../../src-renderer/src/owner/strings'
import { addDays, ageParts, dayStart, shopDay } from '../../src-renderer/src/owner/time'
import { checkConfirmations, checkRpcList } from '../../src-renderer/src/owner/validate'

const at = (iso: string) => Date.parse(iso) / 1000

describe('shop days in the browser', () => {
  const zones = [
    'UTC',
    'Europe/Berlin',
    'Asia/Kathmandu',
    'America/St_Johns',
    'Pacific/Chatham',
    'America/Santiago',
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
  ]
  const days = [
    '2026-01-01',
    '2026-03-08',
    '2026-03-29',
    '2026-04-05',
    '2026-09-06',
    '2026-09-27',
    '2026-10-25',
    '2026-11-01',
    '2026-12-31',
  ]

  it('start at the first second the engine counts in that day, DST and :45 offsets included', () => {
    for (const zone of zones)
      for (const day of days) {
        const start = dayStart(day, zone)
        expect(shopDay(start, zone), `${zone} ${day}`).toBe(day)
        expect(shopDay(start - 1, zone), `${zone} ${day}`).toBe(addDays(day, -1))
      }
  })

  it('handle a day that skips its midnight (Santiago, DST at 00:00) and a 25-hour day', () => {
    // Chile springs forward at 24:00 on the first Saturday of September: 2026-09-06 starts at 01:00 local (04:00 UTC).
    expect(dayStart('2026-09-06', 'America/Santiago')).toBe(at('2026-09-06T04:00:00Z'))
    // Berlin falls back on 2026-10-25: from 00:00 (UTC+2) to the next midnight (UTC+1) is 25 hours.
    expect(dayStart('2026-10-26', 'Europe/Berlin') - dayStart('2026-10-25', 'Europe/Berlin')).toBe(25 * 3600)
  })

  it('add calendar days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })

  it('say how old a rate is in its largest unit', () => {
    expect(ageParts(42)).toEqual({ n: 42, unit: 'seconds' })
    expect(ageParts(3599)).toEqual({ n: 59, unit: 'minutes' })
    expect(ageParts(7200)).toEqual({ n: 2, unit: 'hours' })
    expect(ageParts(3 * 86400 + 5)).toEqual({ n: 3, unit: 'days' })
  })
})

describe('the History filter', () => {
  const now = at('2026-05-02T03:00:00Z') // 11:00 on May 2 in Shanghai

  it('turns presets into the shop’s days', () => {
    const zone = 'Asia/Shanghai'
    expect(toSessionFilter(EMPTY_FILTER, zone, now)).toEqual({})
    expect(toSessionFilter({ ...EMPTY_FILTER, preset: 'today' }, zone, now)).toEqual({
      created_gte: at('2026-05-01T16:00:00Z'),
      created_lt: at('2026-05-02T16:00:00Z'),
    })
    expect(toSessionFilter({ ...EMPTY_FILTER, preset: 'yesterday' }, zone, now)).toEqual({
      created_gte: at('2026-04-30T16:00:00Z'),
      created_lt: at('2026-05-01T16:00:00Z'),
    })
    expect(toSessionFilter({ ...EMPTY_FILTER, preset: 'last7' }, zone, now).created_gte).toBe(at('2026-04-25T16:00:00Z'))
    expect(toSessionFilter({ ...EMPTY_FILTER, preset: 'custom', from: '2026-04-01', to: '2026-04-30' }, zone, now)).toEqual({
      created_gte: at('2026-03-31T16:00:00Z'),
      created_lt: at('2026-04-30T16:00:00Z'),
    })
    // "Today" is the shop's today, not the machine's: at 03:00 UTC it is already May 2 in Shanghai, still May 1 in New York.
    expect(toSessionFilter({ ...EMPTY_FILTER, preset: 'today' }, 'America/New_York', now).created_gte).toBe(at('2026-05-01T04:00:00Z'))
  })

  it('passes status, network, token and a trimmed search through', () => {
    expect(toSessionFilter({ ...EMPTY_FILTER, status: 'COMPLETED', chainId: 8453, token: 'USDC', search: '  0xAbC ' }, 'UTC', now)).toEqual(
      {
        status: 'COMPLETED',
        chain_id: 8453,
        token: 'USDC',
        search: '0xAbC',
      },
    )
  })

  it('becomes the CSV link’s query', () => {
    expect(exportHref({})).toBe('export/sessions.csv')
    expect(exportHref({ status: 'COMPLETED', created_gte: 10, search: '桌号 12', limit: 5, starting_after: 'ps_x' })).toBe(
      'export/sessions.csv?status=COMPLETED&created_gte=10&search=%E6%A1%8C%E5%8F%B7+12',
    )
  })
})

describe('a History row', () => {
  const option = (chain: number, token: string, decimals: number) => ({
    chain_id: chain,
    network: `net ${chain}`,
    token,
    token_address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    decimals,
    address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
    amount: '1',
    amount_base_units: '1',
    payment_uri: '',
  })
  const session = (over: Partial<PaymentSession>): PaymentSession =>
    ({
      id: 'ps_1',
      order_id: 'o',
      created_at: 1,
      status: 'PENDING',
      amount: '1.00',
      currency: 'USD',
      exceptions: [],
      payment_options: [option(1, 'USDC', 6), option(8453, 'USDT', 18)],
      transactions: [],
      amount_paid_base_units: '0',
      ...over,
    }) as PaymentSession

  it('offers every network while unpaid, and the one paid on once paid (exact amount)', () => {
    expect(toHistoryRow(session({}))).toMatchObject({ tokens: ['USDC', 'USDT'], chainIds: [1, 8453], paid: null, txHash: null })
    const tx = {
      chain_id: 8453,
      tx_hash: '0xaa',
      log_index: 0,
      token: 'USDT',
      token_address: '',
      from: '',
      to: '',
      amount_base_units: '',
      block_number: 1,
      block_timestamp: 1,
      confirmations: 1,
      state: 'confirmed' as const,
    }
    const paid = toHistoryRow(session({ status: 'COMPLETED', transactions: [tx], amount_paid_base_units: '12300000000000000000001' }))
    expect(paid).toMatchObject({
      tokens: ['USDT'],
      chainIds: [8453],
      paid: '12300.000000000000000001',
      paidToken: 'USDT',
      txHash: '0xaa',
      txCount: 1,
    })
  })
})

describe('totals for the bar', () => {
  const row = (day: string, token: string, chain: number, base: string, currency: string, minor: string, count: number): DailyTotal => ({
    day,
    token,
    chain_id: chain,
    amount_base_units: base,
    decimals: token === 'USDT' ? 18 : 6,
    currency,
    amount_minor: minor,
    count,
    refunded_base_units: '0',
    refunded_minor: '0',
    net_base_units: base,
    net_minor: minor,
    tip_minor: '0',
  })

  it('add up per currency and per token and network exactly, with a line per day', () => {
    const big = '99999999999999999999999999' // far past 2^64 and 2^53
    const summary = summarise([
      row('2026-05-02', 'USDC', 1, '1500000', 'EUR', '150', 1),
      row('2026-05-02', 'USDT', 1, big, 'USD', '9007199254740993', 2),
      row('2026-05-01', 'USDT', 1, big, 'USD', '9007199254740993', 1),
      row('2026-05-01', 'USDC', 8453, '1', 'USD', '1', 1),
    ])
    expect(summary.count).toBe(5)
    expect(summary.currencies.map((c) => `${c.currency} ${c.minor}`)).toEqual(['EUR 150', 'USD 18014398509481987'])
    expect(summary.tokens.map((t) => `${t.token}@${t.chainId} ${t.baseUnits}`)).toEqual([
      'USDC@1 1500000',
      'USDC@8453 1',
      `USDT@1 ${2n * BigInt(big)}`,
    ])
    expect(summary.days.map((d) => `${d.day} ×${d.count}`)).toEqual(['2026-05-02 ×3', '2026-05-01 ×2'])
    expect(minorToDecimal(18014398509481987n, 'USD')).toBe('180143985094819.87')
    expect(minorToDecimal('1500', 'JPY')).toBe('1500')
    expect(minorToDecimal('1250', 'KWD')).toBe('1.25')
  })
})

describe('settings checks', () => {
  it('one URL per line, at least one, and confirmations 1-1000', () => {
    expect(checkRpcList('https://a.example\n\n  https://b.example  ')).toEqual([])
    expect(checkRpcList('https://a.example\nftp://b.example')).toEqual([
      { line: 'ftp://b.example', problem: 'protocol' },
    ])
    expect(checkRpcList(' \n ')[0]!.problem).toBe('none')
    expect(checkConfirmations('12').ok).toBe(true)
    for (const bad of ['0', '1001', '1.5', '', '-1', 'two']) expect(checkConfirmations(bad).ok, bad).toBe(false)
  })
})

describe('owner strings', () => {
  const entries = Object.entries(ownerStrings)

  // Both languages and the same placeholders in every form: checked for every table in renderer.test.ts.
  it('use only their own prefixes and collide with no other table', () => {
    for (const [key] of entries) expect(key).toMatch(/^(history|webhooks|settings|transfers|audit|products)\./)
    const others = new Set([...Object.keys(commonStrings), ...Object.keys(cashierStrings), ...Object.keys(setupStrings)])
    expect(entries.map(([key]) => key).filter((key) => others.has(key))).toEqual([])
  })

  it('speak Chinese in Chinese (only names, codes and protocol words stay in Latin letters)', () => {
    // The products CSV's column names are written as the file has them.
    const names =
      /name_zh|tax_rate|\b(?:id|name|price|category|color|active)\b|Webhooks?|WebSocket|HTTP|URL|RPC|MB|zip|--restore|USDC|USDT|USD|CSV|Excel|API|REST|xpub|HMAC-SHA256|X-StablePay-Signature|Authorization|Bearer|StablePay POS|StablePay|ID|PIN|QR|PDF|PNG|JPEG|WebP|KB|\/api\/v1|\/v1|https?:\/\/\S*|m\/44'\/60'\/0'\/0|\{\w+\}/g
    for (const [key, { zh }] of entries) expect(zh.replace(names, ''), `${key}: ${zh}`).not.toMatch(/[A-Za-z]{2,}/)
  })
})
