/**
 * The first till in the shop's language (#15): a Chinese shop's till is
 * "收银台 1" on every screen and receipt, not the "Till 1" the app seeded,
 * until the owner names it themselves.
 */
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../../src-main/engine/db'
import { receiptFor } from '../../src-main/engine/receipts'
import { paySale } from '../support/paySale'
import { makeTempDir } from '../support/tempDir'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

let shop: Shop | undefined
afterEach(() => shop?.close())
const tillNames = () =>
  shop!.engine.devices
    .tills()
    .map((t) => t.name)
    .sort()

describe('the first till’s name', () => {
  it('follows the shop’s language, on the till list and the receipt, until the owner names it', () => {
    shop = openShop()
    expect(tillNames()).toEqual(['Till 1'])
    shop.engine.settings.update({ language: 'zh-CN' })
    expect(tillNames()).toEqual(['收银台 1'])
    const sale = shop.engine.sessions.create({
      merchantId: 'merchant_123',
      livemode: false,
      orderId: 'o1',
      amount: '3.00',
      currency: 'USD',
    }).session
    paySale(shop.engine, sale)
    expect(receiptFor(shop.engine, sale.id).till).toBe('收银台 1')
    shop.engine.settings.update({ language: 'en' })
    expect(tillNames()).toEqual(['Till 1'])

    // A name of the owner's own stays whatever the language; other tills are the owner's names anyway.
    shop.engine.devices.renameTill('till_1', 'Front counter')
    shop.engine.devices.createTill('Till 2')
    shop.engine.settings.update({ language: 'zh-CN' })
    expect(tillNames()).toEqual(['Front counter', 'Till 2'])
  })

  it('is Chinese after the update for a shop that already worked in Chinese', () => {
    const dir = makeTempDir('till-name')
    try {
      const db = new Database(`${dir.path}/shop.sqlite`)
      migrate(db, 10)
      db.prepare(`INSERT INTO settings (key, value) VALUES ('language', '"zh-CN"')`).run()
      migrate(db)
      expect(db.prepare('SELECT name FROM tills').pluck().all()).toEqual(['收银台 1'])
      db.close()
    } finally {
      dir.cleanupSync()
    }
  })
})
