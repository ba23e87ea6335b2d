/**
 * Order numbers a cashier can say aloud (#15): "A-0042", per till and per
 * shop day, stored with the sale and shown on its session object; and the
 * History search that finds a sale by the start of any of its references.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { sessionTotals } from '../../src-main/engine/reports/totals'
import { tillLetter } from '../../src-main/engine/sessions/orderNumber'
import { paySale } from '../support/paySale'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

let shop: Shop
afterEach(() => shop?.close())

const base = { merchantId: 'merchant_123', livemode: false, currency: 'USD', amount: '1.00' }
const sale = (orderId: string, till?: string) =>
  shop.engine.sessions.create({ ...base, orderId, ...(till ? { till } : {}) }).session

describe('order numbers', () => {
  it('count up per till, each till with its own letter, and stay with the sale', () => {
    shop = openShop()
    const second = shop.engine.devices.createTill('Till 2')
    expect(sale('o1').order_number).toBe('A-0001')
    expect(sale('o2').order_number).toBe('A-0002')
    expect(sale('o3', second.id).order_number).toBe('B-0001')
    expect(sale('o4').order_number).toBe('A-0003')
    // Asking again for a live order returns the same sale, with the same number; nothing is used up.
    expect(sale('o2').order_number).toBe('A-0002')
    expect(sale('o5').order_number).toBe('A-0004')
    const stored = shop.engine.sessions.list({ merchantId: 'merchant_123' }, { limit: 10 }).data.map((s) => s.order_number)
    expect(stored).toEqual(['A-0004', 'A-0003', 'B-0001', 'A-0002', 'A-0001'])
  })

  it('start again at 1 when the shop’s day changes, in the shop’s time zone', () => {
    shop = openShop()
    const merchant = shop.engine.merchants.get('merchant_123')
    shop.engine.merchants.upsert({ ...merchant, timeZone: 'Asia/Shanghai' })
    // 23:59 in Shanghai (15:59 UTC), then 00:01 the next day there: a new day for the shop, not for UTC.
    shop.clock.set(Date.UTC(2026, 10, 26, 15, 59))
    expect(sale('late-1').order_number).toBe('A-0001')
    expect(sale('late-2').order_number).toBe('A-0002')
    shop.clock.set(Date.UTC(2026, 10, 26, 16, 1))
    expect(sale('early-1').order_number).toBe('A-0001')
  })

  it('letters tills A to Z, then AA', () => {
    expect(['till_1', 'till_2', 'till_26', 'till_27', 'till_28'].map(tillLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB'])
  })
})

/** History's search as the owner types it: the order ids of the sales it finds, sorted. */
const found = (search: string) =>
  shop.engine.sessions
    .list({ merchantId: 'merchant_123' }, { search, limit: 100 })
    .data.map((s) => s.order_id)
    .sort()

describe('History search by the start of what the owner has in hand (#15)', () => {

  it('finds order numbers, order ids, session ids, tx hashes and payers by their start, in any case', () => {
    shop = openShop()
    const second = shop.engine.devices.createTill('Till 2')
    const table12 = sale('Table 12') // A-0001
    sale('table 13') // A-0002
    sale('bar 1', second.id) // B-0001
    const paidBy = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
    const tx = paySale(shop.engine, table12, paidBy)

    expect(found('a-000')).toEqual(['Table 12', 'table 13'])
    expect(found('A-0002')).toEqual(['table 13'])
    expect(found('b-')).toEqual(['bar 1'])
    expect(found('TABLE 1')).toEqual(['Table 12', 'table 13'])
    expect(found('table 12')).toEqual(['Table 12'])
    expect(found(table12.id.slice(0, 9))).toEqual(['Table 12'])
    // A hash as the screens shorten it ("0xd172…"), typed in capitals.
    expect(found(tx.slice(0, 12).toUpperCase().replace('0X', '0x'))).toEqual(['Table 12'])
    expect(found(paidBy.slice(0, 8).toLowerCase())).toEqual(['Table 12'])
    expect(found('nothing-like-it')).toEqual([])
    // Two characters of a hash would pick out nearly every sale: an id, hash or address must be typed longer.
    expect(found(tx.slice(0, 4))).toEqual([])
  })
})

describe('History search by the price the cashier typed (#15)', () => {
  const priced = (orderId: string, amount: string, currency = 'USD') =>
    shop.engine.sessions.create({ ...base, orderId, amount, currency }).session

  it('finds the sales of exactly that amount, each in its own currency, and the totals follow', async () => {
    shop = openShop()
    shop.engine.rates.setManual('JPY', '0.0066')
    paySale(shop.engine, priced('latte', '6.66'))
    priced('two lattes', '6.66')
    priced('tea', '6.60')
    priced('cake', '66.60')
    priced('set menu', '1250.00')
    priced('yen', '666', 'JPY')

    expect(found('6.66')).toEqual(['latte', 'two lattes'])
    // As much of the world writes it, and with the zero the screens add.
    expect(found('6,66')).toEqual(['latte', 'two lattes'])
    expect(found(' 6.660 ')).toEqual(['latte', 'two lattes'])
    expect(found('6.6')).toEqual(['tea'])
    expect(found('66.6')).toEqual(['cake'])
    // As History shows a large amount, with its grouping comma; and 666 is yen, not dollars.
    expect(found('1,250.00')).toEqual(['set menu'])
    expect(found('1250')).toEqual(['set menu'])
    expect(found('666')).toEqual(['yen'])
    // Not an amount: no amount is looked for (and nothing else matches).
    for (const text of ['6.6.6', '-6.66', '6.666', '0', '0.00', '6.66 USD', '1e3']) expect(found(text), text).toEqual([])

    // The totals bar reads the same definition as the list: the one paid 6.66 sale.
    const totals = await sessionTotals(shop.engine, { merchantId: 'merchant_123' }, { search: '6.66' })
    expect(totals.map((t) => [t.currency, t.amount_minor, t.count])).toEqual([['USD', '666', 1]])
  })
})
