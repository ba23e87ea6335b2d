/**
 * Tips on the customer display, shifts and the end-of-day report (#17), on a
 * real app (every feature's handlers, as the screens reach them) over a real
 * SQLite file, with the report.closed webhook received by a real HTTP server
 * and its signature checked. Sales are settled by hand (these tests are about
 * who may answer and about adding up, not the watcher); every figure below is
 * computed by hand in the comments.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Channel, EndOfDayReport, InputOf, OutputOf, Result, TipRequest } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { ManualClock } from '../../src-main/engine'
import type { Caller } from '../../src-main/engine/handlers'
import { percentTip } from '../../src-main/engine/tips'
import { END_OF_DAY_CSV_COLUMNS } from '../../src-main/engine/shifts'
import { verifyWebhook } from '../../src-main/engine/webhooks/verify'
import { startHttpReceiver } from '../support/httpReceiver'
import type { HttpReceiver } from '../support/httpReceiver'
import { demoTokens, MERCHANT_ID, SHOP_ADDRESS, shopConfig, USDC6 } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'

const PIN = '246810'
const HOOK_SECRET = 'whsec_tips_eod_test_secret_00000001'
const OFFICE: Caller = { device: 'back-office' }

let dir: TempDir | undefined
let app: App | undefined
let receiver: HttpReceiver | undefined
afterEach(async () => {
  await app?.stop()
  await receiver?.stop()
  await dir?.cleanup()
  app = undefined
  receiver = undefined
  dir = undefined
})

const at = (iso: string) => Date.parse(iso)

async function open(webhookUrl = 'http://127.0.0.1:9/hook'): Promise<{ app: App; clock: ManualClock }> {
  dir = makeTempDir('stablepay-tips-eod')
  const clock = new ManualClock(at('2026-05-01T00:30:00Z'))
  app = await startApp({
    dataDir: dir.path,
    clock,
    config: shopConfig({
      ownerPin: PIN,
      // The 6-decimal USDC and the 18-decimal USDT.
      chain: { tokens: demoTokens() },
      webhooks: [{ merchantId: MERCHANT_ID, url: webhookUrl, secret: HOOK_SECRET, events: ['report.closed'] }],
    }),
  })
  await call('owner:unlock', { pin: PIN }, OFFICE)
  // Hong Kong: +08:00 all year, so the shop's day 2026-05-01 is 2026-04-30T16:00Z to 2026-05-01T16:00Z.
  await call('merchant:update', { time_zone: 'Asia/Hong_Kong' }, OFFICE)
  return { app, clock }
}

async function call<C extends Channel>(channel: C, input: InputOf<C>, caller: Caller): Promise<OutputOf<C>> {
  const result = await app!.handlers.invoke(channel, input, caller)
  if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.code} ${result.error.message}`), result.error)
  return result.value
}

async function failure<C extends Channel>(channel: C, input: InputOf<C>, caller: Caller): Promise<string> {
  const result: Result<OutputOf<C>> = await app!.handlers.invoke(channel, input, caller)
  if (result.ok) throw new Error(`${channel} unexpectedly succeeded`)
  return result.error.code
}

/** The shop's devices: a cashier and a customer display at each till, and a second cashier tablet at till 1. */
function devices() {
  const engine = app!.engine
  const till2 = engine.devices.createTill('Till 2').id
  const make = (till: string, roleHint: 'cashier' | 'display'): Caller => ({ device: engine.devices.create({ till, roleHint }).device.id })
  return {
    till2,
    cashier1: make('till_1', 'cashier'),
    tablet1: make('till_1', 'cashier'),
    display1: make('till_1', 'display'),
    cashier2: make(till2, 'cashier'),
    display2: make(till2, 'display'),
  }
}

/** A sale settled by hand: its status, what was paid (base units of its first token option), its exceptions. */
function settle(id: string, s: { status: string; paid?: string; token?: 'USDC' | 'USDT'; exceptions?: string[] }): void {
  const db = app!.engine.db
  const { seq } = db.prepare('SELECT seq FROM sessions WHERE id = ?').get(id) as { seq: number }
  const option = db
    .prepare(`SELECT id, amount FROM payment_options WHERE session_seq = ? AND kind = 'payment' AND token_symbol = ?`)
    .get(seq, s.token ?? 'USDC') as { id: number; amount: string }
  db.prepare('UPDATE sessions SET status = ?, paid_option_id = ?, amount_paid = ?, amount_due = ?, exceptions = ? WHERE seq = ?').run(
    s.status,
    s.paid === undefined ? null : option.id,
    s.paid ?? '0',
    s.paid === undefined ? null : option.amount,
    JSON.stringify(s.exceptions ?? []),
    seq,
  )
}

describe('tips on the customer display', () => {
  it('a percentage tip is base × percent / 100, half up to the currency’s minor unit', () => {
    // USD cents: 25.00 × 10 % = 2.50; 12.34 × 15 % = 1.851 → 1.85; 0.05 × 10 % = 0.005 → 0.01 (half up).
    expect(percentTip(2500n, 10)).toBe(250n)
    expect(percentTip(1234n, 15)).toBe(185n)
    expect(percentTip(5n, 10)).toBe(1n)
    expect(percentTip(4n, 10)).toBe(0n)
    // JPY has no minor digits: 1234 × 15 % = 185.1 → 185; × 20 % = 246.8 → 247.
    expect(percentTip(1234n, 15)).toBe(185n)
    expect(percentTip(1234n, 20)).toBe(247n)
    // KWD has three: 1.235 × 10 % = 0.1235 → 0.124 (half up); 1.234 × 10 % = 0.1234 → 0.123.
    expect(percentTip(1235n, 10)).toBe(124n)
    expect(percentTip(1234n, 10)).toBe(123n)
  })

  it('only the display of the till that charged answers, once; the sale is base + tip with tip_amount', async () => {
    const { app } = await open()
    const d = devices()
    const pushed: TipRequest[] = []
    app.engine.events.on('tip:updated', (request) => pushed.push(request))

    // Tips are the owner's choice: off, Charge goes straight to the sale.
    expect(await failure('tips:request', { amount: '25.00' }, d.cashier1)).toBe('tips_off')
    await call('settings:update', { tips_enabled: true, tip_percentages: [10, 15, 20], tip_custom: true }, OFFICE)

    const request = await call('tips:request', { amount: '25.00' }, d.cashier1)
    expect(request).toMatchObject({
      status: 'pending',
      till: 'till_1',
      currency: 'USD',
      base_amount: '25.00',
      custom_allowed: true,
      options: [
        { percent: 10, tip_amount: '2.50', amount: '27.50' },
        { percent: 15, tip_amount: '3.75', amount: '28.75' },
        { percent: 20, tip_amount: '5.00', amount: '30.00' },
      ],
    })
    expect(pushed.at(-1)).toMatchObject({ id: request.id, status: 'pending' })
    // The display finds it at load (or after a reconnect); another till's display does not.
    expect((await call('tips:current', undefined, d.display1))?.id).toBe(request.id)
    expect(await call('tips:current', undefined, d.display2)).toBeNull()

    // Another till's display, and another cashier tablet at the same till, cannot answer for this customer.
    expect(await failure('tips:answer', { id: request.id, choice: 'percent', percent: 10 }, d.display2)).toBe('resource_missing')
    expect(await failure('tips:answer', { id: request.id, choice: 'percent', percent: 10 }, d.tablet1)).toBe('resource_missing')
    // Only the offered buttons; a custom tip above the price is a slip of the finger.
    expect(await failure('tips:answer', { id: request.id, choice: 'percent', percent: 12 }, d.display1)).toBe('parameter_invalid')
    expect(await failure('tips:answer', { id: request.id, choice: 'custom', amount: '25.01' }, d.display1)).toBe('tip_too_large')

    const answered = await call('tips:answer', { id: request.id, choice: 'percent', percent: 10 }, d.display1)
    expect(answered).toMatchObject({ status: 'answered', percent: 10, tip_amount: '2.50' })
    const sale = await call('sessions:get', { id: answered.session_id! }, d.cashier1)
    expect(sale).toMatchObject({ amount: '27.50', tip_amount: '2.50', currency: 'USD', till: 'till_1', status: 'PENDING' })
    expect(pushed.at(-1)).toMatchObject({ id: request.id, status: 'answered', session_id: sale.id })
    // Once: a second answer (a double tap) makes no second sale.
    expect(await failure('tips:answer', { id: request.id, choice: 'none' }, d.display1)).toBe('tip_request_closed')
    expect(await failure('tips:skip', { id: request.id }, d.cashier1)).toBe('tip_request_closed')

    // An amount of the customer's own; the cashier's own window (the desktop's customer screen) may answer too.
    const custom = await call('tips:request', { amount: '12.34' }, d.cashier1)
    const customAnswer = await call('tips:answer', { id: custom.id, choice: 'custom', amount: '1.66' }, d.cashier1)
    expect(await call('sessions:get', { id: customAnswer.session_id! }, d.cashier1)).toMatchObject({ amount: '14.00', tip_amount: '1.66' })

    // "No tip" on the display, and the cashier's skip: the sale at the base price, tip 0.00.
    const none = await call('tips:request', { amount: '4.20' }, d.cashier1)
    const noneAnswer = await call('tips:answer', { id: none.id, choice: 'none' }, d.display1)
    expect(await call('sessions:get', { id: noneAnswer.session_id! }, d.cashier1)).toMatchObject({ amount: '4.20', tip_amount: '0.00' })
    const skipped = await call('tips:request', { amount: '9.99' }, d.cashier1)
    // Till 2's cashier cannot skip till 1's customer.
    expect(await failure('tips:skip', { id: skipped.id }, d.cashier2)).toBe('resource_missing')
    const skip = await call('tips:skip', { id: skipped.id }, d.cashier1)
    expect(skip).toMatchObject({ status: 'skipped', tip_amount: '0.00' })
    expect(await call('sessions:get', { id: skip.session_id! }, d.cashier1)).toMatchObject({ amount: '9.99', tip_amount: '0.00' })

    // A new charge replaces one nobody answered; a cancelled one makes no sale.
    const first = await call('tips:request', { amount: '3.00' }, d.cashier1)
    const second = await call('tips:request', { amount: '3.50' }, d.cashier1)
    expect(pushed.find((p) => p.id === first.id && p.status === 'cancelled')).toBeDefined()
    expect((await call('tips:current', undefined, d.display1))?.id).toBe(second.id)
    expect(await call('tips:cancel', { id: second.id }, d.cashier1)).toMatchObject({ status: 'cancelled', session_id: null })
    expect(await call('tips:current', undefined, d.display1)).toBeNull()
    // The percentages the owner sets are checked: three whole ones.
    expect(await failure('settings:update', { tip_percentages: [10, 15] }, OFFICE)).toBe('parameter_invalid')
  })
})

describe('shifts and the end-of-day report', () => {
  it('a cashier opens and closes their shift; the report adds it up by hand and goes out as a signed report.closed', async () => {
    receiver = await startHttpReceiver()
    const { app, clock } = await open(`${receiver.url}/hook`)
    const d = devices()
    const engine = app.engine
    await call('settings:update', { tips_enabled: true }, OFFICE)
    const create = (amount: string, extra: Record<string, unknown> = {}, till = 'till_1') =>
      engine.sessions.create({
        merchantId: MERCHANT_ID,
        livemode: false,
        orderId: `o-${Math.random()}`,
        amount,
        currency: 'USD',
        till,
        ...extra,
      }).session.id

    // 08:00 in Hong Kong, before the shift: in the day's report, not the shift's.
    clock.set(at('2026-05-01T00:00:00Z'))
    settle(create('7.00'), { status: 'COMPLETED', paid: '7000000' })

    clock.set(at('2026-05-01T01:00:00Z'))
    expect(await call('shifts:current', undefined, d.cashier1)).toBeNull()
    const shift = await call('shifts:open', undefined, d.cashier1)
    expect(shift).toMatchObject({ till: 'till_1', till_name: 'Till 1', status: 'open', opened_by: d.cashier1.device })
    expect(await failure('shifts:open', undefined, d.tablet1)).toBe('shift_open')
    expect(await call('shifts:current', undefined, d.cashier2)).toBeNull()

    // A: 25.00 at the keypad, the customer taps 10 %: 27.50 with a 2.50 tip, paid 27.50 USDC.
    clock.set(at('2026-05-01T01:10:00Z'))
    const tip = await call('tips:request', { amount: '25.00' }, d.cashier1)
    const a = (await call('tips:answer', { id: tip.id, choice: 'percent', percent: 10 }, d.display1)).session_id!
    settle(a, { status: 'COMPLETED', paid: '27500000' })
    // B: 2 coffees at 3.50 and a bagel at 2.25, 1.00 off, 0.74 tax: 7.00 + 2.25 - 1.00 + 0.74 = 8.99, paid in USDT (18 decimals).
    const b = create('8.99', {
      lineItems: [
        { name: 'Coffee', unitAmount: '3.50', quantity: 2, productId: 'prod_coffee' },
        { name: 'Bagel', unitAmount: '2.25', quantity: 1, productId: 'prod_bagel' },
      ],
      discountAmount: '1.00',
      taxAmount: '0.74',
    })
    settle(b, { status: 'COMPLETED', paid: '8990000000000000000', token: 'USDT' })
    // C: a coffee, 0.28 tax, 0.50 tip: 3.50 + 0.28 + 0.50 = 4.28; 1.07 USDC of it refunded later in the shift.
    const c = create('4.28', {
      lineItems: [{ name: 'Coffee', unitAmount: '3.50', quantity: 1, productId: 'prod_coffee' }],
      taxAmount: '0.28',
      tipAmount: '0.50',
    })
    settle(c, { status: 'COMPLETED', paid: '4280000' })
    // D cancelled, E expired after an underpayment, F paid but a reorg took it back (reversed: not revenue).
    settle(create('10.00'), { status: 'CANCELLED' })
    const e = create('5.00')
    settle(e, { status: 'EXPIRED', paid: '2000000', exceptions: ['underpaid'] })
    const f = create('12.00')
    settle(f, { status: 'COMPLETED', paid: '12000000', exceptions: ['reversed'] })
    // Till 2's sale is not till 1's.
    settle(create('100.00', {}, d.till2), { status: 'COMPLETED', paid: '100000000' })

    clock.set(at('2026-05-01T02:30:00Z'))
    const seqOf = (id: string) => (engine.db.prepare('SELECT seq FROM sessions WHERE id = ?').get(id) as { seq: number }).seq
    const now = Math.floor(clock.now() / 1000)
    engine.db
      .prepare(
        `INSERT INTO refunds (id, merchant_id, livemode, session_seq, refund_id, chain_id, token_symbol, token_address, decimals, amount,
           destination, reason, metadata, status, created_at, expires_at, succeeded_at, updated_at)
         VALUES ('re_test0000000000000001', ?, 0, ?, 'r1', 31337, 'USDC', ?, 6, '1070000', ?, 'requested_by_customer', '{}', 'succeeded', ?, ?, ?, ?)`,
      )
      .run(MERCHANT_ID, seqOf(c), USDC6, SHOP_ADDRESS, now, now + 86400, now, now)
    // A payment no sale claimed, at 10:30 in Hong Kong.
    engine.db
      .prepare(
        `INSERT INTO transfers (chain_id, tx_hash, log_index, token_symbol, token_address, from_address, to_address, amount, block_number,
           block_hash, block_timestamp, confirmations, state, session_seq, seen_at)
         VALUES (31337, '0xfeed', 0, 'USDC', ?, '0x0000000000000000000000000000000000000001', ?, '5000000', 7, '0xb7', ?, 1, 'confirmed', NULL, ?)`,
      )
      .run(USDC6, SHOP_ADDRESS, now, now)

    // While the shift is open, the cashier reads it; a day's report and another till's shift are not theirs.
    expect((await call('reports:end-of-day', { shift_id: shift.id }, d.cashier1)).totals[0]?.sales).toBe(3)
    expect(await failure('reports:end-of-day', { day: '2026-05-01' }, d.cashier1)).toBe('owner_required')
    expect(await failure('reports:end-of-day', { shift_id: shift.id }, d.cashier2)).toBe('resource_missing')
    expect(await failure('shifts:close', { id: shift.id }, d.cashier2)).toBe('resource_missing')

    clock.set(at('2026-05-01T09:00:00Z'))
    const { shift: closed, report } = await call('shifts:close', { id: shift.id }, d.cashier1)
    expect(closed).toMatchObject({ status: 'closed', closed_by: d.cashier1.device, closed_at: at('2026-05-01T09:00:00Z') / 1000 })
    expect(await call('shifts:current', undefined, d.cashier1)).toBeNull()
    expect(await failure('shifts:close', { id: shift.id }, d.cashier1)).toBe('shift_closed')

    expect(report).toMatchObject({
      till: 'till_1',
      day: null,
      shift: { id: shift.id },
      time_zone: 'Asia/Hong_Kong',
      cancelled: 1,
      expired: 1,
    })
    // A, B, C: gross 27.50 + 8.99 + 4.28 = 40.77; tips 2.50 + 0.50 = 3.00; tax 0.74 + 0.28 = 1.02;
    // refunds 1.07 (C: 4.28 × 1.07/4.28); net 40.77 - 1.07 = 39.70.
    expect(report.totals).toEqual([{ currency: 'USD', sales: 3, gross: '40.77', tips: '3.00', tax: '1.02', refunds: '1.07', net: '39.70' }])
    // USDC: A and C, 27.50 + 4.28 = 31.78 received, 1.07 back, 30.71 net; USDT: B.
    expect(report.by_token).toEqual([
      {
        chain_id: 31337,
        network: expect.any(String),
        token: 'USDC',
        decimals: 6,
        currency: 'USD',
        sales: 2,
        received: '31.78',
        refunded: '1.07',
        net: '30.71',
        gross: '31.78',
        tips: '3.00',
        tax: '0.28',
        refunds: '1.07',
      },
      {
        chain_id: 31337,
        network: expect.any(String),
        token: 'USDT',
        decimals: 18,
        currency: 'USD',
        sales: 1,
        received: '8.99',
        refunded: '0.00',
        net: '8.99',
        gross: '8.99',
        tips: '0.00',
        tax: '0.74',
        refunds: '0.00',
      },
    ])
    // Coffee: 2 × 3.50 + 1 × 3.50 = 10.50 for 3; bagel 2.25.
    expect(report.by_product).toEqual([
      { product_id: 'prod_coffee', name: 'Coffee', currency: 'USD', quantity: 3, amount: '10.50' },
      { product_id: 'prod_bagel', name: 'Bagel', currency: 'USD', quantity: 1, amount: '2.25' },
    ])
    expect(report.exceptions.map((x) => [x.kind, x.session_id ?? x.tx_hash, x.amount])).toEqual([
      ['underpaid', e, '5.00'],
      ['reversed', f, '12.00'],
      ['unmatched', '0xfeed', '5.00'],
    ])

    // The back office gets the same report, signed.
    const [request] = await receiver.waitFor((r) => r.length >= 1, 10_000, 'report.closed')
    const event = verifyWebhook<EndOfDayReport>(request!.body, request!.headers as never, HOOK_SECRET, { toleranceSeconds: 10 ** 9 })
    expect(event.type).toBe('report.closed')
    expect(event.data.object).toEqual(report)

    // The owner's day report of till 1 (the PIN again: hours have passed): the 08:00 sale too (7.00), the shift's otherwise.
    await call('owner:unlock', { pin: PIN }, OFFICE)
    const day = await call('reports:end-of-day', { till: 'till_1', day: '2026-05-01' }, OFFICE)
    expect(day.totals).toEqual([{ currency: 'USD', sales: 4, gross: '47.77', tips: '3.00', tax: '1.02', refunds: '1.07', net: '46.70' }])
    const till2Day = await call('reports:end-of-day', { till: d.till2, day: '2026-05-01' }, OFFICE)
    expect(till2Day.totals).toEqual([
      { currency: 'USD', sales: 1, gross: '100.00', tips: '0.00', tax: '0.00', refunds: '0.00', net: '100.00' },
    ])
    // History's totals carry the tips apart: A's 2.50 and C's 0.50 in USDC, none in USDT.
    const totals = await call('sessions:totals', { till: 'till_1' }, OFFICE)
    expect(totals.map((r) => `${r.token} ${r.amount_minor} ${r.tip_minor}`)).toEqual(['USDC 3878 300', 'USDT 899 0'])
    // The next day has nothing of it.
    expect((await call('reports:end-of-day', { till: 'till_1', day: '2026-05-02' }, OFFICE)).totals).toEqual([])

    // The CSV: one row per line of the report, the tip column beside gross and tax.
    const { csv, filename } = await call('reports:end-of-day-csv', { shift_id: shift.id }, d.cashier1)
    expect(filename).toBe('stablepay-end-of-day-shift-2026-05-01-till_1.csv')
    const rows = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((line) => line.split(','))
    expect(rows[0]).toEqual([...END_OF_DAY_CSV_COLUMNS])
    const col = (name: (typeof END_OF_DAY_CSV_COLUMNS)[number]) => END_OF_DAY_CSV_COLUMNS.indexOf(name)
    const total = rows.find((r) => r[0] === 'total')!
    expect([
      total[col('count')],
      total[col('gross')],
      total[col('tips')],
      total[col('tax')],
      total[col('refunds')],
      total[col('net')],
    ]).toEqual(['3', '40.77', '3.00', '1.02', '1.07', '39.70'])
    expect(rows.filter((r) => r[0] === 'product').map((r) => [r[col('product')], r[col('quantity')], r[col('gross')]])).toEqual([
      ['Coffee', '3', '10.50'],
      ['Bagel', '1', '2.25'],
    ])

    // Printed on the receipt paper: an 80 mm roll of 48 columns at most.
    const printed = await call('reports:end-of-day-print', { shift_id: shift.id, layout: '80mm' }, d.cashier1)
    expect(printed.width_mm).toBe(80)
    const text = /<pre>([\s\S]*)<\/pre>/.exec(printed.html)![1]!
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(48)
    expect(text).toMatch(/Tips\s+3\.00 USD/)
    expect(text).toMatch(/Net\s+39\.70 USD/)
    expect(text).toMatch(/3 × Coffee\s+10\.50 USD/)
    // A cashier lists their own till's shifts only.
    expect((await call('shifts:list', { till: d.till2 }, d.cashier1)).map((s) => s.id)).toEqual([shift.id])
  })
})
