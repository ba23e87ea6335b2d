import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { unauthorized } from './errors'

/**
 * Signed API requests (#12), StablePay's scheme: the back office sends
 * `X-StablePay-Timestamp` (Unix seconds), `X-StablePay-Nonce` (16-64
 * characters, new for each request) and `X-StablePay-Signature`, the lowercase
 * hex HMAC-SHA256 of `{timestamp}.{nonce}.{raw body}` with the key's API
 * secret (an empty body for GET). The webhooks we send are signed the same way.
 */
export const SIGNATURE_HEADERS = {
  timestamp: 'x-stablepay-timestamp',
  nonce: 'x-stablepay-nonce',
  signature: 'x-stablepay-signature',
} as const

/** How far the back office's clock may be from the till's. */
export const CLOCK_WINDOW_SECONDS = 300

const TIMESTAMP_FORMAT = /^\d{1,12}$/
// Printable ASCII without spaces: a UUID, random hex or base64url all fit.
const NONCE_FORMAT = /^[\x21-\x7e]{16,64}$/
const SIGNATURE_FORMAT = /^[0-9a-f]{64}$/

export interface SignedHeaders {
  timestamp: string
  nonce: string
  signature: string
}

/** The three headers, null when none is sent; 401 when only some are (a half-signed request is a broken client). */
export function signedHeaders(req: IncomingMessage): SignedHeaders | null {
  const one = (name: string): string | undefined => {
    const value = req.headers[name]
    return Array.isArray(value) ? value.join(',') : value
  }
  const timestamp = one(SIGNATURE_HEADERS.timestamp)
  const nonce = one(SIGNATURE_HEADERS.nonce)
  const signature = one(SIGNATURE_HEADERS.signature)
  if (timestamp === undefined && nonce === undefined && signature === undefined) return null
  if (timestamp === undefined || nonce === undefined || signature === undefined)
    throw unauthorized(
      'signature_missing',
      'a signed request needs all three headers: X-StablePay-Timestamp, X-StablePay-Nonce and X-StablePay-Signature',
    )
  return { timestamp, nonce, signature }
}

export const signatureRequired = (why: string) =>
  unauthorized(
    'signature_missing',
    `${why}: send X-StablePay-Timestamp, X-StablePay-Nonce and X-StablePay-Signature (HMAC-SHA256 of "{timestamp}.{nonce}.{body}" with the key's API secret)`,
  )

/** The signature this request should carry. */
export function sign(secret: string, timestamp: string, nonce: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${nonce}.`).update(rawBody).digest('hex')
}

/**
 * Checks format, clock window and signature; throws the 401 that says which
 * failed. The nonce is spent by the caller, after this, inside the request's
 * transaction (a request without the secret must not burn a nonce).
 */
export function verifySignature(headers: SignedHeaders, secret: string | null, rawBody: Buffer, now: number): void {
  if (secret === null)
    throw unauthorized(
      'api_secret_missing',
      'this API key has no API secret to sign with yet: make one in Settings → API keys (it is shown once)',
    )
  if (!TIMESTAMP_FORMAT.test(headers.timestamp))
    throw unauthorized('timestamp_invalid', 'X-StablePay-Timestamp must be Unix seconds (digits only)')
  const skew = Number(headers.timestamp) - now
  if (Math.abs(skew) > CLOCK_WINDOW_SECONDS)
    throw unauthorized(
      'timestamp_out_of_range',
      `X-StablePay-Timestamp is ${Math.abs(skew)} s ${skew < 0 ? 'behind' : 'ahead of'} the till's clock (at most ${CLOCK_WINDOW_SECONDS} s is accepted): check the clock of the machine sending it`,
    )
  if (!NONCE_FORMAT.test(headers.nonce))
    throw unauthorized('nonce_invalid', 'X-StablePay-Nonce must be 16-64 printable characters without spaces (a UUID will do)')
  if (!SIGNATURE_FORMAT.test(headers.signature))
    throw unauthorized('signature_invalid', 'X-StablePay-Signature must be 64 lowercase hex characters (HMAC-SHA256)')
  const expected = Buffer.from(sign(secret, headers.timestamp, headers.nonce, rawBody), 'hex')
  if (!timingSafeEqual(expected, Buffer.from(headers.signature, 'hex')))
    throw unauthorized(
      'signature_invalid',
      'X-StablePay-Signature does not match: sign "{timestamp}.{nonce}.{body}" with the API secret, using the body exactly as sent',
    )
}

export const nonceReused = () =>
  unauthorized('nonce_reused', 'this X-StablePay-Nonce was already used with this key in the last 10 minutes (a replayed request); send a new nonce')
