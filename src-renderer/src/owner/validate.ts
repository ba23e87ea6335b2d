import type { UrlProblem } from '../../../src-preload/shared/validate'
import { isConfirmations, validateRpcUrl } from '../../../src-preload/shared/validate'

/**
 * What Settings checks as the owner types. Each URL goes through the engine's
 * own check (src-preload/shared/validate.ts), so the verdict is the engine's;
 * the screen says it in the owner's language by the problem's name (#15). The
 * engine checks again on save, and its answer's code is what is shown then.
 */
export type Check = { ok: true; value: string } | { ok: false }

/** Why an RPC URLs box is refused: one of the URL problems, or no URL at all. */
export type RpcProblem = UrlProblem | 'none'

/** The RPC URLs box holds one URL per line; blank lines are ignored. */
export function rpcLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

/** Each line's problem, by line, or an empty list; at least one URL is needed. */
export function checkRpcList(text: string): Array<{ line: string; problem: RpcProblem }> {
  const lines = rpcLines(text)
  if (lines.length === 0) return [{ line: '', problem: 'none' }]
  return lines.flatMap((line) => {
    const checked = validateRpcUrl(line)
    return checked.ok ? [] : [{ line, problem: checked.problem }]
  })
}

/** Confirmations as typed: a whole number in the engine's range. */
export function checkConfirmations(text: string): Check {
  const s = text.trim()
  if (!/^\d{1,4}$/.test(s) || !isConfirmations(Number(s))) return { ok: false }
  return { ok: true, value: s }
}
