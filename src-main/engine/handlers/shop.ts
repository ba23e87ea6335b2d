/**
 * The shop's own handlers: first-run setup, settings, the merchant, networks,
 * exchange rates and API keys, as the UI (Electron or serve mode) calls them.
 * Inputs arrive from JSON over HTTP as well as from IPC, so every handler
 * checks the shape it is given rather than trusting the contract's types.
 */
import packageJson from '../../../package.json'
import type { AppInfo, ChainConfig, FirstRunInput, Merchant, RateInfo, ReceiveSetup } from '../../../src-preload/contract'
import type { Engine } from '..'
import { BUILTIN_CHAINS, findBuiltinChain, validateAddress } from '../chains'
import { transaction } from '../db/transaction'
import { invalid } from '../errors'
import { isCurrency } from '../money'
import type { CurrencyCode } from '../money'
import { deriveAddress, parseXpub } from '../receive'
import type { NetworkInput } from '../shop'
import { resolveNetwork, validateReceive } from '../shop'
import { uiScope } from '.'
import { record, string } from './input'
import type { HandlerRegistry } from './registry'

/** The merchant the first-run wizard creates when the config file named none. */
export const SHOP_MERCHANT_ID = 'shop'

/** The local development chain (anvil's default id): "simulate payment" is offered only with it. */
export const DEVNET_CHAIN_ID = 31337

/** How many derived addresses the wizard shows for an xpub, for the owner to compare with the wallet. */
export const PREVIEW_ADDRESSES = 5

const MAX_SHOP_NAME = 200

function shopName(value: unknown): string {
  const name = string(value, 'name').trim()
  if (name.length === 0) throw invalid('parameter_invalid', 'shop name is empty', 'name')
  if (name.length > MAX_SHOP_NAME) throw invalid('parameter_invalid', `shop name must be at most ${MAX_SHOP_NAME} characters`, 'name')
  return name
}

function priceCurrency(value: unknown): CurrencyCode {
  const currency = string(value, 'currency')
  if (!isCurrency(currency)) throw invalid('parameter_invalid', `unsupported currency "${currency.slice(0, 16)}"`, 'currency')
  return currency
}

function receiveSetup(value: unknown): ReceiveSetup {
  const receive = record(value, 'receive')
  if (receive.mode !== 'address' && receive.mode !== 'xpub')
    throw invalid('parameter_invalid', 'receive.mode must be "address" or "xpub"', 'receive.mode')
  return validateReceive({
    mode: receive.mode,
    ...(receive.mode === 'address' ? { address: string(receive.address ?? '', 'receive.address') } : {}),
    ...(receive.mode === 'xpub' ? { xpub: string(receive.xpub ?? '', 'receive.xpub') } : {}),
  })
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
export function completeSetup(engine: Engine, rawInput: unknown): Merchant {
  const input = record(rawInput, 'setup') as Partial<Record<keyof FirstRunInput, unknown>>
  const name = shopName(input.name)
  const currency = priceCurrency(input.currency)
  const receive = receiveSetup(input.receive)
  if (typeof input.livemode !== 'boolean') throw invalid('parameter_invalid', 'livemode must be true or false', 'livemode')
  const livemode = input.livemode
  if (!Array.isArray(input.accept) || input.accept.length === 0)
    throw invalid('parameter_invalid', 'choose at least one network and token to accept', 'accept')

  // "chainId:SYMBOL" pairs, grouped by chain.
  const wanted = new Map<number, Set<string>>()
  for (const pair of input.accept) {
    const match = typeof pair === 'string' ? /^(\d{1,12}):([A-Za-z0-9.]{1,16})$/.exec(pair) : null
    if (!match) throw invalid('parameter_invalid', `accept: "${String(pair).slice(0, 40)}" is not "chainId:TOKEN"`, 'accept')
    const chainId = Number(match[1])
    const symbols = wanted.get(chainId) ?? new Set<string>()
    symbols.add(match[2]!)
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

  const merchantId = engine.merchants.first()?.id ?? SHOP_MERCHANT_ID
  return transaction(engine.db, () => {
    const merchant = engine.merchants.upsert({ id: merchantId, name, currency, receive })
    for (const network of networks) engine.networks.save(network)
    engine.networks.enableOnly(networks.map((n) => n.chain_id))
    engine.settings.update({ livemode })
    return merchant
  })
}

/**
 * Checks what the owner typed as the receiving side, with the engine's exact
 * messages: an xpub answers with its first derived addresses (children 0..4,
 * the wallet's first accounts), an 0x address with its checksummed form.
 * The address branch stands in for a `setup:preview-receive` channel until
 * the contract has one.
 */
export function previewReceive(rawInput: unknown): { addresses: string[] } {
  const text = string(record(rawInput, 'input').xpub, 'xpub').trim()
  if (/^0x/i.test(text)) {
    const checked = validateAddress(text)
    if (!checked.ok) throw invalid('parameter_invalid', checked.message, 'address')
    return { addresses: [checked.address] }
  }
  const checked = parseXpub(text)
  if (!checked.ok) throw invalid('parameter_invalid', checked.message, 'xpub')
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
  }))
}

function networkInput(raw: Record<string, unknown>): NetworkInput {
  const chainId = raw.chain_id
  if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId))
    throw invalid('parameter_invalid', 'chain_id must be an integer', 'chain_id')
  const input: NetworkInput = { chainId }
  const c = raw as Partial<ChainConfig>
  if (c.name !== undefined) input.name = string(c.name, 'name')
  if (c.testnet !== undefined) input.testnet = c.testnet
  if (c.rpc_urls !== undefined) input.rpcUrls = c.rpc_urls
  if (c.ws_urls !== undefined) input.wsUrls = c.ws_urls
  if (c.confirmations !== undefined) input.confirmations = c.confirmations
  if (c.poll_interval_ms !== undefined) input.pollIntervalMs = c.poll_interval_ms
  if (c.block_time_ms !== undefined) input.blockTimeMs = c.block_time_ms
  if (c.explorer_url !== undefined) input.explorerUrl = c.explorer_url
  if (c.color !== undefined) input.color = string(c.color, 'color')
  if (c.enabled !== undefined) input.enabled = c.enabled
  if (c.tokens !== undefined) input.tokens = c.tokens
  for (const [key, value] of Object.entries({ testnet: c.testnet, enabled: c.enabled })) {
    if (value !== undefined && typeof value !== 'boolean') throw invalid('parameter_invalid', `${key} must be true or false`, key)
  }
  for (const [key, value] of Object.entries({ rpc_urls: c.rpc_urls, ws_urls: c.ws_urls, tokens: c.tokens })) {
    if (value !== undefined && !Array.isArray(value)) throw invalid('parameter_invalid', `${key} must be a list`, key)
  }
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
    }
  })

  registry.register('setup:complete', (input) => completeSetup(engine, input))
  registry.register('setup:preview-xpub', (input) => previewReceive(input))

  registry.register('settings:get', () => engine.settings.get())
  registry.register('settings:update', (input) => engine.settings.update(record(input, 'settings')))

  registry.register('merchant:get', () => engine.merchants.get(uiScope(engine).merchantId))
  registry.register('merchant:update', (rawInput) => {
    const input = record(rawInput, 'merchant') as Partial<Omit<Merchant, 'id'>>
    const current = engine.merchants.get(uiScope(engine).merchantId)
    // Checked here too so a bad field is named before the upsert's own checks.
    const name = input.name !== undefined ? shopName(input.name) : current.name
    const currency = input.currency !== undefined ? priceCurrency(input.currency) : current.currency
    const receive = input.receive !== undefined ? receiveSetup(input.receive) : current.receive
    return engine.merchants.upsert({
      id: current.id,
      name,
      currency,
      receive,
      ...(input.session_ttl_seconds !== undefined ? { sessionTtlSeconds: input.session_ttl_seconds } : {}),
      ...(input.time_zone !== undefined ? { timeZone: string(input.time_zone, 'time_zone') } : {}),
    })
  })

  registry.register('chains:list', () => listChains(engine))
  registry.register('chains:update', (input) => engine.networks.update(networkInput(record(input, 'network'))))

  registry.register('rates:list', () => rateList(engine))
  registry.register('rates:set-manual', (rawInput) => {
    const input = record(rawInput, 'rate')
    const currency = string(input.currency, 'currency')
    if (!isCurrency(currency) || currency === 'USD')
      throw invalid('parameter_invalid', `"${currency.slice(0, 16)}" is not a supported non-USD currency`, 'currency')
    if (input.rate === null) engine.rates.clearManual(currency)
    else engine.rates.setManual(currency, string(input.rate, 'rate'))
    return rateList(engine)
  })
  registry.register('rates:refresh', async () => {
    await engine.rates.refresh()
    return rateList(engine)
  })

  registry.register('api-keys:list', () => engine.apiKeys.list(uiScope(engine).merchantId))
  registry.register('api-keys:create', (rawInput) => {
    const input = record(rawInput, 'input')
    if (typeof input.livemode !== 'boolean') throw invalid('parameter_invalid', 'livemode must be true or false', 'livemode')
    return engine.apiKeys.create(uiScope(engine).merchantId, input.livemode)
  })
  registry.register('api-keys:revoke', (rawInput) =>
    engine.apiKeys.revoke(uiScope(engine).merchantId, string(record(rawInput, 'input').id, 'id')),
  )
}
