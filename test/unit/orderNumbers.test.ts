/**
 * Order numbers a cashier can say aloud (#15): "A-0042", per till and per
 * shop day, stored with the sale and shown on its session object; and the
 * History search that finds a sale by the start of any of its references.
 */
import { afterEach, describe, expect, it } from 'vitest'
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

describe('History search by the start of what the owner has in hand (#15)', () => {
  const scope = { merchantId: 'merchant_123' }
  const found = (search: string) =>
    shop.engine.sessions
      .list(scope, { search, limit: 100 })
      .data.map((s) => s.order_id)
      .sort()

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
