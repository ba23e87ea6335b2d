/**
 * The owner PIN and the recovery code as slow hashes: node:crypto's scrypt
 * (OpenSSL's), a fresh random salt each time one is set, compared in
 * constant time. A 6-digit PIN has only a million values, so the hash alone
 * would not stop someone holding a copy of the database; what stops guessing
 * at the till is the lockout (access.ts). The hash keeps the PIN itself out
 * of backups and diagnostics.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto'

/** N = 2^14, r = 8: 16 MB and some tens of milliseconds per try. */
const PARAMS = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }
const KEY_BYTES = 32

export interface PinHash {
  hash: string
  salt: string
}

export function newSalt(): string {
  return randomBytes(16).toString('base64')
}

export function hashSecretSync(secret: string, salt = newSalt()): PinHash {
  return { hash: scryptSync(secret, Buffer.from(salt, 'base64'), KEY_BYTES, PARAMS).toString('base64'), salt }
}

export function hashSecret(secret: string, salt = newSalt()): Promise<PinHash> {
  return new Promise((resolve, reject) => {
    scrypt(secret, Buffer.from(salt, 'base64'), KEY_BYTES, PARAMS, (error, key) => {
      if (error) reject(error)
      else resolve({ hash: key.toString('base64'), salt })
    })
  })
}

function same(stored: string, computed: string): boolean {
  const a = Buffer.from(stored, 'base64')
  const b = Buffer.from(computed, 'base64')
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function verifySecret(secret: string, stored: PinHash): Promise<boolean> {
  return same(stored.hash, (await hashSecret(secret, stored.salt)).hash)
}

export function verifySecretSync(secret: string, stored: PinHash): boolean {
  return same(stored.hash, hashSecretSync(secret, stored.salt).hash)
}

/** Letters and digits that cannot be misread for one another when copied by hand (no 0/O, 1/I/L). */
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** `XXXXX-XXXXX-XXXXX-XXXXX`: 20 characters of 31, ~99 bits; written on paper, not remembered. */
export function newRecoveryCode(): string {
  let out = ''
  while (out.length < 20) {
    for (const byte of randomBytes(32)) {
      // 248 = 31 * 8: rejecting bytes above it keeps every character equally likely.
      if (byte < 248 && out.length < 20) out += RECOVERY_ALPHABET[byte % 31]
    }
  }
  return out.match(/.{5}/g)!.join('-')
}

/** As typed: case, spaces and dashes do not matter. */
export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '')
}
