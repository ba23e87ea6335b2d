import { describe, expect, it } from 'vitest'
import type { PaymentSession, RateInfo } from '../../src-preload/contract'
import { formatRateTime, saleRateNote, sessionRateNote } from '../../src-renderer/src/cashier/rateNote'

const DEC3_1600_CET = Date.UTC(2026, 11, 3, 15, 0, 0) / 1000
const ZONE = 'Europe/Berlin'

function rate(changes: Partial<RateInfo> = {}): RateInfo {
  return {
    currency: 'EUR',
    rate: '1.08',
    source: 'provider',
    as_of: DEC3_1600_CET,
    age_seconds: 3600,
    stale: false,
    stale_at: DEC3_1600_CET + 4 * 86400 + 1,
    stale_soon: false,
    active: true,
    ...changes,
  }
}

const session = (changes: Partial<PaymentSession>) =>
  ({ currency: 'EUR', exchange_rate: '1.08', rate_locked_at: DEC3_1600_CET + 7200, ...changes }) as PaymentSession

describe('the rate’s date on the cashier screen', () => {
  it('says when the rate was published, in the shop’s time zone, in English and Chinese', () => {
    expect(formatRateTime(DEC3_1600_CET, ZONE, 'en')).toBe('Dec 3, 16:00')
    expect(formatRateTime(DEC3_1600_CET, 'Asia/Shanghai', 'en')).toBe('Dec 3, 23:00')
    expect(saleRateNote('EUR', [rate()], ZONE, 'en')).toEqual({ tone: 'info', text: 'EUR rate from Dec 3, 16:00' })
    expect(saleRateNote('EUR', [rate()], ZONE, 'zh-CN')).toEqual({ tone: 'info', text: 'EUR 汇率发布于 12月3日 16:00' })
  })

  it('says nothing for USD, and names a hand-set rate as such', () => {
    expect(saleRateNote('USD', [rate()], ZONE, 'en')).toBeNull()
    const manual = rate({ source: 'manual', stale_at: null })
    expect(saleRateNote('EUR', [rate({ active: false }), manual], ZONE, 'en')?.text).toBe('EUR rate set by hand on Dec 3, 16:00')
  })

  it('warns a day ahead that the rate goes stale, and says a sale would be refused once there is none', () => {
    const soon = saleRateNote('EUR', [rate({ stale_soon: true })], ZONE, 'en')
    expect(soon).toEqual({
      tone: 'warn',
      text:
        'EUR rate from Dec 3, 16:00. It goes out of date at Dec 7, 16:00; after that, sales in EUR are refused. ' +
        'Ask the owner to check the till’s internet connection.',
    })
    expect(saleRateNote('EUR', [rate({ stale_soon: true })], ZONE, 'zh-CN')?.text).toContain('12月7日 16:00')
    expect(saleRateNote('EUR', [rate({ stale: true, active: false })], ZONE, 'en')).toEqual({
      tone: 'bad',
      text: 'No current EUR rate: a sale in EUR will be refused. Ask the owner to connect the till to the internet, or to set the rate by hand in Settings.',
    })
    expect(saleRateNote('JPY', [rate()], ZONE, 'zh-CN')?.tone).toBe('bad')
  })

  it('dates a charged sale’s rate by the row it was priced at, and says nothing when that row has changed since', () => {
    expect(sessionRateNote(session({}), [rate()], ZONE, 'en')?.text).toBe('EUR rate from Dec 3, 16:00')
    expect(sessionRateNote(session({ exchange_rate: '1.09' }), [rate()], ZONE, 'en')).toBeNull()
    expect(sessionRateNote(session({ rate_locked_at: DEC3_1600_CET - 60 }), [rate()], ZONE, 'en')).toBeNull()
    expect(sessionRateNote(session({ currency: 'USD', exchange_rate: null, rate_locked_at: null }), [rate()], ZONE, 'en')).toBeNull()
  })
})
