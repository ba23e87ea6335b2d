import type { Db } from '../db'
import { ALPHABET, randomChars } from '../ids'
import { OPTIONS_PER_SESSION } from './options'

const DIGIT = new Map([...ALPHABET].map((c, i) => [c, i]))
/** Characters of the id, after `ps_`, that carry the row number; 62^7 > 2^40. */
const SEQ_CHARS = 7
const HALF = 2 ** 20
/** Ids scramble 40 bits; a session's option ids (seq × 65536 + n) must stay exact JS numbers: 2^37 − 1 (137 billion sales). */
export const MAX_SESSION_SEQ = Math.floor(Number.MAX_SAFE_INTEGER / OPTIONS_PER_SESSION) - 1

/**
 * A session id says where its row is: `ps_` + 7 characters for the row
 * number + 17 random ones (24 in all, as before). Looking a session up by id
 * is then a look-up by row number, and no index of ids is written per sale.
 *
 * The row number is scrambled with the shop's own key (a 4-round Feistel
 * permutation over 40 bits), so two receipts' ids do not tell how many sales
 * the shop made between them. It is obfuscation, not a secret: ids are not
 * credentials, and every look-up still checks the whole id and the merchant.
 * The random part keeps ids unique beyond this shop's file.
 */
export class SessionIds {
  private readonly rounds: number[]

  constructor(key: Uint8Array) {
    if (key.length < 16) throw new Error('a session id key has 16 bytes')
    const view = new DataView(key.buffer, key.byteOffset, key.byteLength)
    this.rounds = [0, 4, 8, 12].map((at) => view.getUint32(at))
  }

  /** A new id for the session stored at row `seq`. */
  make(seq: number): string {
    if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SESSION_SEQ) throw new RangeError(`session row ${seq} is out of range`)
    let left = Math.floor(seq / HALF)
    let right = seq % HALF
    for (const k of this.rounds) [left, right] = [right, (left ^ mix(right, k)) >>> 0]
    let code = left * HALF + right
    let head = ''
    for (let i = 0; i < SEQ_CHARS; i++) {
      head = ALPHABET[code % 62]! + head
      code = Math.floor(code / 62)
    }
    return `ps_${head}${randomChars(24 - SEQ_CHARS)}`
  }

  /** The row an id points at, or null if it cannot be one of ours (the caller still compares the whole id). */
  seqOf(id: unknown): number | null {
    if (typeof id !== 'string' || id.length !== 27 || !id.startsWith('ps_')) return null
    let code = 0
    for (let i = 3; i < 3 + SEQ_CHARS; i++) {
      const digit = DIGIT.get(id[i]!)
      if (digit === undefined) return null
      code = code * 62 + digit
    }
    if (code >= HALF * HALF) return null
    let left = Math.floor(code / HALF)
    let right = code % HALF
    for (let r = this.rounds.length - 1; r >= 0; r--) [left, right] = [(right ^ mix(left, this.rounds[r]!)) >>> 0, left]
    const seq = left * HALF + right
    return seq >= 1 && seq <= MAX_SESSION_SEQ ? seq : null
  }
}

/** The shop's session ids, scrambled with the key migration 0005 made for this file. */
export function sessionIdsOf(db: Db): SessionIds {
  return new SessionIds(db.prepare(`SELECT key FROM shop_keys WHERE name = 'session_ids'`).pluck().get() as Buffer)
}

/** 20 well-mixed bits of (x, k): murmur3's finaliser. */
function mix(x: number, k: number): number {
  let h = (x ^ k) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) & (HALF - 1)
}
