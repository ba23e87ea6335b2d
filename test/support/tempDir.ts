import { mkdtempSync, rmSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TempDir {
  path: string
  /** Removes the directory tree; safe to call twice. */
  cleanup(): Promise<void>
  cleanupSync(): void
}

/** A fresh directory under os.tmpdir(), e.g. for a per-test SQLite database. */
export function makeTempDir(prefix: string): TempDir {
  const safePrefix = prefix.replace(/[^a-zA-Z0-9._-]/g, '-')
  const path = mkdtempSync(join(tmpdir(), `${safePrefix}-`))
  return {
    path,
    // Retries cover Windows, where a just-closed SQLite handle can briefly lock files.
    cleanup: () => rm(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }),
    cleanupSync: () => rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }),
  }
}
