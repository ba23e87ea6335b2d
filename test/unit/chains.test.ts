import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { getAddress } from 'viem'
import {
  BUILTIN_CHAINS,
  explorerAddressUrl,
  explorerTxUrl,
  findBuiltinChain,
  validateAddress,
  validateRpcUrl,
  validateWsUrl,
} from '../../src-main/engine/chains'

// An independent transcription of /work/shared/CHAINS.md: a typo in either
// copy fails the test instead of silently watching the wrong contract.
const EXPECTED: readonly {
  chainId: number
  name: string
  testnet: boolean
  blockTimeMs: number
  rpc: string
  explorer: string
  color: string
  tokens: readonly [string, string, number][]
}[] = [
  {
    chainId: 1,
    name: 'Ethereum',
    testnet: false,
    blockTimeMs: 12000,
    rpc: 'https://ethereum-rpc.publicnode.com',
    explorer: 'https://etherscan.io',
    color: '#627EEA',
    tokens: [
      ['USDC', '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48', 6],
      ['USDT', '0xdAC17F958D2ee523a2206206994597C13D831ec7', 6],
    ],
  },
  {
    chainId: 8453,
    name: 'Base',
    testnet: false,
    blockTimeMs: 2000,
    rpc: 'https://mainnet.base.org',
    explorer: 'https://basescan.org',
    color: '#0052FF',
    tokens: [['USDC', '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', 6]],
  },
  {
    chainId: 137,
    name: 'Polygon PoS',
    testnet: false,
    blockTimeMs: 2000,
    rpc: 'https://polygon-bor-rpc.publicnode.com',
    explorer: 'https://polygonscan.com',
    color: '#8247E5',
    tokens: [
      ['USDC', '0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359', 6],
      ['USDT', '0xc2132D05D31c914a87C6611C10748AEb04B58e8F', 6],
    ],
  },
  {
    chainId: 42161,
    name: 'Arbitrum One',
    testnet: false,
    blockTimeMs: 250,
    rpc: 'https://arb1.arbitrum.io/rpc',
    explorer: 'https://arbiscan.io',
    color: '#28A0F0',
    tokens: [
      ['USDC', '0xaf88d065e77c8cC2239327C5EDb3A432268e5831', 6],
      ['USDT', '0xFd086bC7CD5C481DCC9C85ebE478A1C0b69FCbb9', 6],
    ],
  },
  {
    chainId: 10,
    name: 'OP Mainnet',
    testnet: false,
    blockTimeMs: 2000,
    rpc: 'https://mainnet.optimism.io',
    explorer: 'https://optimistic.etherscan.io',
    color: '#FF0420',
    tokens: [
      ['USDC', '0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85', 6],
      ['USDT0', '0x01bFF41798a0BcF287b996046Ca68b395DbC1071', 6],
    ],
  },
  {
    chainId: 56,
    name: 'BNB Smart Chain',
    testnet: false,
    blockTimeMs: 750,
    rpc: 'https://bsc-dataseed1.binance.org',
    explorer: 'https://bscscan.com',
    color: '#F0B90B',
    tokens: [
      ['USDT', '0x55d398326f99059fF775485246999027B3197955', 18],
      ['USDC', '0x8AC76a51cc950d9822D68b83fE1Ad97B32Cd580d', 18],
    ],
  },
  {
    chainId: 43114,
    name: 'Avalanche C-Chain',
    testnet: false,
    blockTimeMs: 2000,
    rpc: 'https://api.avax.network/ext/bc/C/rpc',
    explorer: 'https://snowtrace.io',
    color: '#E84142',
    tokens: [
      ['USDC', '0xB97EF9Ef8734C71904D8002F8b6Bc66Dd9c48a6E', 6],
      ['USDT', '0x9702230A8Ea53601f5cD2dc00fDBc13d4dF4A8c7', 6],
    ],
  },
  {
    chainId: 11155111,
    name: 'Sepolia',
    testnet: true,
    blockTimeMs: 12000,
    rpc: 'https://ethereum-sepolia-rpc.publicnode.com',
    explorer: 'https://sepolia.etherscan.io',
    color: '#627EEA',
    tokens: [['USDC', '0x1c7D4B196Cb0C7B01d743Fbc6116a902379C7238', 6]],
  },
  {
    chainId: 84532,
    name: 'Base Sepolia',
    testnet: true,
    blockTimeMs: 2000,
    rpc: 'https://sepolia.base.org',
    explorer: 'https://sepolia.basescan.org',
    color: '#0052FF',
    tokens: [['USDC', '0x036CbD53842c5426634e7929541eC2318f3dCF7e', 6]],
  },
  {
    chainId: 80002,
    name: 'Polygon Amoy',
    testnet: true,
    blockTimeMs: 2000,
    rpc: 'https://polygon-amoy-bor-rpc.publicnode.com',
    explorer: 'https://amoy.polygonscan.com',
    color: '#8247E5',
    tokens: [['USDC', '0x41E94Eb019C0762f9Bfcf9Fb1E58725BfB0e7582', 6]],
  },
  {
    chainId: 421614,
    name: 'Arbitrum Sepolia',
    testnet: true,
    blockTimeMs: 250,
    rpc: 'https://sepolia-rollup.arbitrum.io/rpc',
    explorer: 'https://sepolia.arbiscan.io',
    color: '#28A0F0',
    tokens: [['USDC', '0x75faf114eafb1BDbe2F0316DF893fd58CE46AA4d', 6]],
  },
]

const EXPECTED_CONFIRMATIONS: Record<number, number> = {
  1: 2,
  8453: 1,
  137: 5,
  42161: 1,
  10: 1,
  56: 3,
  43114: 1,
  11155111: 2,
  84532: 1,
  80002: 5,
  421614: 1,
}

// Old bridged tokens must never be listed as if they were the real thing.
const BRIDGED = [
  '0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174', // Polygon USDC.e
  '0xFF970A61A04b1cA14834A43f5dE4533eBDDB5CC8', // Arbitrum USDC.e
  '0x7F5c764cBc14f9669B88837ca1490cCa17c31607', // OP USDC.e
  '0xd9aAEc86B65D86f6A7B5B1b0c42FFA531710b6CA', // Base USDbC
  '0x94b008aA00579c1307B0EF2c499aD98a8ce58e58', // OP bridged USDT
]

describe('BUILTIN_CHAINS', () => {
  it('lists exactly the 11 verified networks, in the documented order', () => {
    expect(BUILTIN_CHAINS.map((c) => c.chainId)).toEqual(EXPECTED.map((c) => c.chainId))
  })

  for (const want of EXPECTED) {
    it(`${want.name} (${want.chainId}) matches CHAINS.md`, () => {
      const chain = findBuiltinChain(want.chainId)
      expect(chain).toBeDefined()
      if (!chain) return
      expect(chain.name).toBe(want.name)
      expect(chain.testnet).toBe(want.testnet)
      expect(chain.blockTimeMs).toBe(want.blockTimeMs)
      expect(chain.rpcUrls).toEqual([want.rpc])
      expect(chain.wsUrls).toEqual([])
      expect(chain.explorerUrl).toBe(want.explorer)
      expect(chain.color).toBe(want.color)
      expect(chain.confirmations).toBe(EXPECTED_CONFIRMATIONS[want.chainId])
      expect(chain.tokens.map((t) => [t.symbol, t.address, t.decimals])).toEqual(want.tokens)
    })
  }

  it('has EIP-55 checksummed token addresses, unique per chain', () => {
    for (const chain of BUILTIN_CHAINS) {
      for (const t of chain.tokens) expect(getAddress(t.address)).toBe(t.address)
      expect(new Set(chain.tokens.map((t) => t.address)).size).toBe(chain.tokens.length)
      expect(new Set(chain.tokens.map((t) => t.symbol)).size).toBe(chain.tokens.length)
    }
  })

  it('does not list old bridged tokens', () => {
    const all = BUILTIN_CHAINS.flatMap((c) => c.tokens.map((t) => t.address.toLowerCase()))
    for (const b of BRIDGED) expect(all).not.toContain(b.toLowerCase())
  })

  it('has no USDT on any testnet and 18-decimal tokens only on BNB Chain', () => {
    for (const chain of BUILTIN_CHAINS) {
      if (chain.testnet) expect(chain.tokens.map((t) => t.symbol)).toEqual(['USDC'])
      for (const t of chain.tokens) expect(t.decimals).toBe(chain.chainId === 56 ? 18 : 6)
    }
  })

  it('has sane per-chain fields', () => {
    for (const chain of BUILTIN_CHAINS) {
      expect(chain.color).toMatch(/^#[0-9A-F]{6}$/)
      expect(chain.confirmations).toBeGreaterThanOrEqual(1)
      for (const url of chain.rpcUrls) expect(validateRpcUrl(url)).toEqual({ ok: true, url })
      expect(chain.explorerUrl).toMatch(/^https:\/\/[^/]+$/)
    }
    expect(new Set(BUILTIN_CHAINS.map((c) => c.chainId)).size).toBe(BUILTIN_CHAINS.length)
  })

  it('is frozen so no caller can edit the shared registry', () => {
    const eth = findBuiltinChain(1)
    expect(Object.isFrozen(BUILTIN_CHAINS)).toBe(true)
    expect(Object.isFrozen(eth)).toBe(true)
    expect(Object.isFrozen(eth?.tokens)).toBe(true)
    expect(Object.isFrozen(eth?.tokens[0])).toBe(true)
  })
})

describe('findBuiltinChain', () => {
  it('finds by id and returns undefined for unknown ids', () => {
    expect(findBuiltinChain(56)?.name).toBe('BNB Smart Chain')
    expect(findBuiltinChain(31337)).toBeUndefined()
    expect(findBuiltinChain(0)).toBeUndefined()
  })
})

describe('validateAddress', () => {
  const CHECKSUMMED = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
  const FORMAT = 'not a valid address: must be 0x followed by 40 hex characters'

  it('accepts a checksummed address as is', () => {
    expect(validateAddress(CHECKSUMMED)).toEqual({ ok: true, address: CHECKSUMMED })
  })

  it('accepts all-lowercase and all-uppercase hex and returns it checksummed', () => {
    expect(validateAddress(CHECKSUMMED.toLowerCase())).toEqual({ ok: true, address: CHECKSUMMED })
    expect(validateAddress(`0x${CHECKSUMMED.slice(2).toUpperCase()}`)).toEqual({ ok: true, address: CHECKSUMMED })
  })

  it('trims pasted whitespace', () => {
    expect(validateAddress(`  ${CHECKSUMMED}\n`)).toEqual({ ok: true, address: CHECKSUMMED })
  })

  it('rejects mixed case that fails EIP-55', () => {
    // Flip the case of one letter: the first 'F' becomes 'f'.
    const bad = CHECKSUMMED.replace('F', 'f')
    expect(bad).not.toBe(CHECKSUMMED)
    expect(validateAddress(bad)).toEqual({ ok: false, message: 'not a valid address: checksum mismatch' })
  })

  it('rejects malformed input', () => {
    for (const input of [
      '',
      '   ',
      '0x',
      CHECKSUMMED.slice(2),
      CHECKSUMMED.slice(0, -1),
      `${CHECKSUMMED}0`,
      `0X${CHECKSUMMED.slice(2)}`,
      `0x${'g'.repeat(40)}`,
      'vitalik.eth',
      `${CHECKSUMMED.slice(0, 20)} ${CHECKSUMMED.slice(21)}`,
    ]) {
      expect(validateAddress(input), input).toEqual({ ok: false, message: FORMAT })
    }
  })

  it('rejects the zero address', () => {
    expect(validateAddress(`0x${'0'.repeat(40)}`)).toEqual({
      ok: false,
      message: 'not a valid address: the zero address cannot receive payments',
    })
  })

  it('accepts any non-zero address in lowercase, uppercase or checksummed form (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        fc.pre(bytes.some((b) => b !== 0))
        const lower = `0x${Buffer.from(bytes).toString('hex')}`
        const sum = getAddress(lower)
        for (const form of [lower, sum, `0x${lower.slice(2).toUpperCase()}`]) {
          expect(validateAddress(form)).toEqual({ ok: true, address: sum })
        }
      }),
    )
  })
})

describe('validateRpcUrl / validateWsUrl', () => {
  it('accepts http(s) for RPC, including a local node', () => {
    for (const url of ['https://mainnet.base.org', 'http://127.0.0.1:8545', 'https://rpc.example.com/v2/abcDEF123']) {
      expect(validateRpcUrl(url)).toEqual({ ok: true, url })
    }
    expect(validateRpcUrl('  https://mainnet.base.org\n')).toEqual({ ok: true, url: 'https://mainnet.base.org' })
  })

  it('accepts ws(s) for WebSocket', () => {
    for (const url of ['wss://ethereum-rpc.publicnode.com', 'ws://127.0.0.1:8545']) {
      expect(validateWsUrl(url)).toEqual({ ok: true, url })
    }
  })

  it('points a URL of the other kind to the right field', () => {
    const rpc = validateRpcUrl('wss://ethereum-rpc.publicnode.com')
    expect(rpc.ok).toBe(false)
    if (!rpc.ok) expect(rpc.message).toMatch(/WebSocket URL/)
    const ws = validateWsUrl('https://mainnet.base.org')
    expect(ws.ok).toBe(false)
    if (!ws.ok) expect(ws.message).toMatch(/RPC URL/)
  })

  it('rejects garbage, spaces, other schemes and credentials with a plain message', () => {
    for (const input of [
      '',
      'mainnet.base.org',
      'not a url',
      'https://main net.base.org',
      'https://',
      'ftp://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://user:secret@rpc.example.com',
      `https://example.com/${'a'.repeat(3000)}`,
    ]) {
      const r = validateRpcUrl(input)
      expect(r.ok, input).toBe(false)
      if (!r.ok) {
        expect(r.message.length).toBeGreaterThan(5)
        expect(r.message).not.toContain('secret')
      }
    }
    for (const input of ['', 'wss://', 'ws://a b', 'wss://user:pw@example.com', 'example.com']) {
      expect(validateWsUrl(input).ok, input).toBe(false)
    }
  })
})

describe('explorer links', () => {
  const hash = `0x${'ab'.repeat(32)}`
  it('builds tx and address links, tolerating a trailing slash', () => {
    expect(explorerTxUrl('https://etherscan.io', hash)).toBe(`https://etherscan.io/tx/${hash}`)
    expect(explorerTxUrl('https://etherscan.io/', hash)).toBe(`https://etherscan.io/tx/${hash}`)
    expect(explorerAddressUrl('https://basescan.org//', '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toBe(
      'https://basescan.org/address/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
    )
  })
})
