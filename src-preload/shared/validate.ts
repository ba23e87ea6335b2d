/**
 * Checks of network settings the engine and the renderer both run: Settings
 * checks as the owner types, with the same function and so the same words as
 * the engine, which checks again on save. Receiving addresses are checked by
 * the engine only (the EIP-55 checksum needs keccak, from viem); the screens
 * ask it through `setup:preview-xpub`. No Node and no DOM here.
 */

/** What is wrong with a URL, for a screen to say in its own words (the message is the engine's English). */
export type UrlProblem = 'empty' | 'too_long' | 'spaces' | 'not_url' | 'other_kind' | 'protocol' | 'no_host' | 'credentials'

export type UrlResult = { ok: true; url: string } | { ok: false; problem: UrlProblem; message: string }

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
  return validateEndpoint(input, ['ws:', 'wss:'], 'WebSocket URL', 'ws:// or wss://', 'an HTTP URL; add it as an RPC URL instead')
}

// Longer than any real provider URL with an API key in the path; bounds what
// gets stored and shown.
const MAX_URL_LENGTH = 2048

function validateEndpoint(input: string, protocols: readonly string[], what: string, expected: string, otherKindHint: string): UrlResult {
  const s = input.trim()
  if (s === '') return { ok: false, problem: 'empty', message: `${what} is empty` }
  if (s.length > MAX_URL_LENGTH) return { ok: false, problem: 'too_long', message: `${what} is too long (over ${MAX_URL_LENGTH} characters)` }
  if (/\s/.test(s)) return { ok: false, problem: 'spaces', message: `${what} must not contain spaces` }
  let url: URL
  try {
    url = new URL(s)
  } catch {
    return { ok: false, problem: 'not_url', message: `${what} is not a valid URL; it must start with ${expected}` }
  }
  if (!protocols.includes(url.protocol)) {
    const isOtherKind = ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)
    return { ok: false, problem: isOtherKind ? 'other_kind' : 'protocol', message: isOtherKind ? `this is ${otherKindHint}` : `${what} must start with ${expected}` }
  }
  if (url.hostname === '') return { ok: false, problem: 'no_host', message: `${what} has no host name` }
  // fetch (undici) refuses URLs with embedded credentials outright, and they
  // would end up in settings, logs and screenshots; providers put API keys in
  // the path instead.
  if (url.username !== '' || url.password !== '') {
    return { ok: false, problem: 'credentials', message: `${what} must not contain a user name or password; use the provider's API-key URL instead` }
  }
  return { ok: true, url: s }
}

/** Blocks a payment waits for before it counts: from 1 to 1000. */
export const MIN_CONFIRMATIONS = 1
export const MAX_CONFIRMATIONS = 1000

export function isConfirmations(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= MIN_CONFIRMATIONS && (n as number) <= MAX_CONFIRMATIONS
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
