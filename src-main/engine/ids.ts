import { randomFillSync } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

// Random bytes drawn a few kilobytes at a time: one call to the OS RNG per ~80 ids, not per id.
const pool = Buffer.alloc(4096)
let used = pool.length

function randomByte(): number {
  if (used === pool.length) {
    randomFillSync(pool)
    used = 0
  }
  return pool[used++]!
}

/** `ps_…`, `re_…`, `evt_…`: 24 base62 characters (~143 bits) after the prefix. */
export function newId(prefix: string, length = 24): string {
  let out = ''
  while (out.length < length) {
    // 248 = 62 * 4: rejecting bytes above it keeps every character equally likely.
    const byte = randomByte()
    if (byte < 248) out += ALPHABET[byte % 62]
  }
  return `${prefix}_${out}`
}
