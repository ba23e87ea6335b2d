import { safeStorage } from 'electron'
import type { SecretBox } from '../engine/webhooks'
import { FileKeySecretBox } from '../engine/webhooks'

/**
 * Webhook secrets at rest in the desktop app: sealed by the OS keychain
 * (safeStorage). Where the OS offers no encryption (a bare Linux session
 * without a keyring), serve mode's 0600 key file seals instead. Opening goes by
 * the sealed value's prefix, not by today's availability, so a secret sealed
 * on a boot without a keyring still opens on one with it (and the reverse).
 */
export function desktopSecretBox(dataDir: string): SecretBox {
  const fileBox = new FileKeySecretBox(dataDir)
  return {
    seal: (plain) =>
      safeStorage.isEncryptionAvailable() ? `ss1:${safeStorage.encryptString(plain).toString('base64')}` : fileBox.seal(plain),
    open: (sealed) =>
      sealed.startsWith('ss1:') ? safeStorage.decryptString(Buffer.from(sealed.slice(4), 'base64')) : fileBox.open(sealed),
  }
}
