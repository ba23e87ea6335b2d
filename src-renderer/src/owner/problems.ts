import type { OwnerKey } from './i18n'

/** A webhook attempt's failure (Node's words: "connect ECONNREFUSED …") as a sentence; the words stay in the log. */
export function deliveryProblem(lastError: string): OwnerKey {
  if (/timed out|ETIMEDOUT/i.test(lastError)) return 'webhooks.problem.timeout'
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ECONNRESET|socket hang up/i.test(lastError)) return 'webhooks.problem.connect'
  return 'webhooks.problem.other'
}
