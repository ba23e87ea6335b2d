import type { ChainConfig, TokenConfig } from '../../../src-preload/contract'
import { findBuiltinChain, validateAddress, validateRpcUrl, validateWsUrl } from '../chains'
import type { Db } from '../db'
import { all, get, run, values } from '../db/sql'
import { transaction } from '../db/transaction'
import { invalid, notFound } from '../errors'

/** A network as the config file or the settings screen names it; omitted fields inherit from the built-in registry. */
export interface NetworkInput {
  chainId: number
  name?: string
  testnet?: boolean
  rpcUrls?: string[]
  wsUrls?: string[]
  confirmations?: number
  pollIntervalMs?: number | null
  blockTimeMs?: number
  explorerUrl?: string | null
  color?: string
  enabled?: boolean
  tokens?: Array<{ symbol: string; address: string; decimals: number; enabled?: boolean }>
}

interface ChainRow {
  chain_id: number
  name: string
  testnet: number
  rpc_urls: string
  ws_urls: string
  confirmations: number
  poll_interval_ms: number | null
  block_time_ms: number
  explorer_url: string | null
  color: string
  enabled: number
}
interface TokenRow {
  chain_id: number
  symbol: string
  address: string
  decimals: number
  enabled: number
}

export interface AcceptedToken {
  chain: ChainConfig
  token: TokenConfig
}

const SYMBOL = /^[A-Za-z0-9.]{1,16}$/

/** Resolves an input against the registry and checks every field; throws before anything is written. */
export function resolveNetwork(input: NetworkInput, current?: ChainConfig): ChainConfig {
  const p = (field: string) => `chains[${input.chainId}].${field}`
  if (!Number.isSafeInteger(input.chainId) || input.chainId <= 0)
    throw invalid('parameter_invalid', 'chainId must be a positive integer', 'chainId')
  const builtin = findBuiltinChain(input.chainId)
  const base: Partial<ChainConfig> =
    current ??
    (builtin
      ? {
          name: builtin.name,
          testnet: builtin.testnet,
          rpc_urls: [...builtin.rpcUrls],
          ws_urls: [...builtin.wsUrls],
          confirmations: builtin.confirmations,
          block_time_ms: builtin.blockTimeMs,
          explorer_url: builtin.explorerUrl,
          color: builtin.color,
          tokens: builtin.tokens.map((t) => ({ ...t, enabled: true })),
        }
      : {})
  const name = input.name ?? base.name
  if (!name || name.length > 64)
    throw invalid('parameter_invalid', `${p('name')}: a custom network needs a name (1-64 characters)`, p('name'))
  // A built-in network is what it is: relabelling Ethereum as a testnet would let test keys take real money.
  if (builtin && input.testnet !== undefined && input.testnet !== builtin.testnet)
    throw invalid('parameter_invalid', `${p('testnet')}: ${builtin.name} is ${builtin.testnet ? 'a testnet' : 'a mainnet'}`, p('testnet'))
  const testnet = builtin ? builtin.testnet : (input.testnet ?? base.testnet)
  if (testnet === undefined) throw invalid('parameter_invalid', `${p('testnet')}: say whether a custom network is a testnet`, p('testnet'))
  const rpcUrls = (input.rpcUrls ?? base.rpc_urls ?? []).map((url, i) => {
    const checked = validateRpcUrl(url)
    if (!checked.ok) throw invalid('parameter_invalid', `${p(`rpcUrls[${i}]`)}: ${checked.message}`, p('rpcUrls'))
    return checked.url
  })
  if (rpcUrls.length === 0) throw invalid('parameter_invalid', `${p('rpcUrls')}: at least one RPC URL is needed`, p('rpcUrls'))
  const wsUrls = (input.wsUrls ?? base.ws_urls ?? []).map((url, i) => {
    const checked = validateWsUrl(url)
    if (!checked.ok) throw invalid('parameter_invalid', `${p(`wsUrls[${i}]`)}: ${checked.message}`, p('wsUrls'))
    return checked.url
  })
  const confirmations = input.confirmations ?? base.confirmations ?? 1
  if (!Number.isInteger(confirmations) || confirmations < 1 || confirmations > 1000)
    throw invalid('parameter_invalid', `${p('confirmations')}: must be an integer from 1 to 1000`, p('confirmations'))
  const pollIntervalMs = input.pollIntervalMs !== undefined ? input.pollIntervalMs : (base.poll_interval_ms ?? null)
  if (pollIntervalMs !== null && (!Number.isInteger(pollIntervalMs) || pollIntervalMs < 50 || pollIntervalMs > 600_000))
    throw invalid('parameter_invalid', `${p('pollIntervalMs')}: must be 50-600000 ms`, p('pollIntervalMs'))
  const blockTimeMs = input.blockTimeMs ?? base.block_time_ms ?? 2000
  const tokenInputs = input.tokens ?? base.tokens ?? []
  const seen = new Set<string>()
  const tokens: TokenConfig[] = tokenInputs.map((t, i) => {
    if (!SYMBOL.test(t.symbol)) throw invalid('parameter_invalid', `${p(`tokens[${i}].symbol`)}: 1-16 letters or digits`, p('tokens'))
    const address = validateAddress(t.address)
    if (!address.ok) throw invalid('parameter_invalid', `${p(`tokens[${i}].address`)}: ${address.message}`, p('tokens'))
    if (!Number.isInteger(t.decimals) || t.decimals < 2 || t.decimals > 36)
      throw invalid('parameter_invalid', `${p(`tokens[${i}].decimals`)}: must be an integer from 2 to 36`, p('tokens'))
    if (seen.has(t.symbol)) throw invalid('parameter_invalid', `${p('tokens')}: ${t.symbol} listed twice`, p('tokens'))
    seen.add(t.symbol)
    return { symbol: t.symbol, address: address.address, decimals: t.decimals, enabled: t.enabled ?? true }
  })
  return {
    chain_id: input.chainId,
    name,
    testnet,
    rpc_urls: rpcUrls,
    ws_urls: wsUrls,
    confirmations,
    poll_interval_ms: pollIntervalMs,
    block_time_ms: blockTimeMs,
    explorer_url: input.explorerUrl !== undefined ? input.explorerUrl : (base.explorer_url ?? null),
    color: input.color ?? base.color ?? '#6B7280',
    enabled: input.enabled ?? base.enabled ?? true,
    tokens,
  }
}

export class Networks {
  // accepted() runs on every sale; the network list changes only from settings or config.
  private acceptedCache = new Map<boolean, AcceptedToken[]>()

  constructor(private readonly db: Db) {}

  /** Writes a resolved network (call inside a transaction when applying several). */
  save(chain: ChainConfig): ChainConfig {
    this.acceptedCache.clear()
    run(
      this.db,
      `INSERT INTO chains (chain_id, name, testnet, rpc_urls, ws_urls, confirmations, poll_interval_ms, block_time_ms, explorer_url, color, enabled)
         VALUES (@chain_id, @name, @testnet, @rpc_urls, @ws_urls, @confirmations, @poll_interval_ms, @block_time_ms, @explorer_url, @color, @enabled)
         ON CONFLICT (chain_id) DO UPDATE SET name = excluded.name, testnet = excluded.testnet, rpc_urls = excluded.rpc_urls,
           ws_urls = excluded.ws_urls, confirmations = excluded.confirmations, poll_interval_ms = excluded.poll_interval_ms,
           block_time_ms = excluded.block_time_ms, explorer_url = excluded.explorer_url, color = excluded.color, enabled = excluded.enabled`,
      {
        ...chain,
        testnet: chain.testnet ? 1 : 0,
        enabled: chain.enabled ? 1 : 0,
        rpc_urls: JSON.stringify(chain.rpc_urls),
        ws_urls: JSON.stringify(chain.ws_urls),
      },
    )
    // Tokens no longer listed are disabled, not deleted: old sessions still name them.
    run(this.db, 'UPDATE tokens SET enabled = 0 WHERE chain_id = ?', chain.chain_id)
    for (const token of chain.tokens)
      run(
        this.db,
        `INSERT INTO tokens (chain_id, symbol, address, decimals, enabled) VALUES (@chain_id, @symbol, @address, @decimals, @enabled)
         ON CONFLICT (chain_id, symbol) DO UPDATE SET address = excluded.address, decimals = excluded.decimals, enabled = excluded.enabled`,
        { chain_id: chain.chain_id, ...token, enabled: token.enabled ? 1 : 0 },
      )
    return this.get(chain.chain_id)
  }

  update(input: NetworkInput): ChainConfig {
    const current = this.find(input.chainId) ?? undefined
    const resolved = resolveNetwork(input, current)
    return transaction(this.db, () => this.save(resolved))
  }

  /** Only the listed chains are watched and offered. */
  enableOnly(chainIds: number[]): void {
    this.acceptedCache.clear()
    const keep = new Set(chainIds)
    for (const chainId of values<number>(this.db, 'SELECT chain_id FROM chains'))
      if (!keep.has(chainId)) run(this.db, 'UPDATE chains SET enabled = 0 WHERE chain_id = ?', chainId)
  }

  find(chainId: number): ChainConfig | null {
    const row = get<ChainRow>(this.db, 'SELECT * FROM chains WHERE chain_id = ?', chainId)
    return row ? this.toConfig(row) : null
  }

  get(chainId: number): ChainConfig {
    const chain = this.find(chainId)
    if (!chain) throw notFound(`no network with chain id ${chainId}`, 'chain_id')
    return chain
  }

  list(): ChainConfig[] {
    return all<ChainRow>(this.db, 'SELECT * FROM chains ORDER BY testnet, chain_id').map((r) => this.toConfig(r))
  }

  /** Enabled (chain, token) pairs for one mode: test keys reach testnets only, live keys mainnets only. */
  accepted(livemode: boolean): AcceptedToken[] {
    const cached = this.acceptedCache.get(livemode)
    if (cached) return cached
    const out: AcceptedToken[] = []
    for (const chain of this.list()) {
      if (!chain.enabled || chain.testnet === livemode) continue
      for (const token of chain.tokens) if (token.enabled) out.push({ chain, token })
    }
    this.acceptedCache.set(livemode, out)
    return out
  }

  private toConfig(row: ChainRow): ChainConfig {
    const tokens = all<TokenRow>(this.db, 'SELECT * FROM tokens WHERE chain_id = ? ORDER BY symbol', row.chain_id)
    return {
      chain_id: row.chain_id,
      name: row.name,
      testnet: row.testnet === 1,
      rpc_urls: JSON.parse(row.rpc_urls) as string[],
      ws_urls: JSON.parse(row.ws_urls) as string[],
      confirmations: row.confirmations,
      poll_interval_ms: row.poll_interval_ms,
      block_time_ms: row.block_time_ms,
      explorer_url: row.explorer_url,
      color: row.color,
      enabled: row.enabled === 1,
      tokens: tokens.map((t) => ({ symbol: t.symbol, address: t.address, decimals: t.decimals, enabled: t.enabled === 1 })),
    }
  }
}
