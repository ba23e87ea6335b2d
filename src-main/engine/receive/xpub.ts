import { secp256k1 } from '@noble/curves/secp256k1'
import { base58 } from '@scure/base'
import { sha256 } from 'viem'
import { HDKey, publicKeyToAddress } from 'viem/accounts'

export type HexAddress = `0x${string}`

export type XpubResult =
  | {
      ok: true
      /** The key as pasted, trimmed; this is what gets stored. */
      xpub: string
      depth: number
      network: 'mainnet' | 'testnet'
      /** Child number of this key under its parent (0 for …/0'/0). */
      childIndex: number
      parentFingerprint: number
      /** Child 0, for the owner to compare with the wallet's first address. */
      firstAddress: HexAddress
    }
  | { ok: false; message: string }

// The owner exports m/44'/60'/0'/0 (depth 4); session i pays to child i.
export const EXPECTED_DEPTH = 4
const XPUB_LENGTH = 78

const VERSIONS = {
  mainnet: { public: 0x0488b21e, private: 0x0488ade4 },
  testnet: { public: 0x043587cf, private: 0x04358394 },
} as const

// Private-key version bytes of BIP-32/49/84 (x/y/z, Y/Z, t/u/v prefixes).
// Recognised only to refuse them loudly: a private key must never be stored.
const PRIVATE_VERSIONS: ReadonlyMap<number, string> = new Map([
  [0x0488ade4, 'xprv'],
  [0x04358394, 'tprv'],
  [0x049d7878, 'yprv'],
  [0x04b2430c, 'zprv'],
  [0x0295b005, 'Yprv'],
  [0x02aa7a99, 'Zprv'],
  [0x044a4e28, 'uprv'],
  [0x045f18bc, 'vprv'],
])
const PRIVATE_PREFIX = /^(xprv|tprv|yprv|zprv|Yprv|Zprv|uprv|vprv)/

// An xpub is 111 characters; the bound keeps garbage from costing bigint work.
const MAX_INPUT_LENGTH = 200

/**
 * Validates an extended public key for watch-only address derivation.
 * Messages are shown to the owner as-is and never echo the key, so a pasted
 * private key does not end up in logs or screenshots.
 */
export function parseXpub(input: string): XpubResult {
  const s = input.trim()
  if (s === '') return fail("not a valid xpub: nothing was entered; paste the extended public key of m/44'/60'/0'/0")

  // Checked before anything else so that even a mistyped private key gets the
  // loud refusal rather than a checksum complaint inviting a second attempt.
  const prefix = PRIVATE_PREFIX.exec(s)
  if (prefix) return privateKeyRefusal(prefix[1] ?? 'xprv')

  if (s.length > MAX_INPUT_LENGTH)
    return fail('not a valid xpub: far too long for an extended key (an xpub is 111 characters)')
  const bytes = base58Decode(s)
  if (!bytes) return fail('not a valid xpub: contains characters that cannot appear in an xpub (base58 only)')
  if (bytes.length < 5) return fail('not a valid xpub: far too short for an extended key (an xpub is 111 characters)')

  const payload = bytes.subarray(0, bytes.length - 4)
  const checksum = bytes.subarray(bytes.length - 4)
  const digest = sha256(sha256(payload, 'bytes'), 'bytes')
  if (!checksum.every((b, i) => b === digest[i])) {
    return fail('not a valid xpub: checksum mismatch (a character is wrong or missing)')
  }
  if (payload.length !== XPUB_LENGTH) {
    return fail(`not a valid xpub: decodes to ${payload.length} bytes, expected ${XPUB_LENGTH}`)
  }

  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength)
  const version = view.getUint32(0, false)
  const privateName = PRIVATE_VERSIONS.get(version)
  if (privateName) return privateKeyRefusal(privateName)
  // Key data 0x00 || k is the private-key encoding, whatever the version says.
  if (payload[45] === 0x00) return privateKeyRefusal(version === VERSIONS.testnet.public ? 'tprv' : 'xprv')

  let network: 'mainnet' | 'testnet'
  if (version === VERSIONS.mainnet.public) network = 'mainnet'
  else if (version === VERSIONS.testnet.public) network = 'testnet'
  else {
    return fail(
      `not a valid xpub: unsupported version bytes 0x${version.toString(16).padStart(8, '0')}; ` +
        'expected an xpub (ypub/zpub and other Bitcoin formats are not Ethereum keys)',
    )
  }

  const depth = payload[4] ?? -1
  if (depth !== EXPECTED_DEPTH) {
    return fail(
      `not a valid xpub: this key is at depth ${depth}${describeDepth(depth)}, ` +
        `expected depth ${EXPECTED_DEPTH} — the key of m/44'/60'/0'/0`,
    )
  }

  const keyPrefix = payload[45]
  if (keyPrefix !== 0x02 && keyPrefix !== 0x03) {
    return fail('not a valid xpub: the public key is not a compressed secp256k1 key')
  }

  let key: HDKey
  try {
    key = HDKey.fromExtendedKey(s, VERSIONS[network])
  } catch {
    // @scure/bip32 rejects points that are not on the curve; its own message
    // is not meant for a shop owner.
    return fail('not a valid xpub: the public key is not a valid secp256k1 point')
  }

  let firstAddress: HexAddress
  try {
    firstAddress = addressOfChild(key, 0)
  } catch {
    return fail('not a valid xpub: cannot derive addresses from this key')
  }
  remember(s, key)
  return {
    ok: true,
    xpub: s,
    depth,
    network,
    childIndex: key.index,
    parentFingerprint: key.parentFingerprint,
    firstAddress,
  }
}

export const MAX_CHILD_INDEX = 2 ** 31 - 1

/**
 * Address of non-hardened child `index` of the xpub (m/44'/60'/0'/0/index when
 * the xpub is the one the owner was asked for). Throws if the xpub is invalid
 * or the index is out of range, since a wrong address would lose the payment.
 */
export function deriveAddress(xpub: string, index: number): HexAddress {
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_CHILD_INDEX) {
    throw new RangeError(`address index must be an integer from 0 to ${MAX_CHILD_INDEX}, got ${String(index)}`)
  }
  return addressOfChild(loadKey(xpub), index)
}

function addressOfChild(key: HDKey, index: number): HexAddress {
  // BIP-32: an invalid child (probability < 2^-127) throws rather than being
  // silently skipped, so a session never gets an address the wallet lacks.
  const child = key.deriveChild(index)
  const compressed = child.publicKey
  if (!compressed) throw new Error('derived key has no public key')
  // viem's publicKeyToAddress hashes both coordinates and only accepts the
  // 65-byte 0x04 form; BIP-32 keys are stored compressed.
  return publicKeyToAddress(decompress(compressed))
}

// One parsed key is enough: a till derives from a single configured xpub.
let cached: { xpub: string; key: HDKey } | undefined

function remember(xpub: string, key: HDKey): void {
  cached = { xpub, key }
}

function loadKey(xpub: string): HDKey {
  const s = xpub.trim()
  if (cached && cached.xpub === s) return cached.key
  const parsed = parseXpub(s)
  if (!parsed.ok) throw new Error(parsed.message)
  // parseXpub cached it.
  if (cached && cached.xpub === s) return cached.key
  throw new Error('xpub could not be loaded')
}

function privateKeyRefusal(kind: string): XpubResult {
  return fail(
    `this is a PRIVATE key (${kind}); paste the extended PUBLIC key (xpub) — the app never holds private keys`,
  )
}

function describeDepth(depth: number): string {
  switch (depth) {
    case 0:
      return ' (the master key)'
    case 3:
      return " (an account key such as m/44'/60'/0')"
    case 5:
      return ' (a single address key)'
    default:
      return ''
  }
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message }
}

function base58Decode(s: string): Uint8Array | undefined {
  try {
    return base58.decode(s)
  } catch {
    return undefined
  }
}

// BIP-32 keys are stored compressed; viem's publicKeyToAddress needs the
// 65-byte 0x04 form, and @noble/curves (viem's own curve library) expands it.
function decompress(compressed: Uint8Array): HexAddress {
  const point = secp256k1.ProjectivePoint.fromHex(compressed)
  return `0x${toHex(point.toRawBytes(false))}`
}

function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}
