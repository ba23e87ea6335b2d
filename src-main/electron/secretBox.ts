import { safeStorage } from 'electron'

/**
 * Webhook secrets at rest in the desktop app: sealed by the OS keychain
 * (safeStorage). Matches the engine's SecretBox interface structurally.
 */
export const safeStorageSecretBox = {
  seal(plain: string): string {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('OS encryption (safeStorage) is not available')
    return safeStorage.encryptString(plain).toString('base64')
  },
  open(sealed: string): string {
    return safeStorage.decryptString(Buffer.from(sealed, 'base64'))
  },
}
