import { randomBytes, randomFillSync } from 'node:crypto'

/** The characters of every id and secret. */
export const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

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
  return `${prefix}_${randomChars(length)}`
}

/** `length` random base62 characters from the pooled bytes. */
export function randomChars(length: number): string {
  return base62(length, randomByte)
}

/** A secret (`whsec_…`): from bytes of its own, wiped after use, never from the shared id pool. */
export function newSecret(prefix: string, length: number): string {
  const bytes = randomBytes(length * 2)
  let used = 0
  const next = (): number => {
    if (used === bytes.length) {
      randomFillSync(bytes)
      used = 0
    }
    return bytes[used++]!
  }
  const secret = `${prefix}_${base62(length, next)}`
  bytes.fill(0)
  return secret
}

function base62(length: number, nextByte: () => number): string {
  let out = ''
  while (out.length < length) {
    // 248 = 62 * 4: rejecting bytes above it keeps every character equally likely.
    const byte = nextByte()
    if (byte < 248) out += ALPHABET[byte % 62]
  }
  return out
}
