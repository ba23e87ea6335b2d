import { getAddress } from 'viem'
import type { HexAddress } from './builtin'

export type AddressResult = { ok: true; address: HexAddress } | { ok: false; message: string }
export type UrlResult = { ok: true; url: string } | { ok: false; message: string }

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

export function validateRpcUrl(input: string): UrlResult {
  return validateEndpoint(
    input,
    ['http:', 'https:'],
    'RPC URL',
    'http:// or https://',
    'a WebSocket URL; add it as a WebSocket URL instead',
  )
}

export function validateWsUrl(input: string): UrlResult {
  return validateEndpoint(
    input,
    ['ws:', 'wss:'],
    'WebSocket URL',
    'ws:// or wss://',
    'an HTTP URL; add it as an RPC URL instead',
  )
}

// Longer than any real provider URL with an API key in the path; bounds what
// gets stored and shown.
const MAX_URL_LENGTH = 2048

function validateEndpoint(
  input: string,
  protocols: readonly string[],
  what: string,
  expected: string,
  otherKindHint: string,
): UrlResult {
  const s = input.trim()
  if (s === '') return { ok: false, message: `${what} is empty` }
  if (s.length > MAX_URL_LENGTH)
    return { ok: false, message: `${what} is too long (over ${MAX_URL_LENGTH} characters)` }
  if (/\s/.test(s)) return { ok: false, message: `${what} must not contain spaces` }
  let url: URL
  try {
    url = new URL(s)
  } catch {
    return { ok: false, message: `${what} is not a valid URL; it must start with ${expected}` }
  }
  if (!protocols.includes(url.protocol)) {
    const isOtherKind = ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)
    return {
      ok: false,
      message: isOtherKind ? `this is ${otherKindHint}` : `${what} must start with ${expected}`,
    }
  }
  if (url.hostname === '') return { ok: false, message: `${what} has no host name` }
  // fetch (undici) refuses URLs with embedded credentials outright, and they
  // would end up in settings, logs and screenshots; providers put API keys in
  // the path instead.
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      message: `${what} must not contain a user name or password; use the provider's API-key URL instead`,
    }
  }
  return { ok: true, url: s }
}

export function explorerTxUrl(explorerUrl: string, txHash: string): string {
  return `${trimTrailingSlashes(explorerUrl)}/tx/${encodeURIComponent(txHash)}`
}

export function explorerAddressUrl(explorerUrl: string, address: string): string {
  return `${trimTrailingSlashes(explorerUrl)}/address/${encodeURIComponent(address)}`
}

// Custom explorers are typed by hand, often with a trailing slash; a double
// slash breaks some explorers' routing.
function trimTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '')
}
