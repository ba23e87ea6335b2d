/**
 * The shop's own handlers: first-run setup, settings, the merchant, networks,
 * exchange rates and API keys, as the UI (Electron or serve mode) calls them.
 * Inputs arrive parsed by their channel's schema (src-preload/schemas.ts);
 * what is checked here needs the engine (known networks, an xpub's keys).
 */
import packageJson from '../../../package.json'
import type { AppInfo, ChainConfig, CurrencyCode, FirstRunInput, InputOf, Merchant, RateInfo, ReceiveSetup } from '../../../src-preload/contract'
import type { Engine } from '..'
import { BUILTIN_CHAINS, findBuiltinChain, validateAddress } from '../chains'
import { transaction } from '../db/transaction'
import { invalid } from '../errors'
import { deriveAddress, parseXpub, requireWallet } from '../receive'
import type { NetworkInput } from '../shop'
import { resolveNetwork, validateReceive } from '../shop'
import { uiScope } from '.'
import type { HandlerRegistry } from './registry'
import { logLocation, urlOrigin } from '../log'

/** The merchant the first-run wizard creates when the config file named none. */
export const SHOP_MERCHANT_ID = 'shop'

/** The local development chain (anvil's default id): "simulate payment" is offered only with it. */
export const DEVNET_CHAIN_ID = 31337

/** How many derived addresses the wizard shows for an xpub, for the owner to compare with the wallet. */
export const PREVIEW_ADDRESSES = 5

/** A network as a cashier sees it: each RPC and WebSocket URL cut to its origin (`https://host/…`). */
export function withoutEndpointSecrets(chain: ChainConfig): ChainConfig {
  return { ...chain, rpc_urls: chain.rpc_urls.map(urlOrigin), ws_urls: chain.ws_urls.map(urlOrigin) }
}

/**
 * Every network the owner may choose from: the ones stored (with their
 * settings) and the built-in registry's others, switched off. Mainnets first,
 * in the registry's order, then test networks; custom chains after.
 */
export function listChains(engine: Engine): ChainConfig[] {
  const stored = new Map(engine.networks.list().map((c) => [c.chain_id, c]))
  const order = new Map(BUILTIN_CHAINS.map((c, i) => [c.chainId, i]))
  const all: ChainConfig[] = [...stored.values()]
  for (const builtin of BUILTIN_CHAINS) {
    if (stored.has(builtin.chainId)) continue
    all.push({
      chain_id: builtin.chainId,
      name: builtin.name,
      testnet: builtin.testnet,
      rpc_urls: [...builtin.rpcUrls],
      ws_urls: [...builtin.wsUrls],
      confirmations: builtin.confirmations,
      poll_interval_ms: null,
      block_time_ms: builtin.blockTimeMs,
      explorer_url: builtin.explorerUrl,
      color: builtin.color,
      enabled: false,
      tokens: builtin.tokens.map((t) => ({ symbol: t.symbol, address: t.address, decimals: t.decimals, enabled: false })),
    })
  }
  const rank = (c: ChainConfig) => order.get(c.chain_id) ?? BUILTIN_CHAINS.length + c.chain_id
  return all.sort((a, b) => Number(a.testnet) - Number(b.testnet) || rank(a) - rank(b))
}

/**
 * Validates the whole wizard before anything is written, then writes it in
 * one transaction: a wrong address or an unknown token leaves the database
 * exactly as it was.
 */
export function completeSetup(engine: Engine, input: FirstRunInput): Merchant {
  const { name, currency, livemode } = input
  const receive = validateReceive(input.receive)
  const networks = setupNetworks(engine, input)

  const merchantId = engine.merchants.first()?.id ?? SHOP_MERCHANT_ID
  return transaction(engine.db, () => {
    const merchant = engine.merchants.upsert({ id: merchantId, name, currency, receive })
    for (const network of networks) engine.networks.save(network)
    engine.networks.enableOnly(networks.map((n) => n.chain_id))
    engine.settings.update({ livemode })
    return merchant
  })
}

/** The networks the wizard's ticks stand for, each checked: known, offering the ticked tokens, one at least for the mode. */
function setupNetworks(engine: Engine, input: FirstRunInput): ChainConfig[] {
  const { livemode } = input
  // "chainId:SYMBOL" pairs (their form checked by the schema), grouped by chain.
  const wanted = new Map<number, Set<string>>()
  for (const pair of input.accept) {
    const [chain = '', symbol = ''] = pair.split(':')
    const chainId = Number(chain)
    const symbols = wanted.get(chainId) ?? new Set<string>()
    symbols.add(symbol)
    wanted.set(chainId, symbols)
  }

  const networks: ChainConfig[] = []
  for (const [chainId, symbols] of wanted) {
    const current = engine.networks.find(chainId)
    const builtin = findBuiltinChain(chainId)
    const offered =
      current?.tokens ?? builtin?.tokens.map((t) => ({ symbol: t.symbol, address: t.address, decimals: t.decimals, enabled: true }))
    if (!offered) throw invalid('parameter_invalid', `accept: no network with chain id ${chainId} is known`, 'accept')
    for (const symbol of symbols) {
      if (!offered.some((t) => t.symbol === symbol))
        throw invalid('parameter_invalid', `accept: ${symbol} is not offered on ${current?.name ?? builtin?.name ?? chainId}`, 'accept')
    }
    const network: NetworkInput = {
      chainId,
      enabled: true,
      tokens: offered.map((t) => ({ symbol: t.symbol, address: t.address, decimals: t.decimals, enabled: symbols.has(t.symbol) })),
    }
    networks.push(resolveNetwork(network, current ?? undefined))
  }
  // Like an API key's mode: live sells on mainnets, test on testnets; a mode with nothing to sell on is a dead till.
  if (!networks.some((n) => n.testnet !== livemode))
    throw invalid(
      'parameter_invalid',
      livemode
        ? 'live mode needs at least one mainnet token; tick one or start in test mode'
        : 'test mode needs at least one testnet token',
      'livemode',
    )
  return networks
}

/**
 * The receiving address a change would store, asked on chain before the
 * audited write (which cannot wait on a network): an address with code (a
 * token's own contract pasted by mistake) is refused with the wizard's plain
 * message, and nothing is written. An xpub's addresses are fresh keys, and an
 * address already stored is not asked again, so saving the shop's name never
 * waits on the networks.
 */
async function requireWalletReceive(engine: Engine, receive: ReceiveSetup, chains: ChainConfig[], stored?: ReceiveSetup): Promise<void> {
  const checked = validateReceive(receive)
  if (checked.mode !== 'address' || !checked.address) return
  if (stored?.mode === 'address' && stored.address?.toLowerCase() === checked.address.toLowerCase()) return
  await requireWallet(engine.db, checked.address, chains, 'receive.address')
}

/**
 * Checks what the owner typed as the receiving side, with the engine's exact
 * messages: an xpub answers with its first derived addresses (children 0..4,
 * the wallet's first accounts), an 0x address with its checksummed form.
 * The address branch stands in for a `setup:preview-receive` channel until
 * the contract has one.
 */
export async function previewReceive(engine: Engine, input: { xpub: string }): Promise<{ addresses: string[]; never_used?: boolean }> {
  const text = input.xpub.trim()
  if (/^0x/i.test(text)) {
    const checked = validateAddress(text)
    if (!checked.ok) throw invalid('address_invalid', checked.message, 'address')
    // Networks are chosen after this step: every network the till knows is asked.
    const report = await requireWallet(
      engine.db,
      checked.address,
      engine.networks.list().filter((c) => c.enabled),
    )
    return { addresses: [checked.address], ...(report?.neverUsed ? { never_used: true } : {}) }
  }
  const checked = parseXpub(text)
  if (!checked.ok) throw invalid('xpub_invalid', checked.message, 'xpub')
  const addresses: string[] = []
  for (let i = 0; i < PREVIEW_ADDRESSES; i++) addresses.push(deriveAddress(checked.xpub, i))
  return { addresses }
}

function rateList(engine: Engine): RateInfo[] {
  return engine.rates.list().map((r) => ({
    currency: r.currency,
    rate: r.rate,
    source: r.source,
    as_of: r.asOf,
    age_seconds: r.ageSeconds,
    stale: r.stale,
    stale_at: r.staleAt,
    stale_soon: r.staleSoon,
    active: r.active,
  }))
}

/** The settings screen's snake_case fields as the engine's network input; resolveNetwork checks what they say. */
function networkInput(c: InputOf<'chains:update'>): NetworkInput {
  const input: NetworkInput = { chainId: c.chain_id }
  if (c.name !== undefined) input.name = c.name
  if (c.testnet !== undefined) input.testnet = c.testnet
  if (c.rpc_urls !== undefined) input.rpcUrls = c.rpc_urls
  if (c.ws_urls !== undefined) input.wsUrls = c.ws_urls
  if (c.confirmations !== undefined) input.confirmations = c.confirmations
  if (c.poll_interval_ms !== undefined) input.pollIntervalMs = c.poll_interval_ms
  if (c.block_time_ms !== undefined) input.blockTimeMs = c.block_time_ms
  if (c.explorer_url !== undefined) input.explorerUrl = c.explorer_url
  if (c.color !== undefined) input.color = c.color
  if (c.enabled !== undefined) input.enabled = c.enabled
  if (c.tokens !== undefined) input.tokens = c.tokens
  return input
}

export function registerShopHandlers(registry: HandlerRegistry, engine: Engine): void {
  registry.register('app:info', (): AppInfo => {
    const merchant = engine.merchants.first()
    const devnet = engine.networks.find(DEVNET_CHAIN_ID)
    return {
      version: packageJson.version,
      configured: merchant !== null,
      merchant_id: merchant?.id ?? null,
      devnet: devnet?.enabled === true,
      log_dir: logLocation()?.dir ?? null,
    }
  })

  registry.register('backups:state', () => engine.backups.state())
  registry.register('backups:create', () => engine.backups.backupNow())
  registry.register('backups:update', (patch) => engine.backups.update(patch))

  registry.register('setup:complete', (input) => completeSetup(engine, input), {
    precheck: (input) => requireWalletReceive(engine, input.receive, setupNetworks(engine, input)),
  })
  registry.register('setup:preview-xpub', (input) => previewReceive(engine, input))

  registry.register('settings:get', () => engine.settings.get())
  registry.register('settings:update', (patch) => engine.settings.update(patch))

  registry.register('merchant:get', () => engine.merchants.get(uiScope(engine).merchantId))
  registry.register('merchant:update', (input) => {
    const current = engine.merchants.get(uiScope(engine).merchantId)
    // The upsert checks the receiving side, the session lifetime and the time zone, and writes nothing when one is wrong.
    return engine.merchants.upsert({
      id: current.id,
      name: input.name ?? current.name,
      currency: input.currency ?? current.currency,
      receive: input.receive ?? current.receive,
      ...(input.session_ttl_seconds !== undefined ? { sessionTtlSeconds: input.session_ttl_seconds } : {}),
      ...(input.time_zone !== undefined ? { timeZone: input.time_zone } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
    })
  }, {
    precheck: async (input) => {
      if (!input.receive) return
      const current = engine.merchants.get(uiScope(engine).merchantId)
      await requireWalletReceive(engine, input.receive, engine.networks.list().filter((c) => c.enabled), current.receive)
    },
  })

  // A cashier's screens need the networks, not their endpoints: RPC URLs often carry a provider's API key in the path or query.
  registry.register('chains:list', (_input, caller) =>
    registry.roleOf(caller) === 'owner' ? listChains(engine) : listChains(engine).map(withoutEndpointSecrets),
  )
  registry.register('chains:update', (input) => engine.networks.update(networkInput(input)))

  registry.register('rates:list', () => rateList(engine))
  registry.register('rates:set-manual', (input) => {
    // The schema let through only supported codes other than USD.
    const currency = input.currency as CurrencyCode
    if (input.rate === null) engine.rates.clearManual(currency)
    else engine.rates.setManual(currency, input.rate)
    return rateList(engine)
  })
  registry.register('rates:refresh', async () => {
    await engine.rates.refresh()
    return rateList(engine)
  })

  registry.register('api-keys:list', () => engine.apiKeys.list(uiScope(engine).merchantId))
  registry.register('api-keys:create', ({ livemode }) => engine.apiKeys.create(uiScope(engine).merchantId, livemode))
  registry.register('api-keys:revoke', ({ id }) => engine.apiKeys.revoke(uiScope(engine).merchantId, id))
  // Signed requests (#12).
  registry.register('api-keys:rotate-secret', ({ id }) => engine.apiKeys.rotateSecret(uiScope(engine).merchantId, id))
  registry.register('api-keys:set-signed-only', ({ id, signed_only }) =>
    engine.apiKeys.setSignedOnly(uiScope(engine).merchantId, id, signed_only),
  )
}
