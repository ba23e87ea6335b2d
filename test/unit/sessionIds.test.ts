import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_SESSION_SEQ, SessionIds } from '../../src-main/engine/sessions/ids'

const keyA = new SessionIds(Buffer.from('00112233445566778899aabbccddeeff', 'hex'))
const keyB = new SessionIds(Buffer.from('ffeeddccbbaa99887766554433221100', 'hex'))
const head = (id: string) => id.slice(3, 10)

describe('session ids carry their row number', () => {
  it('any row number comes back out of its id, which looks like every ps_ id', () => {
    for (const seq of [1, 2, 61, 62, 1000, 2 ** 20 - 1, 2 ** 20, 2 ** 32, MAX_SESSION_SEQ]) {
      const id = keyA.make(seq)
      expect(id).toMatch(/^ps_[0-9A-Za-z]{24}$/)
      expect(keyA.seqOf(id)).toBe(seq)
    }
    fc.assert(fc.property(fc.integer({ min: 1, max: MAX_SESSION_SEQ }), (seq) => keyA.seqOf(keyA.make(seq)) === seq))
  })

  it('does not show the count of sales: neighbours look unrelated, and another shop scrambles differently', () => {
    const heads = Array.from({ length: 200 }, (_, i) => head(keyA.make(i + 1)))
    expect(new Set(heads).size).toBe(200)
    // In row order the heads are not in text order, nor one step apart.
    expect([...heads].sort()).not.toEqual(heads)
    expect(heads.filter((h, i) => i > 0 && h.slice(0, 6) === heads[i - 1]!.slice(0, 6)).length).toBeLessThan(10)
    expect(head(keyB.make(1))).not.toBe(head(keyA.make(1)))
    // Read with the wrong key, an id points at some other row (which the full-id comparison then rejects).
    expect(keyB.seqOf(keyA.make(5))).not.toBe(5)
  })

  it('the random part differs per id, even for one row number', () => {
    expect(keyA.make(7)).not.toBe(keyA.make(7))
    expect(head(keyA.make(7))).toBe(head(keyA.make(7)))
  })

  it('answers null for what cannot be one of its ids, and refuses row numbers out of range', () => {
    for (const bad of [
      undefined,
      42,
      '',
      'ps_',
      'ps_short',
      `re_${'A'.repeat(24)}`,
      `ps_${'A'.repeat(25)}`,
      `ps_!!!!!!!${'A'.repeat(17)}`,
      `ps_zzzzzzz${'A'.repeat(17)}`,
    ])
      expect(keyA.seqOf(bad)).toBeNull()
    for (const seq of [0, -1, 1.5, MAX_SESSION_SEQ + 1]) expect(() => keyA.make(seq)).toThrow(RangeError)
  })
})
