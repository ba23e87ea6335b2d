import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { strToU8, zipSync } from 'fflate'

/**
 * Owner → Support → "Export diagnostics": one zip an owner can send to
 * whoever helps them, holding the logs and a description of the till. It is
 * built from non-secret facts only (the log itself is already redacted), and
 * RPC URLs are cut to their origin, because providers put API keys in paths
 * and query strings.
 */

export interface DiagnosticsInfo {
  app: { name: string; version: string }
  schemaVersion: number
  createdAt: string
  platform: { node: string; os: string; arch: string }
  [key: string]: unknown
}

/** `https://eth-mainnet.g.alchemy.com/v2/KEY` → `https://eth-mainnet.g.alchemy.com/…`. */
export function rpcOrigin(url: string): string {
  try {
    const u = new URL(url)
    const hidden = u.pathname.length > 1 || u.search !== '' || u.username !== '' || u.password !== ''
    return `${u.protocol}//${u.host}${hidden ? '/…' : ''}`
  } catch {
    return '(not a URL)'
  }
}

/** The zip's bytes: `info.json` and every file of the log folder (newest files last-modified first). */
export function diagnosticsZip(logDir: string | null, info: DiagnosticsInfo): Uint8Array {
  const files: Record<string, Uint8Array> = { 'info.json': strToU8(JSON.stringify(info, null, 2)) }
  if (logDir) {
    let names: string[] = []
    try {
      names = readdirSync(logDir).filter((n) => n.endsWith('.log'))
    } catch {
      // No log folder yet: the zip still describes the till.
    }
    for (const name of names) {
      const path = join(logDir, name)
      if (statSync(path).isFile()) files[`logs/${name}`] = new Uint8Array(readFileSync(path))
    }
  }
  return zipSync(files, { level: 6 })
}
