import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { release } from 'node:os'
import { strToU8, zip } from 'fflate'
import type { ChainState } from '../../src-preload/contract'
import type { Engine } from '.'
import { schemaVersion } from './db'
import { all, value } from './db/sql'
import { urlOrigin } from './log'

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

/**
 * The zip's bytes: `info.json` and every file of the log folder. Read and
 * compressed off the main thread's critical path (async reads, fflate's
 * worker), since up to ~50 MB of logs must not hold up a sale.
 */
export async function diagnosticsZip(logDir: string | null, info: DiagnosticsInfo): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = { 'info.json': strToU8(JSON.stringify(info, null, 2)) }
  if (logDir) {
    let names: string[] = []
    try {
      names = (await readdir(logDir)).filter((n) => n.endsWith('.log'))
    } catch {
      // No log folder yet: the zip still describes the till.
    }
    for (const name of names) {
      const path = join(logDir, name)
      if ((await stat(path)).isFile()) files[`logs/${name}`] = new Uint8Array(await readFile(path))
    }
  }
  return new Promise((resolve, reject) => zip(files, { level: 6 }, (error, data) => (error ? reject(error) : resolve(data))))
}

/**
 * The till described for someone helping the owner: versions, the shop's
 * public set-up, networks (RPC URLs cut to their origin), chain status,
 * backups, rates and how many sales are in each status. Never a key, a
 * secret, a token or a webhook URL's path.
 */
export function describeTill(
  engine: Engine,
  chains: readonly ChainState[],
  app: { name: string; version: string },
): DiagnosticsInfo {
  const merchant = engine.merchants.first()
  const statuses = all<{ status: string; n: number }>(engine.db, 'SELECT status, count(*) AS n FROM sessions GROUP BY status')
  return {
    app,
    schemaVersion: schemaVersion(engine.db),
    createdAt: new Date(engine.clock.now()).toISOString(),
    platform: { node: process.version, os: `${process.platform} ${release()}`, arch: process.arch },
    shop: merchant && {
      name: merchant.name,
      currency: merchant.currency,
      time_zone: merchant.time_zone,
      receive_mode: merchant.receive.mode,
      // A receiving address is public (it is on every QR code); an xpub would reveal every sale's address, so it is not sent.
      receive_address: merchant.receive.mode === 'address' ? merchant.receive.address : null,
    },
    settings: engine.settings.get(),
    networks: engine.networks.list().map((c) => ({
      chain_id: c.chain_id,
      name: c.name,
      testnet: c.testnet,
      enabled: c.enabled,
      confirmations: c.confirmations,
      rpc: c.rpc_urls.map(urlOrigin),
      ws: c.ws_urls.map(urlOrigin),
      tokens: c.tokens.map((t) => ({ symbol: t.symbol, address: t.address, decimals: t.decimals, enabled: t.enabled })),
    })),
    chains,
    backups: (({ backups, ...rest }) => ({ ...rest, count: backups.length }))(engine.backups.state()),
    rates: engine.rates.list().map((r) => ({ currency: r.currency, source: r.source, as_of: r.asOf })),
    sessions: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
    webhook_endpoints: value<number>(engine.db, 'SELECT count(*) FROM webhook_endpoints WHERE enabled = 1'),
    api_keys: value<number>(engine.db, 'SELECT count(*) FROM api_keys WHERE revoked_at IS NULL'),
  }
}
