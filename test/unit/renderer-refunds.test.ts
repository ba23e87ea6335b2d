/**
 * The refund screens' pure parts (no DOM): what the owner types into the
 * refund form, checked in the owner's words before the engine sees it; the
 * refund lists kept live by pushes; the CSV link; refunded and net totals.
 */
import { describe, expect, it } from 'vitest'
import type { DailyTotal, Refund, RefundableOption } from '../../src-preload/contract'
import { REFUND_REASONS, REFUND_STATUSES } from '../../src-preload/contract'
import { summarise } from '../../src-renderer/src/owner/money'
import {
  checkDestination,
  checkRefundAmount,
  checkTxHash,
  EMPTY_REFUNDS_FILTER,
  firstRefundable,
  isCancelable,
  mergeRefund,
  refundErrorKey,
  refundsExportHref,
  refundTone,
  toRefundFilter,
} from '../../src-renderer/src/owner/refunds'
import { ownerStrings } from '../../src-renderer/src/owner/strings'

const usdc: RefundableOption = {
  chain_id: 31337,
  network: 'Local devnet',
  token: 'USDC',
  token_address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  decimals: 6,
  received_base_units: '30000000',
  refunded_base_units: '0',
  refundable_base_units: '30000000',
  refundable: '30',
  suggested: '4.5',
  default_destination: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
}
const usdt18 = { ...usdc, token: 'USDT', decimals: 18, refundable_base_units: '1000000000000000001', refundable: '1.000000000000000001' }

describe('the refund amount as the owner types it', () => {
  it('reads decimals exactly, in base units, never as a float', () => {
    expect(checkRefundAmount('4.5', usdc)).toEqual({ ok: true, amount: '4.5', baseUnits: 4_500_000n })
    expect(checkRefundAmount(' 2,50 ', usdc)).toEqual({ ok: true, amount: '2.5', baseUnits: 2_500_000n })
    expect(checkRefundAmount('.5', usdc)).toMatchObject({ ok: true, baseUnits: 500_000n })
    expect(checkRefundAmount('30', usdc)).toMatchObject({ ok: true, baseUnits: 30_000_000n })
    // 18 decimals: one base unit more than a float could tell apart.
    expect(checkRefundAmount('1.000000000000000001', usdt18)).toMatchObject({ ok: true, baseUnits: 1_000_000_000_000_000_001n })
  })

  it('says what is wrong with it, in words both languages have', () => {
    expect(checkRefundAmount('', usdc)).toMatchObject({ ok: false, key: 'history.refunds.check.amountEmpty' })
    expect(checkRefundAmount('abc', usdc)).toMatchObject({ ok: false, key: 'history.refunds.check.amountInvalid' })
    expect(checkRefundAmount('1.2.3', usdc)).toMatchObject({ ok: false, key: 'history.refunds.check.amountInvalid' })
    expect(checkRefundAmount('-1', usdc)).toMatchObject({ ok: false, key: 'history.refunds.check.amountInvalid' })
    expect(checkRefundAmount('1e3', usdc)).toMatchObject({ ok: false, key: 'history.refunds.check.amountInvalid' })
    expect(checkRefundAmount('.', usdc)).toMatchObject({ ok: false, key: 'history.refunds.check.amountInvalid' })
    expect(checkRefundAmount('0.00', usdc)).toMatchObject({ ok: false, key: 'history.refunds.check.amountZero' })
    expect(checkRefundAmount('1.0000001', usdc)).toMatchObject({
      ok: false,
      key: 'history.refunds.check.amountTooPrecise',
      params: { n: 6 },
    })
    // More than is left to refund, by one base unit; and a number too long for any balance.
    expect(checkRefundAmount('30.000001', usdc)).toMatchObject({
      ok: false,
      key: 'history.refunds.check.amountTooMuch',
      params: { max: '30' },
    })
    expect(checkRefundAmount('9'.repeat(100), usdc)).toMatchObject({ ok: false, key: 'history.refunds.check.amountTooMuch' })
  })
})

describe('the refund destination', () => {
  const shop = ['0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc']
  it('wants an address shaped like one, and never the shop’s own', () => {
    expect(checkDestination(' 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 ', shop)).toEqual({
      ok: true,
      value: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    })
    expect(checkDestination('', shop)).toMatchObject({ ok: false, key: 'history.refunds.check.destinationEmpty' })
    expect(checkDestination('0x7099', shop)).toMatchObject({ ok: false, key: 'history.refunds.check.destinationFormat' })
    expect(checkDestination('70997970C51812dc3A010C7d01b50e0d17dc79C8', shop)).toMatchObject({
      ok: false,
      key: 'history.refunds.check.destinationFormat',
    })
    expect(checkDestination('0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc', shop)).toMatchObject({
      ok: false,
      key: 'history.refunds.check.destinationShop',
    })
  })

  it('takes a pasted transaction hash only when it is one', () => {
    const hash = `0x${'ab'.repeat(32)}`
    expect(checkTxHash(` ${hash}\n`)).toEqual({ ok: true, value: hash })
    expect(checkTxHash('')).toMatchObject({ ok: false, key: 'history.refunds.check.txEmpty' })
    expect(checkTxHash(hash.slice(0, 40))).toMatchObject({ ok: false, key: 'history.refunds.check.txFormat' })
  })
})

const refund = (over: Partial<Refund> = {}): Refund => ({
  id: 're_1',
  object: 'refund',
  livemode: false,
  merchant_id: 'shop',
  session_id: 'ps_1',
  refund_id: 'pos_1',
  amount: '4.5',
  amount_base_units: '4500000',
  token: 'USDC',
  token_address: usdc.token_address,
  decimals: 6,
  chain_id: 31337,
  network: 'Local devnet',
  destination: usdc.default_destination!,
  reason: 'requested_by_customer',
  description: null,
  metadata: {},
  status: 'pending',
  tx_hash: null,
  from: null,
  confirmations: 0,
  required_confirmations: 1,
  payment_uri: `ethereum:${usdc.token_address}@31337/transfer?address=${usdc.default_destination}&uint256=4500000`,
  created_at: 100,
  expires_at: 100 + 7 * 86400,
  succeeded_at: null,
  ended_at: null,
  ...over,
})

describe('refund lists kept live', () => {
  it('replaces a pushed refund where it is and adds a new one in order', () => {
    const a = refund({ id: 're_a', created_at: 100 })
    const b = refund({ id: 're_b', created_at: 200 })
    const list = [a, b]
    const done = refund({ id: 're_a', created_at: 100, status: 'succeeded', tx_hash: `0x${'1'.repeat(64)}` })
    expect(mergeRefund(list, done, 'oldestFirst').map((r) => `${r.id}:${r.status}`)).toEqual(['re_a:succeeded', 're_b:pending'])
    const c = refund({ id: 're_c', created_at: 300 })
    expect(mergeRefund(list, c, 'oldestFirst').map((r) => r.id)).toEqual(['re_a', 're_b', 're_c'])
    expect(mergeRefund([b, a], c, 'newestFirst').map((r) => r.id)).toEqual(['re_c', 're_b', 're_a'])
    expect(list.map((r) => r.id)).toEqual(['re_a', 're_b'])
  })

  it('tells each status in a tone, and cancels only a pending refund', () => {
    expect(REFUND_STATUSES.map(refundTone)).toEqual(['neutral', 'info', 'ok', 'idle', 'bad'])
    expect(REFUND_STATUSES.filter((status) => isCancelable({ status }))).toEqual(['pending'])
  })

  it('starts the form on the first token with something left', () => {
    expect(firstRefundable([{ ...usdt18, refundable_base_units: '0' }, usdc])).toBe(usdc)
    expect(firstRefundable([{ ...usdc, refundable_base_units: '0' }])).toBeNull()
  })
})

describe('the Refunds tab filter and its CSV', () => {
  it('sends only what is set, and the browser downloads the same set', () => {
    expect(toRefundFilter(EMPTY_REFUNDS_FILTER)).toEqual({})
    expect(refundsExportHref(toRefundFilter(EMPTY_REFUNDS_FILTER))).toBe('export/refunds.csv')
    const filter = toRefundFilter({ status: 'succeeded', sessionId: ' ps_9 ' })
    expect(filter).toEqual({ status: 'succeeded', session_id: 'ps_9' })
    expect(refundsExportHref({ ...filter, limit: 5, starting_after: 're_1' })).toBe('export/refunds.csv?status=succeeded&session_id=ps_9')
  })
})

describe('refund words', () => {
  it('has both languages for every reason, status and known refusal', () => {
    for (const reason of REFUND_REASONS) expect(ownerStrings[`history.refunds.reason.${reason}`]).toBeDefined()
    for (const status of REFUND_STATUSES) expect(ownerStrings[`history.refunds.status.${status}`]).toBeDefined()
    for (const code of ['refund_exceeds_received', 'session_not_refundable', 'refund_conflict', 'refund_not_cancelable']) {
      const key = refundErrorKey(code)
      expect(key, code).not.toBeNull()
      expect(ownerStrings[key!].zh).not.toBe(ownerStrings[key!].en)
    }
    expect(refundErrorKey('toString')).toBeNull()
    expect(refundErrorKey('parameter_invalid')).toBeNull()
  })
})

describe('refunded and net totals', () => {
  const row = (day: string, minor: string, base: string, refunds: Partial<DailyTotal> = {}): DailyTotal => ({
    day,
    token: 'USDC',
    chain_id: 31337,
    amount_base_units: base,
    decimals: 6,
    currency: 'USD',
    amount_minor: minor,
    count: 1,
    refunded_base_units: '0',
    refunded_minor: '0',
    net_base_units: base,
    net_minor: minor,
    tip_minor: '0',
    ...refunds,
  })

  it('add gross, refunded and net up per currency and per token, exactly', () => {
    const summary = summarise([
      // A $30 sale, $4.50 of it refunded.
      row('2026-05-02', '3000', '30000000', {
        refunded_minor: '450',
        net_minor: '2550',
        refunded_base_units: '4500000',
        net_base_units: '25500000',
      }),
      // An overpaid sale whose excess went back: the price is untouched, the token shows it.
      row('2026-05-01', '9007199254740993', '15500000', { refunded_base_units: '3000000', net_base_units: '12500000' }),
    ])
    expect(summary.currencies).toEqual([
      { currency: 'USD', minor: 9007199254743993n, count: 2, refundedMinor: 450n, netMinor: 9007199254743543n, tipMinor: 0n },
    ])
    expect(summary.tokens).toMatchObject([{ baseUnits: 45_500_000n, refundedBaseUnits: 7_500_000n, netBaseUnits: 38_000_000n }])
    expect(summary.days.map((d) => `${d.day} ${d.currencies[0]!.refundedMinor} ${d.tokens[0]!.refundedBaseUnits}`)).toEqual([
      '2026-05-02 450 4500000',
      '2026-05-01 0 3000000',
    ])
  })
})
