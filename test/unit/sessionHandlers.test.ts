import { afterEach, expect, it } from 'vitest'
import { createHandlerRegistry } from '../../src-main/engine/handlers'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

let shop: Shop
afterEach(() => shop?.close())

it('bridge input of the wrong shape is a parameter_invalid answer, never an internal error', async () => {
  shop = openShop()
  const registry = createHandlerRegistry(shop.engine)
  const bad: Array<[Parameters<typeof registry.invoke>[0], unknown, string | undefined]> = [
    ['sessions:create', null, undefined],
    ['sessions:create', { amount: 5 }, 'amount'],
    ['sessions:create', { amount: '5.00', order_id: 7 }, 'order_id'],
    ['sessions:create', { amount: '5.00', chain_id: '31337' }, 'chain_id'],
    ['sessions:get', null, undefined],
    ['sessions:get', { id: 42 }, 'id'],
    ['sessions:cancel', [], undefined],
    ['sessions:timeline', 'ps_x', undefined],
    ['sessions:list', { status: 'PAID' }, 'status'],
    ['sessions:list', { limit: '20' }, 'limit'],
  ]
  for (const [channel, input, param] of bad) {
    const result = await registry.invoke(channel, input as never)
    expect(result, `${channel} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'parameter_invalid', ...(param ? { param } : {}) } })
  }
  expect(shop.engine.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0)
  expect(await registry.invoke('sessions:list', null as never)).toMatchObject({ ok: true, value: { data: [] } })
  expect(await registry.invoke('sessions:create', { amount: '5.00' })).toMatchObject({ ok: true, value: { status: 'PENDING' } })
})
