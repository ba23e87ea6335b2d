import { describe, expect, it } from 'vitest'
import type { PaymentOption, PaymentSession } from '../../src-preload/contract'
import { cashierStrings } from '../../src-renderer/src/i18n/cashier'
import { commonStrings } from '../../src-renderer/src/i18n/common'
import { fill } from '../../src-renderer/src/i18n/define'
import type { StringTable, Text } from '../../src-renderer/src/i18n/define'
import {
  baseUnitsToDecimal,
  formatCountdown,
  formatEntry,
  formatFiat,
  formatToken,
} from '../../src-renderer/src/i18n/format'
import { setupStrings } from '../../src-renderer/src/i18n/setup'
import { receiptStrings } from '../../src-renderer/src/i18n/receipts'
import { ownerStrings } from '../../src-renderer/src/owner/strings'
import type { KeypadKey } from '../../src-renderer/src/state/keypad'
import { applyKey, isChargeable, keyFromKeyboard, toAmount } from '../../src-renderer/src/state/keypad'
import { qrOption, viewOf } from '../../src-renderer/src/state/sessionView'

const type = (keys: KeypadKey[], decimals = 2) => keys.reduce((entry, key) => applyKey(entry, key, decimals), '')
const keys = (s: string) => [...s] as KeypadKey[]

describe('keypad entry', () => {
  it('types a price as a decimal string with the currency’s decimals', () => {
    expect(type(keys('25.50'))).toBe('25.50')
    expect(type(keys('25.509'))).toBe('25.50')
    expect(type(keys('1.250'), 3)).toBe('1.250')
    // JPY has no minor unit: the point is ignored rather than typed.
    expect(type(keys('1500.5'), 0)).toBe('15005')
    expect(type(['.', '5'])).toBe('0.5')
    expect(type(['0', '0', '7'])).toBe('7')
    expect(type(['1', '00', '00'])).toBe('10000')
    expect(type([...keys('12.3'), 'backspace', 'backspace'])).toBe('12')
    expect(type([...keys('12.3'), 'clear'])).toBe('')
    expect(type(keys('9'.repeat(20)))).toBe('9'.repeat(12))
  })

  it('charges only a positive amount, sent without a dangling point', () => {
    expect(isChargeable('')).toBe(false)
    expect(isChargeable('0.00')).toBe(false)
    expect(isChargeable('0.01')).toBe(true)
    expect(toAmount('25.')).toBe('25')
    expect(toAmount('25.5')).toBe('25.5')
  })

  it('maps the physical keyboard like the on-screen keypad', () => {
    expect(keyFromKeyboard('7')).toBe('7')
    expect(keyFromKeyboard('.')).toBe('.')
    expect(keyFromKeyboard(',')).toBe('.')
    expect(keyFromKeyboard('Backspace')).toBe('backspace')
    expect(keyFromKeyboard('a')).toBeNull()
  })
})

describe('formatting money without floats', () => {
  it('formats prices with the currency’s own decimals and grouping', () => {
    expect(formatFiat('1234.5', 'USD', 'en')).toBe('$1,234.50')
    expect(formatFiat('1500', 'JPY', 'en')).toBe('¥1,500')
    expect(formatFiat('1.250', 'KWD', 'en')).toMatch(/1\.250/)
    expect(formatFiat('25.50', 'EUR', 'zh-CN')).toBe('€25.50')
    // Beyond double precision: still exact.
    expect(formatFiat('999999999999.99', 'USD', 'en')).toBe('$999,999,999,999.99')
  })

  it('formats token amounts exactly, at least two decimals, never rounded', () => {
    expect(formatToken('25.5', 'USDC', 'en')).toBe('25.50 USDC')
    expect(formatToken('25.500001', 'USDC', 'en')).toBe('25.500001 USDC')
    expect(formatToken('1234567.000000000000000001', 'USDT', 'en')).toBe('1,234,567.000000000000000001 USDT')
    expect(formatToken('3', 'USDC', 'zh-CN')).toBe('3.00 USDC')
  })

  it('shows the entry as typed, grouped', () => {
    expect(formatEntry('1234.', 'en')).toBe('1,234.')
    expect(formatEntry('1234.50', 'en')).toBe('1,234.50')
    expect(formatEntry('0', 'en')).toBe('0')
  })

  it('turns base units into decimals exactly', () => {
    expect(baseUnitsToDecimal('25500000', 6)).toBe('25.5')
    expect(baseUnitsToDecimal('1', 18)).toBe('0.000000000000000001')
    expect(baseUnitsToDecimal('123456789012345678901234567890', 18)).toBe('123456789012.34567890123456789')
    expect(formatCountdown(65)).toBe('1:05')
    expect(formatCountdown(-3)).toBe('0:00')
  })
})

describe('strings', () => {
  // The owner screens' strings load lazily with their chunk (owner/i18n.ts), but share the key space.
  const tables: Record<string, StringTable> = { common: commonStrings, cashier: cashierStrings, setup: setupStrings, owner: ownerStrings, receipts: receiptStrings }

  it('defines no key twice across areas', () => {
    const seen = new Map<string, string>()
    for (const [area, table] of Object.entries(tables)) {
      for (const key of Object.keys(table)) {
        expect(seen.get(key), `${key} in ${area} and ${seen.get(key)}`).toBeUndefined()
        seen.set(key, area)
      }
    }
  })

  it('has both languages for every string, with the same placeholders', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    // A phrase with a count has several forms (plural.ts); each must be there and name the same placeholders.
    const forms = (text: Text): string[] => (typeof text === 'string' ? [text] : (Object.values(text) as string[]))
    for (const table of Object.values(tables)) {
      for (const [key, { en, zh }] of Object.entries(table)) {
        const english = forms(en)
        for (const text of [...english, ...forms(zh)]) {
          expect(text.trim(), key).not.toBe('')
          expect(placeholders(text), key).toEqual(placeholders(english[0]!))
        }
      }
    }
  })

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fill('Payment detected, {n}/{m} confirmations', { n: 1, m: 2 })).toBe('Payment detected, 1/2 confirmations')
    expect(fill('{missing} here', {})).toBe('{missing} here')
  })
})

const option = (over: Partial<PaymentOption> = {}): PaymentOption => ({
  chain_id: 31337,
  network: 'Local devnet',
  token: 'USDC',
  token_address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  decimals: 6,
  address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc',
  amount: '25.5',
  amount_base_units: '25500000',
  payment_uri:
    'ethereum:0x5FbDB2315678afecb367f032d93F642f64180aa3@31337/transfer?address=0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc&uint256=25500000',
  ...over,
})

const session = (over: Partial<PaymentSession> = {}): PaymentSession => ({
  id: 'ps_1',
  object: 'payment_session',
  status: 'PENDING',
  livemode: false,
  merchant_id: 'shop',
  order_id: 'o1',
  amount: '25.50',
  currency: 'USD',
  metadata: {},
  created_at: 1000,
  expires_at: 1900,
  exchange_rate: null,
  rate_locked_at: null,
  amount_usd: '25.50',
  payment_options: [option()],
  remainder_option: null,
  amount_paid_base_units: '0',
  amount_remaining_base_units: '25500000',
  confirmations: 0,
  required_confirmations: 2,
  transactions: [],
  exceptions: [],
  completed_at: null,
  pending_tx: null,
  pending_tx_dropped: null,
  receipt_url: null,
  amount_refunded: '0',
  refunds: [],
  till: 'till_1',
  line_items: [],
  tax_amount: '0.00',
  shipping_amount: '0.00',
  tip_amount: '0.00',
  discount_amount: '0.00',
  payment_url: null,
  success_url: null,
  cancel_url: null,
  ...over,
})

describe('what a session means at the counter', () => {
  it('waiting, detected with confirmations, paid', () => {
    expect(viewOf(session()).kind).toBe('waiting')
    expect(
      viewOf(session({ status: 'PROCESSING', confirmations: 1, amount_paid_base_units: '25500000', amount_remaining_base_units: '0' })),
    ).toMatchObject({
      kind: 'detected',
      confirmations: 1,
      required: 2,
    })
    expect(viewOf(session({ status: 'COMPLETED', amount_paid_base_units: '25500000', amount_remaining_base_units: '0' }))).toMatchObject({
      kind: 'paid',
      paid: '25.5',
      overpaidBy: null,
    })
  })

  it('underpaid shows what remains and the remainder’s QR', () => {
    const remainder = option({ amount: '5.5', amount_base_units: '5500000', payment_uri: 'ethereum:remainder' })
    const view = viewOf(
      session({
        status: 'PROCESSING',
        amount_paid_base_units: '20000000',
        amount_remaining_base_units: '5500000',
        remainder_option: remainder,
        exceptions: ['underpaid'],
      }),
    )
    expect(view).toMatchObject({ kind: 'underpaid', paid: '20', remaining: '5.5' })
    expect(qrOption(view)?.payment_uri).toBe('ethereum:remainder')
  })

  it('overpaid says by how much', () => {
    const view = viewOf(
      session({ status: 'COMPLETED', amount_paid_base_units: '30000000', amount_remaining_base_units: '0', exceptions: ['overpaid'] }),
    )
    expect(view).toMatchObject({ kind: 'paid', overpaidBy: '4.5' })
  })

  it('expired and cancelled offer no QR', () => {
    expect(qrOption(viewOf(session({ status: 'EXPIRED' })))).toBeNull()
    expect(viewOf(session({ status: 'CANCELLED' })).kind).toBe('cancelled')
  })
})
