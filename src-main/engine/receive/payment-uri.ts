import { getAddress } from 'viem'

export type HexAddress = `0x${string}`

export interface PaymentRequest {
  chainId: number
  tokenAddress: string
  to: string
  amountBaseUnits: bigint
}

export interface ParsedPaymentUri {
  chainId: number
  tokenAddress: HexAddress
  to: HexAddress
  amountBaseUnits: bigint
}

const MAX_UINT256 = 2n ** 256n - 1n

/**
 * EIP-681 ERC-20 transfer request:
 *   ethereum:<token>@<chainId>/transfer?address=<to>&uint256=<base units>
 * `@chainId` is always present so a wallet on another network refuses or
 * switches instead of paying on the wrong chain. `value=` is never used: it
 * means native coin, and some wallets scale it by 10^18 or read exponents,
 * while `uint256=` is the raw integer argument of `transfer`.
 */
export function buildPaymentUri(req: PaymentRequest): string {
  assertChainId(req.chainId)
  const token = checksummed(req.tokenAddress, 'token address')
  const to = checksummed(req.to, 'recipient address')
  if (/^0x0{40}$/.test(to)) throw new Error('payment URI: the zero address cannot receive payments')
  assertAmount(req.amountBaseUnits)
  // bigint#toString is plain decimal, never exponent notation.
  return `ethereum:${token}@${req.chainId}/transfer?address=${to}&uint256=${req.amountBaseUnits.toString()}`
}

// Exactly the shape buildPaymentUri emits, and nothing else: this parser
// exists to check our own QR codes, so any deviation (missing chain id,
// `value=`, exponent, extra parameters, lost checksum) is a bug to surface.
const PAYMENT_URI =
  /^ethereum:(0x[0-9a-fA-F]{40})@([1-9][0-9]{0,15})\/transfer\?address=(0x[0-9a-fA-F]{40})&uint256=(0|[1-9][0-9]{0,77})$/

/** Decodes a payment URI produced by buildPaymentUri; throws on anything else. */
export function parsePaymentUri(uri: string): ParsedPaymentUri {
  const m = PAYMENT_URI.exec(uri)
  if (!m) throw new Error(`not a StablePay payment URI: ${truncate(uri)}`)
  const [, tokenRaw, chainIdRaw, toRaw, amountRaw] = m as unknown as [string, string, string, string, string]
  const chainId = Number(chainIdRaw)
  assertChainId(chainId)
  const tokenAddress = strictChecksummed(tokenRaw, 'token address')
  const to = strictChecksummed(toRaw, 'recipient address')
  if (/^0x0{40}$/.test(to)) throw new Error('payment URI: the zero address cannot receive payments')
  const amountBaseUnits = BigInt(amountRaw)
  assertAmount(amountBaseUnits)
  return { chainId, tokenAddress, to, amountBaseUnits }
}

function assertChainId(chainId: number): void {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new Error(`payment URI: chain id must be a positive integer, got ${String(chainId)}`)
  }
}

function assertAmount(amount: bigint): void {
  if (typeof amount !== 'bigint') throw new Error('payment URI: amount must be a bigint in base units')
  // A zero request would let a wallet "pay" nothing and still look complete.
  if (amount <= 0n) throw new Error('payment URI: amount must be positive')
  if (amount > MAX_UINT256) throw new Error('payment URI: amount does not fit in uint256')
}

// A shop pays to a handful of addresses and tokens: each is checked and checksummed once, not per QR code.
const checked = new Map<string, HexAddress>()

function checksummed(address: string, what: string): HexAddress {
  const known = checked.get(address)
  if (known) return known
  const sum = checksummedOnce(address, what)
  if (checked.size >= 1024) checked.clear()
  checked.set(address, sum)
  return sum
}

function checksummedOnce(address: string, what: string): HexAddress {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address))
    throw new Error(`payment URI: ${what} is not 0x followed by 40 hex characters`)
  const body = address.slice(2)
  const sum = getAddress(address)
  // Mixed case is a checksum claim; a failed one means a corrupted address.
  if (body !== body.toLowerCase() && body !== body.toUpperCase() && sum !== address) {
    throw new Error(`payment URI: ${what} fails its EIP-55 checksum`)
  }
  return sum
}

function strictChecksummed(address: string, what: string): HexAddress {
  const sum = getAddress(address)
  if (sum !== address) throw new Error(`payment URI: ${what} is not EIP-55 checksummed`)
  return sum
}

function truncate(s: string): string {
  return s.length > 120 ? `${s.slice(0, 120)}…` : s
}
