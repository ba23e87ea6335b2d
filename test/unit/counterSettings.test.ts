/**
 * The counter's choices in Settings (#15): stored by the engine, checked by
 * the channel's schema, and the late-payment window applies at once.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { INPUT_SCHEMAS } from '../../src-preload/schemas'
import type { Shop } from './engineFixture'
import { openShop } from './engineFixture'

let shop: Shop
afterEach(() => shop?.close())

describe('counter settings', () => {
  it('default to 24 hours late, sound on, the system theme; what the owner saves is kept', () => {
    shop = openShop()
    expect(shop.engine.settings.get()).toMatchObject({ late_window_seconds: 86400, sound_on_paid: true, theme: 'system' })
    shop.engine.settings.update({ late_window_seconds: 2 * 3600, sound_on_paid: false, theme: 'dark' })
    expect(shop.engine.settings.get()).toMatchObject({ late_window_seconds: 7200, sound_on_paid: false, theme: 'dark' })
  })

  it('the late-payment window saved in Settings is the one a late payment is judged by, without a restart', () => {
    shop = openShop({ lateWindowSeconds: 600 })
    expect(shop.engine.sessions.lateWindowSeconds).toBe(600)
    shop.engine.settings.update({ late_window_seconds: 3600 })
    expect(shop.engine.sessions.lateWindowSeconds).toBe(3600)
  })

  it('refuses what the engine cannot use, naming the field', () => {
    const schema = INPUT_SCHEMAS['settings:update']
    expect(schema.safeParse({ theme: 'dark', sound_on_paid: false, late_window_seconds: 0 }).success).toBe(true)
    for (const [field, bad] of [
      ['theme', 'blue'],
      ['sound_on_paid', 'yes'],
      ['late_window_seconds', 31 * 86400],
      ['late_window_seconds', 1.5],
    ] as const) {
      const parsed = schema.safeParse({ [field]: bad })
      expect(parsed.success, `${field}=${String(bad)}`).toBe(false)
      expect(parsed.error?.issues[0]?.path).toEqual([field])
    }
  })
})
