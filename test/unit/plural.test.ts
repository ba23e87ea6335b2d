/**
 * Counts shown to a person: English picks "1 sale" or "2 sales" through
 * Intl.PluralRules, Chinese has one form, and the count is grouped the way
 * the language writes numbers.
 */
import { describe, expect, it } from 'vitest'
import { cashierStrings } from '../../src-renderer/src/i18n/cashier'
import { commonStrings } from '../../src-renderer/src/i18n/common'
import { localize } from '../../src-renderer/src/i18n/define'
import type { StringTable } from '../../src-renderer/src/i18n/define'
import { plural } from '../../src-renderer/src/i18n/plural'
import { setupStrings } from '../../src-renderer/src/i18n/setup'
import { ownerStrings } from '../../src-renderer/src/owner/strings'

const tables: Record<string, StringTable> = { common: commonStrings, cashier: cashierStrings, setup: setupStrings, owner: ownerStrings }

describe('plural', () => {
  it('picks the English form for one and for every other count', () => {
    const forms = { one: '{n} sale', other: '{n} sales' }
    expect(plural('en', 1, forms)).toBe('{n} sale')
    for (const n of [0, 2, 11, 21, 1000]) expect(plural('en', n, forms), String(n)).toBe('{n} sales')
  })

  it('has one form in Chinese, whatever the count', () => {
    for (const n of [0, 1, 2, 1000]) expect(plural('zh-CN', n, { other: '{n} 笔' }), String(n)).toBe('{n} 笔')
  })
})

describe('phrases with a count', () => {
  it('say "1 sale" and "2 sales", with the count grouped', () => {
    const entry = ownerStrings['history.totals.count']
    expect(localize(entry, 'en', { n: 1 })).toBe('1 paid sale')
    expect(localize(entry, 'en', { n: 0 })).toBe('0 paid sales')
    expect(localize(entry, 'en', { n: 2 })).toBe('2 paid sales')
    expect(localize(entry, 'en', { n: 1234 })).toBe('1,234 paid sales')
    expect(localize(entry, 'zh-CN', { n: 1 })).toBe('1 笔已付款')
    expect(localize(entry, 'zh-CN', { n: 1234 })).toBe('1,234 笔已付款')
    expect(localize(ownerStrings['history.end'], 'en', { n: 1 })).toBe('That is all: 1 sale.')
    expect(localize(ownerStrings['history.exportSaved'], 'en', { n: 1 })).toBe('Saved 1 sale to the CSV file.')
    expect(localize(ownerStrings['settings.rates.ageValue.days'], 'en', { n: 1 })).toBe('1 day ago')
    expect(localize(ownerStrings['settings.rates.ageValue.days'], 'en', { n: 3 })).toBe('3 days ago')
  })

  it('agree with the number of confirmations a sale needs', () => {
    const entry = cashierStrings['cashier.detected']
    expect(localize(entry, 'en', { done: 0, n: 1 })).toBe('Payment detected, 0/1 confirmation')
    expect(localize(entry, 'en', { done: 1, n: 2 })).toBe('Payment detected, 1/2 confirmations')
    expect(localize(entry, 'zh-CN', { done: 1, n: 2 })).toBe('已检测到付款，1/2 个确认')
  })

  it('leave a phrase without a count as it is written', () => {
    expect(localize(ownerStrings['history.detail.block'], 'en', { n: 12345678 })).toBe('Block 12345678')
    expect(localize(commonStrings['status.PENDING'], 'zh-CN')).toBe('等待付款')
  })

  it('give English both forms wherever a count is followed by a noun', () => {
    // "{n} sales" or "{done}/{n} confirmations" written as one string would read "1 sales".
    const countThenNoun = /\{n\}(?: \w+)? \w+s\b/
    for (const [area, table] of Object.entries(tables)) {
      for (const [key, { en }] of Object.entries(table)) {
        if (typeof en === 'string') {
          expect(countThenNoun.test(en), `${area} ${key}: "${en}" needs { one, other }`).toBe(false)
        } else {
          expect(en.one, key).toBeDefined()
          expect(en.one, key).toContain('{n}')
          expect(en.other, key).toContain('{n}')
        }
      }
    }
  })
})
