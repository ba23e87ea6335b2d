// Built-in network registry, transcribed from /work/shared/CHAINS.md (verified
// against Circle's USDC list, viem, the Aave address book and Uniswap's list).
// A wrong address means payments are never seen; a wrong `decimals` means the
// wrong amount is asked for — so the test suite pins every entry.

export type HexAddress = `0x${string}`

export interface BuiltinToken {
  readonly symbol: string
  readonly address: HexAddress
  readonly decimals: number
}

export interface BuiltinChain {
  readonly chainId: number
  readonly name: string
  readonly shortName?: string
  readonly testnet: boolean
  readonly blockTimeMs: number
  /** Public defaults only; the owner can replace or add to them. */
  readonly rpcUrls: readonly string[]
  readonly wsUrls: readonly string[]
  readonly explorerUrl: string
  /**
   * Blocks that must exist from the payment's block to the tip, inclusive,
   * before the sale is shown as paid: 1 = "included in a block".
   */
  readonly confirmations: number
  /** Colour of the network dot in the UI. */
  readonly color: string
  readonly tokens: readonly BuiltinToken[]
}

// Confirmation defaults are chosen for a shop counter: the customer waits,
// so the goal is "reorg would be exceptional", not settlement-grade finality.
// - Ethereum 2: post-merge reorgs deeper than one block are essentially
//   unseen; a second block (~24 s total) covers the one-block case.
// - Polygon PoS 5: historically the most reorg-prone chain here (multi-block
//   reorgs happened); 5 blocks is still only ~10 s.
// - BNB Smart Chain 3: short reorgs do occur among its validator set; three
//   0.75 s blocks cost ~2 s.
// - Base, OP, Arbitrum: 1. The sequencer orders transactions; an L2 block is
//   only undone if the sequencer itself misbehaves, which waiting a few
//   blocks would not protect against anyway.
// - Avalanche C-Chain 1: Snowman consensus makes an accepted block final.
// - Testnets mirror their mainnet so a rehearsal behaves like the real sale.
const ETHEREUM_CONFIRMATIONS = 2
const POLYGON_CONFIRMATIONS = 5
const BNB_CONFIRMATIONS = 3
const DEFAULT_CONFIRMATIONS = 1

export const BUILTIN_CHAINS: readonly BuiltinChain[] = deepFreeze([
  {
    chainId: 1,
    name: 'Ethereum',
    shortName: 'ETH',
    testnet: false,
    blockTimeMs: 12_000,
    rpcUrls: ['https://ethereum-rpc.publicnode.com'],
    wsUrls: [],
    explorerUrl: 'https://etherscan.io',
    confirmations: ETHEREUM_CONFIRMATIONS,
    color: '#627EEA',
    tokens: [
      { symbol: 'USDC', address: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', decimals: 6 },
      // USDT's `transfer` returns no bool; irrelevant for watching Transfer logs.
      { symbol: 'USDT', address: '0xdAC17F958D2ee523a2206206994597C13D831ec7', decimals: 6 },
    ],
  },
  {
    chainId: 8453,
    name: 'Base',
    shortName: 'Base',
    testnet: false,
    blockTimeMs: 2_000,
    rpcUrls: ['https://mainnet.base.org'],
    wsUrls: [],
    explorerUrl: 'https://basescan.org',
    confirmations: DEFAULT_CONFIRMATIONS,
    color: '#0052FF',
    // No official USDT on Base; the bridged USDbC is deliberately not listed.
    tokens: [{ symbol: 'USDC', address: '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', decimals: 6 }],
  },
  {
    chainId: 137,
    name: 'Polygon PoS',
    shortName: 'Polygon',
    testnet: false,
    blockTimeMs: 2_000,
    rpcUrls: ['https://polygon-bor-rpc.publicnode.com'],
    wsUrls: [],
    explorerUrl: 'https://polygonscan.com',
    confirmations: POLYGON_CONFIRMATIONS,
    color: '#8247E5',
    tokens: [
      // Native USDC, not the bridged USDC.e at 0x2791…4174.
      { symbol: 'USDC', address: '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359', decimals: 6 },
      // Now USDT0 under the same address.
      { symbol: 'USDT', address: '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', decimals: 6 },
    ],
  },
  {
    chainId: 42161,
    name: 'Arbitrum One',
    shortName: 'Arbitrum',
    testnet: false,
    blockTimeMs: 250,
    rpcUrls: ['https://arb1.arbitrum.io/rpc'],
    wsUrls: [],
    explorerUrl: 'https://arbiscan.io',
    confirmations: DEFAULT_CONFIRMATIONS,
    color: '#28A0F0',
    tokens: [
      { symbol: 'USDC', address: '0xaf88d065e77c8cC2239327C5EDb3A432268e5831', decimals: 6 },
      { symbol: 'USDT', address: '0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9', decimals: 6 },
    ],
  },
  {
    chainId: 10,
    name: 'OP Mainnet',
    shortName: 'OP',
    testnet: false,
    blockTimeMs: 2_000,
    rpcUrls: ['https://mainnet.optimism.io'],
    wsUrls: [],
    explorerUrl: 'https://optimistic.etherscan.io',
    confirmations: DEFAULT_CONFIRMATIONS,
    color: '#FF0420',
    tokens: [
      { symbol: 'USDC', address: '0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85', decimals: 6 },
      // USDT0, not the old bridged USDT at 0x94b0…8e58.
      { symbol: 'USDT0', address: '0x01bFF41798a0BcF287b996046Ca68b395DbC1071', decimals: 6 },
    ],
  },
  {
    chainId: 56,
    name: 'BNB Smart Chain',
    shortName: 'BNB',
    testnet: false,
    blockTimeMs: 750,
    rpcUrls: ['https://bsc-dataseed1.binance.org'],
    wsUrls: [],
    explorerUrl: 'https://bscscan.com',
    confirmations: BNB_CONFIRMATIONS,
    color: '#F0B90B',
    // Binance-Peg tokens use 18 decimals, unlike every other chain here.
    tokens: [
      { symbol: 'USDT', address: '0x55d398326f99059fF775485246999027B3197955', decimals: 18 },
      { symbol: 'USDC', address: '0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d', decimals: 18 },
    ],
  },
  {
    chainId: 43114,
    name: 'Avalanche C-Chain',
    shortName: 'Avalanche',
    testnet: false,
    blockTimeMs: 2_000,
    rpcUrls: ['https://api.avax.network/ext/bc/C/rpc'],
    wsUrls: [],
    explorerUrl: 'https://snowtrace.io',
    confirmations: DEFAULT_CONFIRMATIONS,
    color: '#E84142',
    tokens: [
      { symbol: 'USDC', address: '0xB97EF9Ef8734C71904D8002F8b6Bc66Dd9c48a6E', decimals: 6 },
      { symbol: 'USDT', address: '0x9702230A8Ea53601f5cD2dc00fDBc13d4dF4A8c7', decimals: 6 },
    ],
  },
  // Testnets: Circle test USDC only; no testnet has an official USDT.
  {
    chainId: 11155111,
    name: 'Sepolia',
    shortName: 'Sepolia',
    testnet: true,
    blockTimeMs: 12_000,
    rpcUrls: ['https://ethereum-sepolia-rpc.publicnode.com'],
    wsUrls: [],
    explorerUrl: 'https://sepolia.etherscan.io',
    confirmations: ETHEREUM_CONFIRMATIONS,
    color: '#627EEA',
    tokens: [{ symbol: 'USDC', address: '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238', decimals: 6 }],
  },
  {
    chainId: 84532,
    name: 'Base Sepolia',
    shortName: 'Base Sepolia',
    testnet: true,
    blockTimeMs: 2_000,
    rpcUrls: ['https://sepolia.base.org'],
    wsUrls: [],
    explorerUrl: 'https://sepolia.basescan.org',
    confirmations: DEFAULT_CONFIRMATIONS,
    color: '#0052FF',
    tokens: [{ symbol: 'USDC', address: '0x036CbD53842c5426634e7929541eC2318f3dCF7e', decimals: 6 }],
  },
  {
    chainId: 80002,
    name: 'Polygon Amoy',
    shortName: 'Amoy',
    testnet: true,
    blockTimeMs: 2_000,
    rpcUrls: ['https://polygon-amoy-bor-rpc.publicnode.com'],
    wsUrls: [],
    explorerUrl: 'https://amoy.polygonscan.com',
    confirmations: POLYGON_CONFIRMATIONS,
    color: '#8247E5',
    tokens: [{ symbol: 'USDC', address: '0x41E94Eb019C0762f9Bfcf9Fb1E58725BfB0e7582', decimals: 6 }],
  },
  {
    chainId: 421614,
    name: 'Arbitrum Sepolia',
    shortName: 'Arb Sepolia',
    testnet: true,
    blockTimeMs: 250,
    rpcUrls: ['https://sepolia-rollup.arbitrum.io/rpc'],
    wsUrls: [],
    explorerUrl: 'https://sepolia.arbiscan.io',
    confirmations: DEFAULT_CONFIRMATIONS,
    color: '#28A0F0',
    tokens: [{ symbol: 'USDC', address: '0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d', decimals: 6 }],
  },
] satisfies BuiltinChain[])

const BY_ID: ReadonlyMap<number, BuiltinChain> = new Map(BUILTIN_CHAINS.map((c) => [c.chainId, c]))

export function findBuiltinChain(chainId: number): BuiltinChain | undefined {
  return BY_ID.get(chainId)
}

// The registry is shared by every caller in the process; freezing it turns an
// accidental `chain.tokens.push(...)` into an error instead of a silent edit
// that every later lookup would see.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
