/**
 * What Settings checks as the owner types, with the engine's own words
 * (src-main/engine/chains/validate.ts, which the renderer cannot import).
 * A unit test runs both over the same inputs so the messages never drift;
 * the engine checks again on save, and its answer is what is shown then.
 */
export type Check = { ok: true; value: string } | { ok: false; message: string }

const MAX_URL_LENGTH = 2048

function endpoint(input: string, protocols: readonly string[], what: string, expected: string, otherKindHint: string): Check {
  const s = input.trim()
  if (s === '') return { ok: false, message: `${what} is empty` }
  if (s.length > MAX_URL_LENGTH) return { ok: false, message: `${what} is too long (over ${MAX_URL_LENGTH} characters)` }
  if (/\s/.test(s)) return { ok: false, message: `${what} must not contain spaces` }
  let url: URL
  try {
    url = new URL(s)
  } catch {
    return { ok: false, message: `${what} is not a valid URL; it must start with ${expected}` }
  }
  if (!protocols.includes(url.protocol)) {
    const isOtherKind = ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)
    return { ok: false, message: isOtherKind ? `this is ${otherKindHint}` : `${what} must start with ${expected}` }
  }
  if (url.hostname === '') return { ok: false, message: `${what} has no host name` }
  if (url.username !== '' || url.password !== '')
    return { ok: false, message: `${what} must not contain a user name or password; use the provider's API-key URL instead` }
  return { ok: true, value: s }
}

export function checkRpcUrl(input: string): Check {
  return endpoint(input, ['http:', 'https:'], 'RPC URL', 'http:// or https://', 'a WebSocket URL; add it as a WebSocket URL instead')
}

/** The RPC URLs box holds one URL per line; blank lines are ignored. */
export function rpcLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

/** Each line's problem, by line, or an empty list; at least one URL is needed. */
export function checkRpcList(text: string): Array<{ line: string; message: string }> {
  const lines = rpcLines(text)
  if (lines.length === 0) return [{ line: '', message: 'at least one RPC URL is needed' }]
  return lines.flatMap((line) => {
    const checked = checkRpcUrl(line)
    return checked.ok ? [] : [{ line, message: checked.message }]
  })
}

/** Confirmations: a whole number from 1 to 1000 (the engine's range). */
export function checkConfirmations(text: string): Check {
  const s = text.trim()
  if (!/^\d{1,4}$/.test(s) || Number(s) < 1 || Number(s) > 1000)
    return { ok: false, message: 'confirmations must be an integer from 1 to 1000' }
  return { ok: true, value: s }
}
