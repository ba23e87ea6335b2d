export type MoneyErrorCode =
  | 'amount_invalid'
  | 'amount_too_precise'
  | 'amount_too_large'
  | 'amount_not_positive'
  | 'rate_invalid'
  | 'currency_unsupported'
  | 'decimals_invalid'

/**
 * A rejected amount, rate or currency. `code` is stable and machine-readable
 * (the HTTP layer can pass it straight to integrators); `message` is plain
 * English meant to be shown to the integrator as-is; `param` names the input
 * field at fault when there is an obvious one ('amount', 'rate', 'currency',
 * 'decimals'). The HTTP layer may override `param` with its own field name.
 */
export class MoneyError extends Error {
  override readonly name = 'MoneyError'
  readonly code: MoneyErrorCode
  param?: string

  constructor(code: MoneyErrorCode, message: string, param?: string) {
    super(message)
    this.code = code
    if (param !== undefined) this.param = param
  }
}

/**
 * Quote user input inside an error message. JSON.stringify escapes control
 * characters and quotes (so a hostile value cannot forge log lines), and the
 * truncation keeps a megabyte-long "amount" from being echoed back whole.
 */
export function quoteInput(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s)
}
