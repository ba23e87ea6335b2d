import { isConfirmations, MAX_CONFIRMATIONS, MIN_CONFIRMATIONS, validateRpcUrl } from '../../../src-preload/shared/validate'

/**
 * What Settings checks as the owner types. Each URL goes through the engine's
 * own check (src-preload/shared/validate.ts), so the words are the engine's;
 * the engine checks again on save, and its answer is what is shown then.
 */
export type Check = { ok: true; value: string } | { ok: false; message: string }

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
    const checked = validateRpcUrl(line)
    return checked.ok ? [] : [{ line, message: checked.message }]
  })
}

/** Confirmations as typed: a whole number in the engine's range. */
export function checkConfirmations(text: string): Check {
  const s = text.trim()
  if (!/^\d{1,4}$/.test(s) || !isConfirmations(Number(s)))
    return { ok: false, message: `confirmations must be an integer from ${MIN_CONFIRMATIONS} to ${MAX_CONFIRMATIONS}` }
  return { ok: true, value: s }
}
