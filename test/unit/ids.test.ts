import { expect, it } from 'vitest'
import { newId, newSecret } from '../../src-main/engine/ids'

it('ids are the prefix and 24 base62 characters, all distinct, every character in use', () => {
  const ids = Array.from({ length: 10_000 }, () => newId('ps'))
  for (const id of ids) expect(id).toMatch(/^ps_[0-9A-Za-z]{24}$/)
  expect(new Set(ids).size).toBe(ids.length)
  // Every one of the 62 characters turns up (a byte-to-character bug would lose some).
  expect(new Set(ids.join('').replaceAll('ps_', '')).size).toBe(62)
  expect(newId('evt', 10)).toMatch(/^evt_[0-9A-Za-z]{10}$/)
})

it('webhook secrets are the prefix and 40 base62 characters, each from its own bytes', () => {
  const a = newSecret('whsec', 40)
  const b = newSecret('whsec', 40)
  expect(a).toMatch(/^whsec_[0-9A-Za-z]{40}$/)
  expect(b).not.toBe(a)
})
