/**
 * Receipts (#16): what a receipt says (formatting, both languages, thermal
 * columns) and which sales have one, on a real engine and SQLite file.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Receipt } from '../../src-preload/contract'
import {
  groupDigits,
  receiptDocument,
  receiptFacts,
  receiptLines,
  receiptTime,
  textWidth,
  THERMAL_COLUMNS,
  wrapText,
} from '../../src-main/engine/receipts/layout'
import { EngineError } from '../../src-main/engine'
import { publishReceipts, receiptFor, saleReceipt } from '../../src-main/engine/receipts'
import { paySale } from '../support/paySale'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

const usdSale: Receipt = {
  kind: 'sale',
  id: 'ps_AbCdEfGhIjKlMnOpQrStUvWx',
  sale_id: 'ps_AbCdEfGhIjKlMnOpQrStUvWx',
  livemode: true,
  shop_name: 'Corner Café',
  shop_address: '12 Market Street\nSpringfield',
  language: 'en',
  time_zone: 'Asia/Kathmandu',
  at: Date.UTC(2026, 2, 28, 20, 0, 9) / 1000,
  till: 'Till 2',
  order_number: 'B-0042',
  amount: '1234.50',
  currency: 'USD',
  exchange_rate: null,
  amount_usd: '1234.50',
  token_amount: '1234.500001',
  token: 'USDC',
  decimals: 6,
  network: 'Base',
  chain_id: 8453,
  tx_hash: `0x${'ab'.repeat(32)}`,
  tx_url: `https://basescan.org/tx/0x${'ab'.repeat(32)}`,
  receipt_url: 'http://127.0.0.1:7420/receipt/ps_AbCdEfGhIjKlMnOpQrStUvWx',
  lines: [],
  discount_amount: null,
  tax_amount: null,
  tip_amount: null,
}

/** Catalog and cart (#17): a cart sale's receipt. */
const cartSale: Receipt = {
  ...usdSale,
  amount: '12.31',
  amount_usd: '12.31',
  token_amount: '12.31',
  lines: [
    { name: 'Flat white', quantity: 2, unit_amount: '4.50', amount: '9.00' },
    { name: '抹茶拿铁 Matcha latte with oat milk, large', quantity: 1, unit_amount: '4.25', amount: '4.25' },
  ],
  discount_amount: '1.33',
  tax_amount: '0.39',
  tip_amount: null,
}

describe('receipt text', () => {
  it('states every fact of a USD sale, in the shop time zone, with a short hash', () => {
    expect(receiptFacts(usdSale).map((f) => `${f.label}: ${f.value}`)).toEqual([
      'Time: 2026-03-29 01:45:09 +05:45',
      'Till: Till 2',
      'Amount: 1,234.50 USD',
      'Paid: 1,234.500001 USDC',
      'Network: Base',
      'Transaction: 0xabababab...abababab',
      'Sale: ps_AbCdEfGhIjKlMnOpQrStUvWx',
    ])
  })

  it('shows the rate and the USD value of a converted sale, and no till when the sale has none', () => {
    const jpy: Receipt = { ...usdSale, till: null, amount: '1500', currency: 'JPY', exchange_rate: '0.0067', amount_usd: '10.05' }
    const facts = receiptFacts(jpy).map((f) => `${f.label}: ${f.value}`)
    expect(facts).toContain('Amount: 1,500 JPY')
    expect(facts).toContain('Rate: 1 JPY = 0.0067 USD')
    expect(facts).toContain('In USD: 10.05 USD')
    expect(facts.some((f) => f.startsWith('Till'))).toBe(false)
  })

  it('keeps every digit of an 18-decimal amount', () => {
    const usdt: Receipt = { ...usdSale, token: 'USDT', decimals: 18, token_amount: '1234.560000000000000001' }
    expect(receiptFacts(usdt).find((f) => f.key === 'paid')?.value).toBe('1,234.560000000000000001 USDT')
  })

  it('prints the order number the cashier called out, on its own line and large on paper and phone (#15)', () => {
    expect(receiptLines(usdSale, 32).map((l) => l.trim())).toContain('Order no. B-0042')
    expect(receiptLines({ ...usdSale, language: 'zh-CN' }, 32).map((l) => l.trim())).toContain('单号 B-0042')
    for (const view of ['a4', 'page'] as const)
      expect(receiptDocument(usdSale, view).html).toContain('<p class="order-number" data-fact="orderNumber">Order no. B-0042</p>')
    expect(receiptLines({ ...usdSale, order_number: null }, 32).join('\n')).not.toContain('Order no.')
  })

  it('speaks Chinese for a Chinese shop', () => {
    const zh = receiptLines({ ...usdSale, language: 'zh-CN' }, 32).join('\n')
    expect(zh).toContain('收据')
    expect(zh).toContain('实付')
    expect(zh).toContain('销售单号')
  })

  it.each(Object.entries(THERMAL_COLUMNS))('never runs past the %s roll, in either language, with long values', (_layout, columns) => {
    for (const language of ['en', 'zh-CN'] as const) {
      const long: Receipt = {
        ...usdSale,
        language,
        shop_name: 'The Very Long Name of a Corner Café That Goes On',
        token_amount: '123456789012.123456789012345678',
        token: 'USDT',
      }
      const lines = receiptLines(long, columns)
      for (const line of lines) expect(textWidth(line), line).toBeLessThanOrEqual(columns)
      // Nothing is cut away: every character of the amount and the id is printed.
      const joined = lines.map((l) => l.trim()).join('')
      expect(joined).toContain('123,456,789,012.12345678901234')
      expect(joined).toContain(long.sale_id)
    }
  })

  it('wraps at spaces, counts wide characters twice and cuts what is longer than a line', () => {
    expect(wrapText('12 Market Street Springfield', 16)).toEqual(['12 Market Street', 'Springfield'])
    expect(textWidth('销售单号')).toBe(8)
    expect(wrapText('ps_AbCdEfGhIjKlMnOpQrStUvWx', 10)).toEqual(['ps_AbCdEfG', 'hIjKlMnOpQ', 'rStUvWx'])
    expect(groupDigits('1234567.891')).toBe('1,234,567.891')
    expect(receiptTime(0, 'Not/AZone')).toBe('1970-01-01 00:00:00 +00:00')
  })

  it('asks for paper of its own width, thermal rolls with no colour, A4 on A4', () => {
    const narrow = receiptDocument(usdSale, '58mm')
    expect(narrow.width_mm).toBe(58)
    expect(narrow.html).toContain(`@page{size:58mm ${narrow.height_mm}mm;margin:0}`)
    const roll = receiptDocument(usdSale, '80mm').html.replace(/@media screen\{.*?\}\}/, '')
    // Black on white only (the screen preview's grey table aside).
    expect(roll.match(/#[0-9a-f]{3,6}\b/gi)?.every((c) => ['#fff', '#000'].includes(c.toLowerCase()))).toBe(true)
    expect(receiptDocument(usdSale, 'a4').html).toContain('@page{size:A4')
    // No script anywhere: the page runs under script-src 'self' and needs none.
    for (const view of ['58mm', '80mm', 'a4', 'page'] as const) expect(receiptDocument(usdSale, view).html).not.toMatch(/<script/i)
  })

  it('a refund is the same receipt with its own title, words and id (refunds, #11, add only where it comes from)', () => {
    const refund: Receipt = { ...usdSale, kind: 'refund', id: 're_AbCdEfGhIjKlMnOpQrStUvWx', amount: '5.00', token_amount: '5.00' }
    const lines = receiptLines(refund, 48).join('\n')
    expect(lines).toContain('REFUND')
    expect(receiptFacts(refund).map((f) => `${f.label}: ${f.value}`)).toEqual(
      expect.arrayContaining(['Refunded: 5.00 USD', 'Sent back: 5.00 USDC', `Refund: ${refund.id}`, `Sale: ${usdSale.id}`]),
    )
    expect(receiptLines({ ...refund, language: 'zh-CN' }, 32).join('\n')).toContain('退款收据')
  })

  it('lists what was sold on every layout, in the roll\'s columns, with discount and tax (#17)', () => {
    for (const [layout, columns] of Object.entries(THERMAL_COLUMNS))
      for (const language of ['en', 'zh-CN'] as const) {
        const lines = receiptLines({ ...cartSale, language }, columns)
        for (const line of lines) expect(textWidth(line), `${layout} ${line}`).toBeLessThanOrEqual(columns)
        const text = lines.join('\n')
        expect(text).toMatch(/2 x 4\.50 USD +9\.00 USD/)
        expect(text).toContain('Flat white')
        expect(text).toMatch(language === 'en' ? /Discount +-1\.33 USD/ : /折扣 +-1\.33 USD/)
        expect(text).toMatch(language === 'en' ? /Tax +0\.39 USD/ : /税 +0\.39 USD/)
        expect(receiptDocument({ ...cartSale, language }, layout as '58mm').html).toContain('Flat white')
      }
    for (const view of ['a4', 'page'] as const) {
      const html = receiptDocument(cartSale, view).html
      expect(html).toContain('<table class="lines">')
      expect(html).toContain('2 x 4.50 USD')
      expect(html).toContain('-1.33 USD')
    }
    // A keypad sale has no lines block.
    expect(receiptDocument(usdSale, 'page').html).not.toContain('class="lines"')
    expect(receiptLines(usdSale, 48).join('\n')).not.toContain(' x ')
  })

  it('escapes what the owner typed', () => {
    const html = receiptDocument({ ...usdSale, shop_name: '<img src=x onerror=alert(1)>' }, 'page').html
    expect(html).not.toContain('<img')
  })
})

describe('which sales have a receipt', () => {
  let shop: Shop
  afterEach(() => shop?.close())
  const scope = { merchantId: 'merchant_123' }

  it('a COMPLETED sale has one; a pending one, another shop and an unknown id do not', () => {
    shop = openShop()
    const { engine } = shop
    engine.merchants.upsert({ ...engine.merchants.get('merchant_123'), address: '1 Quay Road' })
    const create = (amount: string, token = 'USDC') =>
      engine.sessions.create({
        merchantId: 'merchant_123',
        livemode: false,
        orderId: `o-${amount}`,
        amount,
        currency: 'USD',
        token,
        metadata: { table: '7' },
      }).session
    const paid = create('25.50')
    const pending = create('3.00')
    const tx = paySale(engine, paid)
    expect(engine.sessions.get(paid.id, scope).status).toBe('COMPLETED')

    const receipt = receiptFor(engine, paid.id, scope)
    expect(receipt).toMatchObject({
      kind: 'sale',
      id: paid.id,
      shop_name: 'Corner Cafe',
      shop_address: '1 Quay Road',
      amount: '25.50',
      currency: 'USD',
      token: 'USDC',
      // The number the cashier called out (#15): the day's first sale at Till 1.
      order_number: 'A-0001',
      token_amount: paid.payment_options[0]!.amount,
      tx_hash: tx,
      // The local chain has no explorer: no link and no QR, the hash alone.
      tx_url: null,
      livemode: false,
    })
    expect(JSON.stringify(receipt)).not.toContain('table')
    expect(JSON.stringify(receipt)).not.toContain('o-25.50')

    const missing = (id: string, s?: typeof scope) => {
      try {
        receiptFor(engine, id, s)
        return 'found'
      } catch (error) {
        return error instanceof EngineError ? error.type : String(error)
      }
    }
    expect(missing(pending.id)).toBe('not_found_error')
    expect(missing('ps_doesnotexist000000000000')).toBe('not_found_error')
    expect(missing('../../etc/passwd')).toBe('not_found_error')
    expect(missing(paid.id, { merchantId: 'another' })).toBe('not_found_error')
  })

  it('an 18-decimal sale prints the exact amount; receipt_url follows the HTTP server', () => {
    shop = openShop()
    const { engine } = shop
    const sale = engine.sessions.create({
      merchantId: 'merchant_123',
      livemode: false,
      orderId: 'o18',
      amount: '1234.56',
      currency: 'USD',
      token: 'USDT',
    }).session
    paySale(engine, sale)
    const done = engine.sessions.get(sale.id, scope)
    expect(done.receipt_url).toBeNull()
    expect(saleReceipt(engine, done).token_amount).toBe(sale.payment_options[0]!.amount)
    expect(sale.payment_options[0]!.decimals).toBe(18)

    publishReceipts(engine.db, 'http://192.168.1.20:7420/')
    expect(engine.sessions.get(sale.id, scope).receipt_url).toBe(`http://192.168.1.20:7420/receipt/${sale.id}`)
    const open = engine.sessions.create({
      merchantId: 'merchant_123',
      livemode: false,
      orderId: 'o-open',
      amount: '1',
      currency: 'USD',
    }).session
    expect(open.receipt_url).toBeNull()
    publishReceipts(engine.db, null)
    expect(engine.sessions.get(sale.id, scope).receipt_url).toBeNull()
  })
})
