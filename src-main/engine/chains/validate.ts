import { getAddress } from 'viem'
import type { HexAddress } from './builtin'

export type AddressResult = { ok: true; address: HexAddress } | { ok: false; message: string }

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/
const ZERO_ADDRESS = /^0x0{40}$/

/**
 * Accepts a receiving address as the owner would paste it. All-lowercase and
 * all-uppercase hex carry no checksum, so they are accepted and returned
 * checksummed; mixed case is a checksum claim and must hold, because a typo
 * there would send a customer's money somewhere nobody controls.
 */
export function validateAddress(input: string): AddressResult {
  // Pasted text often carries a trailing newline or spaces around it.
  const s = input.trim()
  if (!HEX_ADDRESS.test(s)) {
    return { ok: false, message: 'not a valid address: must be 0x followed by 40 hex characters' }
  }
  if (ZERO_ADDRESS.test(s)) {
    return { ok: false, message: 'not a valid address: the zero address cannot receive payments' }
  }
  const body = s.slice(2)
  const hasCaseClaim = body !== body.toLowerCase() && body !== body.toUpperCase()
  const checksummed = getAddress(s)
  if (hasCaseClaim && checksummed !== s) {
    return { ok: false, message: 'not a valid address: checksum mismatch' }
  }
  return { ok: true, address: checksummed }
}
