import { statSync } from 'node:fs'
import { afterEach, expect, it } from 'vitest'
import { waitFor } from '../support/waitFor'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'
import { SAFETY_NET_PAGES } from '../../src-main/engine/db/checkpointer'

let shop: Shop
afterEach(() => shop?.close())

it('checkpoints the WAL from a worker while the engine runs, and hands back on stop', async () => {
  shop = openShop()
  const stop = shop.engine.start()
  expect(shop.engine.db.pragma('wal_autocheckpoint', { simple: true })).toBe(SAFETY_NET_PAGES)
  expect(shop.engine.db.pragma('journal_size_limit', { simple: true })).toBe(64 * 1024 * 1024)
  for (let i = 0; i < 300; i++)
    shop.engine.sessions.create({ merchantId: 'merchant_123', livemode: false, currency: 'USD', orderId: `o${i}`, amount: `${i + 1}.00` })
  const wal = `${shop.engine.db.name}-wal`
  // The worker's PASSIVE checkpoint moves pages into the main file: it grows while nobody commits.
  const before = statSync(shop.engine.db.name).size
  await waitFor(() => statSync(shop.engine.db.name).size > before, { timeoutMs: 10_000, label: 'main file grows by checkpoint' })
  expect(statSync(wal).size).toBeGreaterThan(0)
  await stop()
  expect(shop.engine.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000)
  expect(shop.engine.sessions.list({ merchantId: 'merchant_123' }, { limit: 1 }).data).toHaveLength(1)
})
