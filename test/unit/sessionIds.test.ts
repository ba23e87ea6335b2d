import { afterEach, describe, expect, it } from 'vitest'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

let shop: Shop
afterEach(() => shop?.close())

const base = { merchantId: 'merchant_123', livemode: false, currency: 'USD', amount: '1.00' }

describe('session ids are random', () => {
  it('ps_ and 24 base62 characters, distinct, and not in the order the sales were made', () => {
    shop = openShop()
    const ids = Array.from({ length: 300 }, (_, i) => shop.engine.sessions.create({ ...base, orderId: `o${i}` }).session.id)
    for (const id of ids) expect(id).toMatch(/^ps_[0-9A-Za-z]{24}$/)
    expect(new Set(ids).size).toBe(ids.length)
    // Two receipts' ids do not tell how many sales were made between them.
    expect([...ids].sort()).not.toEqual(ids)
    expect(ids.filter((id, i) => i > 0 && id.slice(0, 6) === ids[i - 1]!.slice(0, 6)).length).toBeLessThan(10)
  })

  it('a session is found by its whole id: the database holds each id once and looks it up by its index', () => {
    shop = openShop()
    const { id } = shop.engine.sessions.create({ ...base, orderId: 'a' }).session
    expect(shop.engine.sessions.rowById(id)?.order_id).toBe('a')
    expect(shop.engine.sessions.rowById(id.slice(0, -1))).toBeUndefined()
    const plan = shop.engine.db.prepare('EXPLAIN QUERY PLAN SELECT * FROM sessions WHERE id = ?').all(id) as Array<{ detail: string }>
    expect(plan.map((p) => p.detail).join()).toMatch(/USING INDEX sessions_by_id/)
    shop.engine.sessions.create({ ...base, orderId: 'b' })
    expect(() => shop.engine.db.prepare('UPDATE sessions SET id = ? WHERE order_id = ?').run(id, 'b')).toThrow(/UNIQUE/)
  })
})
