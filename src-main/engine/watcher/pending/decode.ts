import { decodeFunctionData, parseAbi, toFunctionSelector } from 'viem'
import type { Address, Hex } from 'viem'

/**
 * The token calls that move money to a recipient straight from the
 * transaction's input: ERC-20 `transfer` and `transferFrom`, and USDC's
 * EIP-3009 `transferWithAuthorization` (both the v, r, s form and the newer
 * one with a packed signature). Anything else (a swap, a multicall, a smart
 * wallet) is not read: its payment still shows at its block, as before.
 */
export const PAYMENT_CALLS = parseAbi([
  'function transfer(address to, uint256 value) returns (bool)',
  'function transferFrom(address from, address to, uint256 value) returns (bool)',
  'function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint8 v, bytes32 r, bytes32 s)',
  'function transferWithAuthorization(address from, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, bytes signature)',
])

// Each call by its four-byte selector: anything else is dropped before viem decodes a byte, and viem is
// handed the one matching function (it hashes every signature of the ABI it is given, on every call).
const BY_SELECTOR = new Map(PAYMENT_CALLS.map((item) => [toFunctionSelector(item), [item]] as const))

export interface DecodedPayment {
  /** Checksummed, as the sale's options store it. */
  to: Address
  amount: bigint
}

/** The recipient and amount of a token call's input, or null when it is not one of the calls above (or malformed). */
export function decodePayment(input: string | undefined): DecodedPayment | null {
  if (typeof input !== 'string' || input.length < 10) return null
  const abi = BY_SELECTOR.get(input.slice(0, 10).toLowerCase() as Hex)
  if (!abi) return null
  try {
    const { functionName, args } = decodeFunctionData({ abi, data: input as Hex })
    if (functionName === 'transfer') return { to: args[0], amount: args[1] }
    return { to: args[1], amount: args[2] }
  } catch {
    return null
  }
}
