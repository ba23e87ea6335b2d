import { randomBytes } from 'node:crypto'

/** The characters of every id and secret. */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** `ps_…`, `re_…`, `evt_…`: 24 base62 characters (~143 bits) after the prefix. */
export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomBase62(length)}`
}

/** A secret (`whsec_…`): made as an id is; no bytes are shared between calls, and each call wipes its own. */
export function newSecret(prefix: string, length: number): string {
  return newId(prefix, length)
}

/** `length` base62 characters, each from its own byte of the operating system's CSPRNG. */
function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    // A few spare bytes: about one in 32 is rejected below.
    const bytes = randomBytes(length - out.length + 8)
    for (const byte of bytes) {
      // 248 = 62 * 4: rejecting bytes above it keeps every character equally likely.
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62]
    }
    bytes.fill(0)
  }
  return out
}
