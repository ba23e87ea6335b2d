import { safeStorage } from 'electron'
import type { SecretBox } from '../engine/webhooks'
import { FileKeySecretBox } from '../engine/webhooks'

/**
 * Webhook secrets at rest in the desktop app: sealed by the OS keychain
 * (safeStorage). Where the OS offers no encryption (a bare Linux session
 * without a keyring), fall back to serve mode's 0600 key file rather than
 * storing secrets in the clear.
 */
export function desktopSecretBox(dataDir: string): SecretBox {
  if (!safeStorage.isEncryptionAvailable()) return new FileKeySecretBox(dataDir)
  return {
    seal: (plain) => `ss1:${safeStorage.encryptString(plain).toString('base64')}`,
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed.replace(/^ss1:/, ''), 'base64')),
  }
}
