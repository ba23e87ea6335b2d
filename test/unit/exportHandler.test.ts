import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { createHandlerRegistry } from '../../src-main/engine/handlers'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

let shop: Shop
afterEach(() => shop?.close())

function sell(orderIds: string[]) {
  for (const orderId of orderIds)
    shop.engine.sessions.create({ merchantId: 'merchant_123', livemode: false, currency: 'USD', orderId, amount: '4.20' })
}

it('desktop: asks the shell where to save, then writes the filtered sessions there', async () => {
  shop = openShop()
  sell(['早餐-1', 'lunch-2'])
  let suggested = ''
  const target = join(shop.dir, 'export.csv')
  const registry = createHandlerRegistry(shop.engine, {
    chooseExportFile: async (name) => {
      suggested = name
      return target
    },
  })
  const result = await registry.invoke('sessions:export-csv', { search: '早餐-1' })
  expect(result).toEqual({ ok: true, value: { saved: true, rows: 1 } })
  expect(suggested).toMatch(/^stablepay-sales-\d{4}-\d{2}-\d{2}\.csv$/)
  const text = readFileSync(target, 'utf8')
  expect(text.charCodeAt(0)).toBe(0xfeff)
  expect(text).toContain('早餐-1')
  expect(text).not.toContain('lunch-2')
})

it('desktop: a cancelled dialog saves nothing', async () => {
  shop = openShop()
  const registry = createHandlerRegistry(shop.engine, { chooseExportFile: async () => null })
  expect(await registry.invoke('sessions:export-csv', {})).toEqual({ ok: true, value: { saved: false, rows: 0 } })
})

it('browser: points to the direct download instead', async () => {
  shop = openShop()
  const result = await createHandlerRegistry(shop.engine).invoke('sessions:export-csv', {})
  expect(result).toMatchObject({ ok: false, error: { code: 'export_in_browser' } })
})
