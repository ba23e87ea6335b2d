import { afterEach, describe, expect, it } from 'vitest'
import { EngineError } from '../../src-main/engine'
import { publishReceipts } from '../../src-main/engine/receipts/origin'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

let shop: Shop
afterEach(() => shop?.close())

const base = { merchantId: 'merchant_123', livemode: false }
let n = 0
const order = () => `order-${++n}`

function refused(fn: () => unknown): EngineError {
  try {
    fn()
  } catch (error) {
    if (error instanceof EngineError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

const sessionCount = () => (shop.engine.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n

describe('a sale made of line items (#12, #17)', () => {
  it('keeps its lines, tax and shipping, and checks the amount is their sum (USD)', () => {
    shop = openShop()
    // 2 × 3.50 + 1 × 12.25 = 19.25; + tax 1.54 + shipping 4.99 = 25.78
    const { session } = shop.engine.sessions.create({
      ...base,
      orderId: order(),
      currency: 'USD',
      amount: '25.78',
      lineItems: [
        { name: 'Flat white', unitAmount: '3.50', quantity: 2, productId: 'prod_1' },
        { name: 'Beans 250 g', description: 'Ethiopia', unitAmount: '12.25', quantity: 1 },
      ],
      taxAmount: '1.54',
      shippingAmount: '4.99',
      successUrl: 'https://shop.example/thanks',
    })
    expect(session.line_items).toEqual([
      { name: 'Flat white', description: null, unit_amount: '3.50', quantity: 2, amount: '7.00', product_id: 'prod_1' },
      { name: 'Beans 250 g', description: 'Ethiopia', unit_amount: '12.25', quantity: 1, amount: '12.25', product_id: null },
    ])
    expect(session).toMatchObject({
      amount: '25.78',
      tax_amount: '1.54',
      shipping_amount: '4.99',
      tip_amount: '0.00',
      discount_amount: '0.00',
      success_url: 'https://shop.example/thanks',
      cancel_url: null,
    })
    // Read back from the row, not only from what create returned.
    expect(shop.engine.sessions.get(session.id, { merchantId: base.merchantId }).line_items).toEqual(session.line_items)
  })

  it('refuses an amount that is not the lines − discount + tax + tip, naming the figure, and stores nothing', () => {
    shop = openShop()
    const before = sessionCount()
    const error = refused(() =>
      shop.engine.sessions.create({
        ...base,
        orderId: order(),
        currency: 'USD',
        amount: '10.00',
        lineItems: [{ name: 'Cake', unitAmount: '4.00', quantity: 3 }],
        discountAmount: '1.20',
        tipAmount: '1.08',
      }),
    )
    expect(error).toMatchObject({ code: 'amount_mismatch', param: 'amount' })
    // 12.00 − 1.20 + 0.00 + 0.00 + 1.08 = 11.88
    expect(error.message).toContain('11.88 USD')
    expect(sessionCount()).toBe(before)
    const ok = shop.engine.sessions.create({
      ...base,
      orderId: order(),
      currency: 'USD',
      amount: '11.88',
      lineItems: [{ name: 'Cake', unitAmount: '4.00', quantity: 3 }],
      discountAmount: '1.20',
      tipAmount: '1.08',
    }).session
    expect(ok).toMatchObject({ discount_amount: '1.20', tip_amount: '1.08' })
  })

  it('counts minor units by the currency: JPY has none, KWD three', () => {
    shop = openShop()
    shop.engine.rates.setManual('JPY', '0.0067')
    shop.engine.rates.setManual('KWD', '3.25')
    const yen = shop.engine.sessions.create({
      ...base,
      orderId: order(),
      currency: 'JPY',
      amount: '1650',
      lineItems: [{ name: 'Onigiri', unitAmount: '150', quantity: 10 }],
      taxAmount: '150',
    }).session
    expect(yen).toMatchObject({ amount: '1650', tax_amount: '150', line_items: [{ unit_amount: '150', amount: '1500' }] })
    expect(refused(() => shop.engine.sessions.create({ ...base, orderId: order(), currency: 'JPY', amount: '1650', taxAmount: '0.5' }))).toMatchObject({
      param: 'tax_amount',
    })
    const dinar = shop.engine.sessions.create({
      ...base,
      orderId: order(),
      currency: 'KWD',
      amount: '2.755',
      lineItems: [{ name: 'Tea', unitAmount: '0.875', quantity: 3 }],
      taxAmount: '0.130',
    }).session
    expect(dinar).toMatchObject({ amount: '2.755', tax_amount: '0.130', line_items: [{ unit_amount: '0.875', amount: '2.625' }] })
  })

  it('a keypad sale has no lines; its parts may explain the amount but not exceed it', () => {
    shop = openShop()
    const plain = shop.engine.sessions.create({ ...base, orderId: order(), currency: 'USD', amount: '5.00' }).session
    expect(plain).toMatchObject({ line_items: [], tax_amount: '0.00', tip_amount: '0.00', payment_url: null })
    const tipped = shop.engine.sessions.create({ ...base, orderId: order(), currency: 'USD', amount: '5.50', tipAmount: '0.50' }).session
    expect(tipped.tip_amount).toBe('0.50')
    expect(refused(() => shop.engine.sessions.create({ ...base, orderId: order(), currency: 'USD', amount: '1.00', tipAmount: '2.00' }))).toMatchObject({
      code: 'amount_mismatch',
    })
    expect(refused(() => shop.engine.sessions.create({ ...base, orderId: order(), currency: 'USD', amount: '1.00', discountAmount: '0.10' }))).toMatchObject({
      param: 'discount_amount',
    })
  })

  it("the webhook's data.object carries the lines (the back office sees what was sold)", () => {
    shop = openShop()
    const { session } = shop.engine.sessions.create({
      ...base,
      orderId: order(),
      currency: 'USD',
      amount: '8.80',
      lineItems: [{ name: 'Scone', unitAmount: '4.00', quantity: 2, productId: 'prod_scone' }],
      taxAmount: '0.80',
    })
    const seq = shop.engine.sessions.rowById(session.id)!.seq
    shop.engine.sessions.transaction(() => {
      shop.engine.sessions.transition(seq, 'PROCESSING', 'test: transfer seen')
      shop.engine.sessions.transition(seq, 'COMPLETED', 'test: confirmed')
    })
    const row = shop.engine.db
      .prepare("SELECT body FROM events WHERE session_id = ? AND type = 'payment.completed'")
      .get(session.id) as { body: string }
    const event = JSON.parse(row.body) as { data: { object: { line_items: unknown; tax_amount: string } } }
    expect(event.data.object.line_items).toEqual([
      { name: 'Scone', description: null, unit_amount: '4.00', quantity: 2, amount: '8.00', product_id: 'prod_scone' },
    ])
    expect(event.data.object.tax_amount).toBe('0.80')
  })

  it('payment_url is the public /pay page on the same origin as receipts', () => {
    shop = openShop()
    publishReceipts(shop.engine.db, 'http://127.0.0.1:7420/')
    const { session } = shop.engine.sessions.create({ ...base, orderId: order(), currency: 'USD', amount: '5.00' })
    expect(session.payment_url).toBe(`http://127.0.0.1:7420/pay/${session.id}`)
  })
})
