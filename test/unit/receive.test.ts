import { createHash, pbkdf2Sync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { getAddress } from 'viem'
import { HDKey, mnemonicToAccount } from 'viem/accounts'
import { buildPaymentUri, deriveAddress, parsePaymentUri, parseXpub } from '../../src-main/engine/receive'
import { ANVIL_ADDRESSES, ANVIL_MNEMONIC, ANVIL_XPUB } from './fixtures-xpub'

const USDC_BASE = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913'
const SHOP = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const MAX_UINT256 = 2n ** 256n - 1n

// BIP-39 seed = PBKDF2-HMAC-SHA512(NFKD mnemonic, "mnemonic" + passphrase,
// 2048 rounds); done with node:crypto so the test needs no bip39 import.
const seed = pbkdf2Sync(ANVIL_MNEMONIC.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512')
const root = HDKey.fromMasterSeed(seed)
const changeLevel = root.derive("m/44'/60'/0'/0")

// --- base58check helpers for crafting malformed keys -----------------------
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest()

function b58decode(s: string): Uint8Array {
  let n = 0n
  for (const ch of s) n = n * 58n + BigInt(ALPHABET.indexOf(ch))
  const hex = n.toString(16)
  const body = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')
  let zeros = 0
  while (s[zeros] === '1') zeros++
  return Buffer.concat([Buffer.alloc(zeros), body])
}

function b58checkEncode(payload: Uint8Array): string {
  const data = Buffer.concat([payload, sha256(sha256(payload)).subarray(0, 4)])
  let n = BigInt(`0x${data.toString('hex') || '0'}`)
  let out = ''
  while (n > 0n) {
    out = (ALPHABET[Number(n % 58n)] ?? '') + out
    n /= 58n
  }
  for (const b of data) {
    if (b !== 0) break
    out = `1${out}`
  }
  return out
}

/** The 78-byte payload of ANVIL_XPUB, to mutate and re-encode. */
function anvilPayload(): Buffer {
  return Buffer.from(b58decode(ANVIL_XPUB).subarray(0, 78))
}

function expectFail(input: string, pattern: RegExp | string): void {
  const r = parseXpub(input)
  expect(r.ok, `should reject: ${input}`).toBe(false)
  if (!r.ok) {
    if (typeof pattern === 'string') expect(r.message).toBe(pattern)
    else expect(r.message).toMatch(pattern)
  }
}

const PRIVATE_MESSAGE =
  'this is a PRIVATE key (xprv); paste the extended PUBLIC key (xpub) — the app never holds private keys'

describe('EIP-681 payment URI', () => {
  it('has exactly the documented shape', () => {
    expect(buildPaymentUri({ chainId: 8453, tokenAddress: USDC_BASE, to: SHOP, amountBaseUnits: 12_340_000n })).toBe(
      `ethereum:${USDC_BASE}@8453/transfer?address=${SHOP}&uint256=12340000`,
    )
  })

  it('checksums lowercase addresses and writes huge amounts in plain decimal', () => {
    const uri = buildPaymentUri({
      chainId: 56,
      tokenAddress: '0x55d398326f99059ff775485246999027b3197955',
      to: SHOP.toLowerCase(),
      amountBaseUnits: 10n ** 30n,
    })
    expect(uri).toBe(
      `ethereum:0x55d398326f99059fF775485246999027B3197955@56/transfer?address=${SHOP}&uint256=1000000000000000000000000000000`,
    )
    expect(uri).not.toMatch(/e\+|value=/i)
  })

  it('refuses to build a bad request', () => {
    const ok = { chainId: 1, tokenAddress: USDC_BASE, to: SHOP, amountBaseUnits: 1n }
    expect(() => buildPaymentUri({ ...ok, amountBaseUnits: 0n })).toThrow(/positive/)
    expect(() => buildPaymentUri({ ...ok, amountBaseUnits: -5n })).toThrow(/positive/)
    expect(() => buildPaymentUri({ ...ok, amountBaseUnits: MAX_UINT256 + 1n })).toThrow(/uint256/)
    expect(() => buildPaymentUri({ ...ok, chainId: 0 })).toThrow(/chain id/)
    expect(() => buildPaymentUri({ ...ok, chainId: 1.5 })).toThrow(/chain id/)
    expect(() => buildPaymentUri({ ...ok, to: '0x1234' })).toThrow(/recipient/)
    expect(() => buildPaymentUri({ ...ok, to: `0x${'0'.repeat(40)}` })).toThrow(/zero address/)
    const badSum = SHOP.replace('F', 'f')
    expect(() => buildPaymentUri({ ...ok, to: badSum })).toThrow(/checksum/)
  })

  it('parses what it builds', () => {
    expect(parsePaymentUri(`ethereum:${USDC_BASE}@8453/transfer?address=${SHOP}&uint256=12340000`)).toEqual({
      chainId: 8453,
      tokenAddress: USDC_BASE,
      to: SHOP,
      amountBaseUnits: 12_340_000n,
    })
  })

  it('rejects anything else', () => {
    const good = `ethereum:${USDC_BASE}@8453/transfer?address=${SHOP}&uint256=12340000`
    expect(() => parsePaymentUri(good)).not.toThrow()
    for (const bad of [
      '',
      `ethereum:${USDC_BASE}/transfer?address=${SHOP}&uint256=12340000`, // no chain id
      `ethereum:${USDC_BASE}@8453/transfer?address=${SHOP}&value=12340000`,
      `ethereum:${USDC_BASE}@8453/transfer?address=${SHOP}&uint256=1.234e7`,
      `ethereum:${USDC_BASE}@8453/transfer?address=${SHOP}&uint256=012340000`,
      `ethereum:${USDC_BASE}@8453/transfer?address=${SHOP}&uint256=0`,
      `ethereum:${USDC_BASE}@8453/transfer?address=${SHOP}&uint256=${MAX_UINT256 + 1n}`,
      `ethereum:${USDC_BASE}@8453/transfer?uint256=12340000&address=${SHOP}`,
      `ethereum:${USDC_BASE}@8453/transfer?address=${SHOP}&uint256=12340000&gas=1`,
      `ethereum:${USDC_BASE}@0/transfer?address=${SHOP}&uint256=12340000`,
      `ethereum:${USDC_BASE}@99999999999999999/transfer?address=${SHOP}&uint256=1`,
      `ethereum:${USDC_BASE}@8453/approve?address=${SHOP}&uint256=12340000`,
      `ethereum:pay-${USDC_BASE}@8453/transfer?address=${SHOP}&uint256=12340000`,
      `ethereum:${USDC_BASE.toLowerCase()}@8453/transfer?address=${SHOP}&uint256=12340000`,
      `ethereum:${USDC_BASE}@8453/transfer?address=${SHOP.toLowerCase()}&uint256=12340000`,
      `ethereum:${USDC_BASE}@8453/transfer?address=0x${'0'.repeat(40)}&uint256=12340000`,
      `ETHEREUM:${USDC_BASE}@8453/transfer?address=${SHOP}&uint256=12340000`,
      ` ${good}`,
      `${good}\n`,
      SHOP,
    ]) {
      expect(() => parsePaymentUri(bad), bad).toThrow()
    }
  })

  it('round-trips random addresses, chain ids and amounts up to 2^256-1 (property)', () => {
    const address = fc
      .uint8Array({ minLength: 20, maxLength: 20 })
      .filter((b) => b.some((x) => x !== 0))
      .map((b) => getAddress(`0x${Buffer.from(b).toString('hex')}`))
    const amount = fc.oneof(
      fc.bigInt({ min: 1n, max: MAX_UINT256 }),
      fc.bigInt({ min: 1n, max: 10n ** 24n }),
      fc.constantFrom(1n, MAX_UINT256, 10n ** 6n, 10n ** 18n),
    )
    const chainId = fc.oneof(fc.integer({ min: 1, max: 2 ** 32 }), fc.constantFrom(1, 10, 56, 137, 8453, 11155111))
    fc.assert(
      fc.property(chainId, address, address, amount, (id, token, to, amountBaseUnits) => {
        const uri = buildPaymentUri({ chainId: id, tokenAddress: token.toLowerCase(), to, amountBaseUnits })
        expect(uri).toMatch(/^ethereum:0x[0-9a-fA-F]{40}@[0-9]+\/transfer\?address=0x[0-9a-fA-F]{40}&uint256=[0-9]+$/)
        expect(parsePaymentUri(uri)).toEqual({ chainId: id, tokenAddress: token, to, amountBaseUnits })
      }),
      { numRuns: 500 },
    )
  })
})

describe('parseXpub', () => {
  it("the fixture ANVIL_XPUB is the m/44'/60'/0'/0 key of the anvil mnemonic", () => {
    expect(changeLevel.publicExtendedKey).toBe(ANVIL_XPUB)
  })

  it('accepts the anvil xpub and reports its first address', () => {
    const r = parseXpub(ANVIL_XPUB)
    expect(r).toEqual({
      ok: true,
      xpub: ANVIL_XPUB,
      depth: 4,
      network: 'mainnet',
      childIndex: 0,
      parentFingerprint: changeLevel.parentFingerprint,
      firstAddress: ANVIL_ADDRESSES[0],
    })
  })

  it('trims surrounding whitespace', () => {
    const r = parseXpub(`\n  ${ANVIL_XPUB}  \n`)
    expect(r.ok && r.xpub).toBe(ANVIL_XPUB)
  })

  it('accepts a tpub of the same key', () => {
    const payload = anvilPayload()
    payload.writeUInt32BE(0x043587cf, 0)
    const tpub = b58checkEncode(payload)
    expect(tpub.startsWith('tpub')).toBe(true)
    const r = parseXpub(tpub)
    expect(r.ok && r.network).toBe('testnet')
    expect(deriveAddress(tpub, 1)).toBe(ANVIL_ADDRESSES[1])
  })

  it('rejects empty input', () => {
    expectFail('', /^not a valid xpub: nothing was entered/)
    expectFail('   \n', /^not a valid xpub: nothing was entered/)
  })

  it('rejects a flipped character with a checksum mismatch', () => {
    // Change one character in the middle (base58 alphabet, so it still decodes).
    const i = 60
    const flipped = `${ANVIL_XPUB.slice(0, i)}${ANVIL_XPUB[i] === 'A' ? 'B' : 'A'}${ANVIL_XPUB.slice(i + 1)}`
    expectFail(flipped, /^not a valid xpub: checksum mismatch/)
    expectFail(ANVIL_XPUB.slice(0, -1), /^not a valid xpub: checksum mismatch/)
  })

  it('refuses private keys loudly without echoing them', () => {
    const xprv = changeLevel.privateExtendedKey
    expect(xprv.startsWith('xprv')).toBe(true)
    for (const input of [xprv, `${xprv.slice(0, -1)}x`, ` ${xprv}`]) {
      const r = parseXpub(input)
      expect(r).toEqual({ ok: false, message: PRIVATE_MESSAGE })
    }
    // Private key data under a public version: caught by the key byte.
    const payload = Buffer.from(b58decode(xprv).subarray(0, 78))
    payload.writeUInt32BE(0x0488b21e, 0)
    expectFail(b58checkEncode(payload), PRIVATE_MESSAGE)
    // tprv is named as such.
    payload.writeUInt32BE(0x04358394, 0)
    const tprv = b58checkEncode(payload)
    expect(tprv.startsWith('tprv')).toBe(true)
    expectFail(tprv, /^this is a PRIVATE key \(tprv\)/)
  })

  it('rejects the wrong depth, saying what was found and what is expected', () => {
    expectFail(root.publicExtendedKey, /depth 0 \(the master key\).*expected depth 4.*m\/44'\/60'\/0'\/0/)
    expectFail(root.derive("m/44'/60'/0'").publicExtendedKey, /depth 3 .*m\/44'\/60'\/0'\).*expected depth 4/)
    expectFail(root.derive("m/44'/60'/0'/0/0").publicExtendedKey, /depth 5 .*expected depth 4/)
  })

  it('rejects garbage', () => {
    expectFail('hello world', /^not a valid xpub: contains characters/)
    expectFail('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', /^not a valid xpub: contains characters/)
    expectFail('xpub', /^not a valid xpub: far too short/)
    expectFail('1111', /^not a valid xpub: far too short/)
    expectFail(`${ANVIL_XPUB}${ANVIL_XPUB}`, /^not a valid xpub: far too long/)
    expectFail(ANVIL_MNEMONIC, /^not a valid xpub/)
  })

  it('rejects a valid checksum over the wrong length', () => {
    expectFail(b58checkEncode(anvilPayload().subarray(0, 77)), 'not a valid xpub: decodes to 77 bytes, expected 78')
    expectFail(b58checkEncode(Buffer.concat([anvilPayload(), Buffer.from([0])])), /decodes to 79 bytes/)
  })

  it('rejects other version bytes (ypub/zpub)', () => {
    const payload = anvilPayload()
    payload.writeUInt32BE(0x04b24746, 0)
    const zpub = b58checkEncode(payload)
    expect(zpub.startsWith('zpub')).toBe(true)
    expectFail(zpub, /unsupported version bytes 0x04b24746/)
  })

  it('rejects a public key that is not a valid secp256k1 point', () => {
    const payload = anvilPayload()
    payload[45] = 0x04
    expectFail(b58checkEncode(payload), /not a compressed secp256k1 key/)
    // x = p (outside the field).
    const p = 2n ** 256n - 2n ** 32n - 977n
    Buffer.from(p.toString(16), 'hex').copy(payload, 46)
    payload[45] = 0x02
    expectFail(b58checkEncode(payload), /not a valid secp256k1 point/)
    // An x with no y on the curve: x^3 + 7 is a non-residue (Euler's criterion).
    const modPow = (b: bigint, e: bigint): bigint => {
      let r = 1n
      for (b %= p; e > 0n; e >>= 1n, b = (b * b) % p) if (e & 1n) r = (r * b) % p
      return r
    }
    let x = 1n
    while (modPow((x ** 3n + 7n) % p, (p - 1n) / 2n) === 1n) x++
    Buffer.from(x.toString(16).padStart(64, '0'), 'hex').copy(payload, 46)
    expectFail(b58checkEncode(payload), /not a valid secp256k1 point/)
  })
})

describe('deriveAddress', () => {
  it('derives the anvil accounts from the hard-coded and the re-derived xpub', () => {
    for (const xpub of [ANVIL_XPUB, changeLevel.publicExtendedKey]) {
      expect(deriveAddress(xpub, 0)).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
      expect(deriveAddress(xpub, 1)).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')
    }
  })

  it('matches viem mnemonicToAccount for random indices, including the top of the range (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 50 })), (i) => {
        expect(deriveAddress(ANVIL_XPUB, i)).toBe(mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }).address)
      }),
      { numRuns: 25 },
    )
    expect(deriveAddress(ANVIL_XPUB, 2 ** 31 - 1)).toBe(
      mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 2 ** 31 - 1 }).address,
    )
  })

  it('returns EIP-55 checksummed addresses', () => {
    const a = deriveAddress(ANVIL_XPUB, 7)
    expect(getAddress(a)).toBe(a)
  })

  it('refuses out-of-range or hardened indices', () => {
    for (const i of [-1, 2 ** 31, 2 ** 32, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => deriveAddress(ANVIL_XPUB, i), String(i)).toThrow(RangeError)
    }
  })

  it('refuses an invalid xpub with the parseXpub message', () => {
    expect(() => deriveAddress(root.publicExtendedKey, 0)).toThrow(/expected depth 4/)
    expect(() => deriveAddress(changeLevel.privateExtendedKey, 0)).toThrow(/PRIVATE key/)
    expect(() => deriveAddress('', 0)).toThrow(/not a valid xpub/)
  })
})
