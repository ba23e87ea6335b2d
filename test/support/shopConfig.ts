/**
 * The one way tests describe a shop: a serve-mode config file (the shape of
 * `--config`), built from defaults plus what a test changes. The same object
 * is written to disk for serve mode, handed to startApp, or put straight into
 * an engine with seedEngine.
 *
 * Types only from src-main: Playwright's CommonJS loader imports this file too.
 */
import type { Engine } from '../../src-main/engine'
import type { ConfigFile } from '../../src-main/engine/config'

/** anvil dev account 5: the shop's receiving address (watch-only; no test spends from it). */
export const SHOP_ADDRESS = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'
/** Where a fresh anvil puts the devnet's first two contracts: the 6-decimal USDC, then the 18-decimal USDT. */
export const USDC6 = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
export const USDT18 = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
/** A loopback port that refuses connections: a chain the shop names but never reaches. */
export const NOWHERE = 'http://127.0.0.1:9'
export const MERCHANT_ID = 'merchant_123'

export type MerchantConfig = NonNullable<ConfigFile['merchants']>[number]
export type ChainConfig = NonNullable<ConfigFile['chains']>[number]
export type ApiKeyConfig = NonNullable<ConfigFile['apiKeys']>[number]

/** The devnet's USDC (6 decimals) and USDT (18), at the given addresses or where a fresh anvil puts them. */
export function demoTokens(at: { usdc: string; usdt: string } = { usdc: USDC6, usdt: USDT18 }): NonNullable<ChainConfig['tokens']> {
  return [
    { symbol: 'USDC', address: at.usdc, decimals: 6 },
    { symbol: 'USDT', address: at.usdt, decimals: 18 },
  ]
}

export interface ShopConfigOptions extends Omit<ConfigFile, 'merchants' | 'apiKeys' | 'chains'> {
  /**
   * Changes to the shop: "Corner Cafe" (merchant_123), prices in USD, paid to
   * SHOP_ADDRESS. null: no shop at all (the first-run wizard shows).
   */
  merchant?: Partial<MerchantConfig> | null
  /** API keys; a plain string is a key of the shop above. */
  keys?: Array<string | ApiKeyConfig>
  /** Changes to the chain: local testnet 31337 at NOWHERE, accepting the 6-decimal USDC. */
  chain?: Partial<ChainConfig>
  /** Further shops and chains, after the first. */
  otherMerchants?: MerchantConfig[]
  otherChains?: ChainConfig[]
}

export interface ShopConfig extends ConfigFile {
  merchants: MerchantConfig[]
  apiKeys: ApiKeyConfig[]
  chains: ChainConfig[]
}

/** A change given as `{ receive: undefined }` keeps the default rather than removing it. */
function given<T extends object>(changes: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(changes ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>
}

export function shopConfig(options: ShopConfigOptions = {}): ShopConfig {
  const { merchant, keys = [], chain, otherMerchants = [], otherChains = [], ...rest } = options
  const shop: MerchantConfig | null =
    merchant === null
      ? null
      : { id: MERCHANT_ID, name: 'Corner Cafe', currency: 'USD', receive: { mode: 'address', address: SHOP_ADDRESS }, ...given(merchant) }
  const local: ChainConfig = {
    chainId: 31337,
    name: 'Local',
    testnet: true,
    rpcUrls: [NOWHERE],
    tokens: [{ symbol: 'USDC', address: USDC6, decimals: 6 }],
    ...given(chain),
  }
  return {
    ...rest,
    merchants: [...(shop ? [shop] : []), ...otherMerchants],
    apiKeys: keys.map((key) => (typeof key === 'string' ? { key, merchantId: shop?.id ?? MERCHANT_ID } : key)),
    chains: [local, ...otherChains],
  }
}

/**
 * Puts the config's shops and chains straight into an engine, as the
 * settings screens would. Unlike applyConfig it leaves the other networks
 * switched on, and it needs no API keys.
 */
export function seedEngine(engine: Pick<Engine, 'merchants' | 'networks'>, config: Pick<ShopConfig, 'merchants' | 'chains'>): void {
  for (const merchant of config.merchants) engine.merchants.upsert(merchant)
  for (const chain of config.chains) engine.networks.update(chain)
}
