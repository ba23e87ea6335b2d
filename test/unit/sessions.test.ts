import { afterEach, describe, expect, it } from 'vitest'
import type { Shop } from './engineFixture'
import { openShop, SHOP_ADDRESS, USDC6 } from './engineFixture'

let shop: Shop
afterEach(() => shop?.close())

const base = { merchantId: 'merchant_123', livemode: false, currency: 'USD' }

describe('creating a payment session', () => {
  it('locks the terms: one option per enabled token, exact base units, EIP-681 URI', () => {
    shop = openShop()
    const { session, created } = shop.engine.sessions.create({ ...base, orderId: 'order_001', amount: '100.50' })
    expect(created).toBe(true)
    expect(session.id).toMatch(/^ps_[0-9A-Za-z]{24}$/)
    expect(session.status).toBe('PENDING')
    expect(session.amount).toBe('100.50')
    expect(session.expires_at - session.created_at).toBe(900)
    expect(session.payment_options.map((o) => [o.token, o.decimals, o.amount_base_units, o.amount])).toEqual([
      ['USDC', 6, '100500000', '100.50'],
      ['USDT', 18, '100500000000000000000', '100.50'],
    ])
    expect(session.payment_options[0]!.payment_uri).toBe(
      `ethereum:${USDC6}@31337/transfer?address=${SHOP_ADDRESS}&uint256=100500000`,
    )
  })

  it('makes the same price unique per open session by the smallest suffix', () => {
    shop = openShop()
    const a = shop.engine.sessions.create({ ...base, orderId: 'a', amount: '5.00' }).session
    const b = shop.engine.sessions.create({ ...base, orderId: 'b', amount: '5.00' }).session
    expect(a.payment_options[0]!.amount_base_units).toBe('5000000')
    expect(b.payment_options[0]!.amount_base_units).toBe('5000001')
    expect(b.payment_options[0]!.amount).toBe('5.000001')
  })
})
