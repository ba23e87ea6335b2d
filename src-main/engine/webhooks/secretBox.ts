import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, closeSync, fsyncSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Seals endpoint secrets at rest. The desktop app implements it with
 * Electron's safeStorage (OS keychain); serve mode uses `FileKeySecretBox`.
 * Both calls are synchronous so they can run inside a SQLite transaction.
 */
export interface SecretBox {
  seal(plain: string): string
  open(sealed: string): string
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError'
}

export const SECRET_KEY_FILE = 'webhook-secrets.key'
const VERSION = 'fk1'
const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32

/**
 * AES-256-GCM with a random 32-byte key kept in `<dataDir>/webhook-secrets.key`,
 * created with mode 0600. This protects secrets from someone who copies the
 * database alone (a backup, a support bundle), not from someone who can read
 * the whole data folder; the desktop app uses the OS keychain instead.
 *
 * Sealed form: `fk1:<base64 iv | tag | ciphertext>`.
 */
export class FileKeySecretBox implements SecretBox {
  private readonly path: string
  private loaded: Buffer | null = null

  constructor(dataDir: string) {
    this.path = join(dataDir, SECRET_KEY_FILE)
  }

  /** Read (or made) at the first secret, not at start: a database refused at start leaves no key file behind. */
  private get key(): Buffer {
    this.loaded ??= loadOrCreateKey(this.path)
    return this.loaded
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`
  }

  open(sealed: string): string {
    const [version, payload] = sealed.split(':', 2)
    if (version !== VERSION || payload === undefined) throw new SecretBoxError('not a secret sealed by the key file (wrong format)')
    const raw = Buffer.from(payload, 'base64')
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed secret is truncated')
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES))
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
    } catch {
      // Never echo the sealed value: it is harmless alone, but logs travel.
      throw new SecretBoxError(
        `a webhook secret could not be decrypted: was ${SECRET_KEY_FILE} replaced or taken from another data folder?`,
      )
    }
  }
}

function loadOrCreateKey(file: string): Buffer {
  const existing = readKey(file)
  if (existing) return existing
  // Write a temp file and link it into place: a crash can never leave a half-written key,
  // and if two processes race, the loser reads the winner's key instead of overwriting it.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const fd = openSync(tmp, 'wx', 0o600)
  try {
    writeSync(fd, randomBytes(KEY_BYTES).toString('hex'))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    linkSync(tmp, file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    unlinkSync(tmp)
  }
  const key = readKey(file)
  if (!key) throw new SecretBoxError(`${file} could not be created`)
  return key
}

function readKey(file: string): Buffer | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  if (!/^[0-9a-f]{64}$/.test(text)) throw new SecretBoxError(`${file} is not a webhook secrets key (expected 64 hex characters)`)
  // A key file someone loosened (a copy, an unzip) is tightened back; on Windows modes mean little.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
  return Buffer.from(text, 'hex')
}
