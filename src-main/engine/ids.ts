import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** `ps_…`, `re_…`, `evt_…`: 24 base62 characters (~143 bits) after the prefix. */
export function newId(prefix: string, length = 24): string {
  // 248 = 62 * 4: rejecting bytes above it keeps every character equally likely.
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62]
    }
  }
  return `${prefix}_${out}`
}
