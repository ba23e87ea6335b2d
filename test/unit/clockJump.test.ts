/**
 * A wall clock that jumps (a box without a battery-backed clock setting its
 * time at boot, an owner fixing the time by hand) against the monotonic clock,
 * on a real engine and SQLite file with a ManualClock: `jump()` moves the wall
 * clock only, `advance()` lets time pass.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, ManualClock } from '../../src-main/engine'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

let shop: Shop
afterEach(() => shop?.close())

const base = { merchantId: 'merchant_123', livemode: false, currency: 'USD' }
const HOUR = 3_600_000

describe('a wall clock that jumps', () => {
  it('a sale made after a jump, before the expiry tick saw it, is timed once on the new clock', () => {
    for (const jump of [24 * HOUR, -24 * HOUR]) {
      shop?.close()
      shop = openShop()
      shop.clock.jump(jump)
      const { session } = shop.engine.sessions.create({ ...base, orderId: 'after-jump', amount: '5.00', expiresIn: 900 })
      shop.engine.sessions.expireDue()
      const after = shop.engine.sessions.get(session.id, { merchantId: 'merchant_123' })
      expect(after, `jump ${jump}`).toMatchObject({ status: 'PENDING', expires_at: session.expires_at })
    }
  })

  it('forward by an hour: the open sale keeps its remaining minutes and expires when they are over', () => {
    shop = openShop()
    const { session } = shop.engine.sessions.create({ ...base, orderId: 'jump-1', amount: '5.00', expiresIn: 900 })
    shop.clock.advance(60_000)
    shop.clock.jump(HOUR)
    expect(shop.engine.sessions.expireDue()).toBe(0)
    const moved = shop.engine.sessions.get(session.id, { merchantId: 'merchant_123' })
    expect(moved).toMatchObject({ status: 'PENDING', expires_at: session.expires_at + 3600 })
    // 14 of its 15 minutes were left: not a second more.
    shop.clock.advance(839_000)
    expect(shop.engine.sessions.expireDue()).toBe(0)
    shop.clock.advance(1_000)
    expect(shop.engine.sessions.expireDue()).toBe(1)
  })

  it('back by an hour: the open sale is not kept open an hour longer', () => {
    shop = openShop()
    const { session } = shop.engine.sessions.create({ ...base, orderId: 'jump-2', amount: '5.00', expiresIn: 900 })
    shop.clock.jump(-HOUR)
    shop.clock.advance(900_000)
    expect(shop.engine.sessions.expireDue()).toBe(1)
    expect(shop.engine.sessions.get(session.id, { merchantId: 'merchant_123' }).status).toBe('EXPIRED')
  })

  it('a sale from before this run is not moved: it was made on the clock of that run, and expires by it', () => {
    shop = openShop()
    const { session } = shop.engine.sessions.create({ ...base, orderId: 'jump-3', amount: '5.00', expiresIn: 900 })
    shop.engine.close()
    // The box was off for a day and starts with its clock where it stopped; then it finds a time server.
    const clock = new ManualClock(shop.clock.now() + 60_000)
    const engine = createEngine({ dataDir: shop.dir, clock })
    shop.engine = engine
    clock.jump(24 * HOUR)
    expect(engine.sessions.expireDue()).toBe(1)
    expect(engine.sessions.get(session.id, { merchantId: 'merchant_123' }).status).toBe('EXPIRED')
  })

  it('time that passes is not a jump', () => {
    shop = openShop()
    const { session } = shop.engine.sessions.create({ ...base, orderId: 'jump-4', amount: '5.00', expiresIn: 900 })
    shop.clock.advance(HOUR)
    expect(shop.engine.clockGuard.check()).toBe(0)
    expect(shop.engine.sessions.expireDue()).toBe(1)
    expect(shop.engine.sessions.get(session.id, { merchantId: 'merchant_123' }).expires_at).toBe(session.expires_at)
  })
})
