export type RateErrorCode =
  /** Network failure, timeout or non-2xx answer from the provider. */
  | 'rate_provider_unreachable'
  /** The provider answered, but not with a usable ECB document. */
  | 'rate_provider_invalid'
  /** Only a provider rate exists and it is older than maxAgeSeconds. */
  | 'rate_stale'
  /** No rate at all (never fetched, or the provider does not publish it). */
  | 'rate_unavailable'
  /** A manual rate that is not a positive decimal string. */
  | 'rate_invalid'
  /** Not a supported price currency, or USD where a rate makes no sense. */
  | 'currency_unsupported'

/** Failure of the rate book; `message` is plain English fit for the operator/integrator. */
export class RateError extends Error {
  override readonly name = 'RateError'
  readonly code: RateErrorCode

  constructor(code: RateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
