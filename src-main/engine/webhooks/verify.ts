/**
 * Verifies a StablePay webhook. Self-contained on purpose: it depends on
 * `node:crypto` only, so a back-office developer can copy this file into their
 * own project (see docs/webhooks.md).
 *
 *   const event = verifyWebhook(rawBody, req.headers, process.env.STABLEPAY_WEBHOOK_SECRET!)
 *
 * Pass the raw request bytes, exactly as received: re-serialised JSON does not
 * match the signature. The signature is lowercase hex HMAC-SHA256, keyed with
 * the endpoint secret, over `{timestamp}.{nonce}.{raw body}`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export type WebhookVerificationReason =
  | 'missing_header'
  | 'duplicate_header'
  | 'invalid_timestamp'
  | 'timestamp_outside_tolerance'
  | 'invalid_nonce'
  | 'invalid_signature_format'
  | 'signature_mismatch'
  | 'invalid_body'
  | 'header_body_mismatch'

export class WebhookVerificationError extends Error {
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
  ) {
    super(message)
    this.name = 'WebhookVerificationError'
  }
}

export interface StablePayEvent<T = unknown> {
  id: string
  type: string
  created: number
  livemode: boolean
  data: { object: T }
}

export interface VerifyWebhookOptions {
  /** How far the timestamp may be from now, either way. Default 300 (5 minutes). */
  toleranceSeconds?: number
  /** "Now" in unix seconds; defaults to the system clock (tests pass their own). */
  now?: number
}

/** Node's `req.headers`, a plain object, or a Fetch API `Headers`. */
export type WebhookHeaders = Record<string, string | string[] | undefined> | { get(name: string): string | null }

/** Endpoint secrets are 16 to 256 characters (the app makes 46: `whsec_` + 40). */
const MIN_SECRET_LENGTH = 16
const SIGNATURE = 'x-stablepay-signature'
const TIMESTAMP = 'x-stablepay-timestamp'
const NONCE = 'x-stablepay-nonce'
const EVENT_ID = 'x-stablepay-event-id'
const EVENT_TYPE = 'x-stablepay-event-type'

/** Returns the verified, parsed event, or throws `WebhookVerificationError` saying why not. */
export function verifyWebhook<T = unknown>(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookOptions = {},
): StablePayEvent<T> {
  // A missing or empty secret (an unset environment variable) would make every forged event verify against it.
  // That is a set-up mistake, not a bad request: it throws a plain TypeError, so the receiver answers 500 and
  // StablePay retries the event once the secret is in place, instead of accepting forgeries or dropping events.
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH)
    throw new TypeError(`verifyWebhook needs the endpoint's secret (whsec_…, at least ${MIN_SECRET_LENGTH} characters); it got an empty or short one`)
  const tolerance = options.toleranceSeconds ?? 300
  const now = options.now ?? Math.floor(Date.now() / 1000)

  const signature = header(headers, SIGNATURE, true)
  const timestamp = header(headers, TIMESTAMP, true)
  const nonce = header(headers, NONCE, true)

  if (!/^\d{1,15}$/.test(timestamp)) throw new WebhookVerificationError('invalid_timestamp', 'X-StablePay-Timestamp is not unix seconds')
  if (Math.abs(now - Number(timestamp)) > tolerance)
    throw new WebhookVerificationError('timestamp_outside_tolerance', `X-StablePay-Timestamp is more than ${tolerance} s from now`)
  // Visible ASCII only: the nonce is part of the signed string, so it must survive proxies unchanged.
  if (!/^[\x21-\x7e]{16,64}$/.test(nonce))
    throw new WebhookVerificationError('invalid_nonce', 'X-StablePay-Nonce must be 16-64 visible characters')
  if (!/^[0-9a-fA-F]{64}$/.test(signature))
    throw new WebhookVerificationError('invalid_signature_format', 'X-StablePay-Signature is not 64 hex characters')

  const body =
    typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength)
  const expected = createHmac('sha256', secret).update(`${timestamp}.${nonce}.`).update(body).digest()
  // Constant time: how much of a guess matched must not leak through timing.
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    throw new WebhookVerificationError('signature_mismatch', 'X-StablePay-Signature does not match this body and secret')

  let event: StablePayEvent<T>
  try {
    event = JSON.parse(body.toString('utf8')) as StablePayEvent<T>
  } catch {
    throw new WebhookVerificationError('invalid_body', 'the body is not JSON')
  }
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.id !== 'string' ||
    typeof event.type !== 'string' ||
    typeof event.created !== 'number' ||
    typeof event.livemode !== 'boolean' ||
    typeof event.data !== 'object' ||
    event.data === null
  )
    throw new WebhookVerificationError('invalid_body', 'the body is not a StablePay event')
  // The id and type headers are not signed; they must agree with the signed body to be trusted for routing.
  const headerId = header(headers, EVENT_ID, false)
  const headerType = header(headers, EVENT_TYPE, false)
  if ((headerId !== '' && headerId !== event.id) || (headerType !== '' && headerType !== event.type))
    throw new WebhookVerificationError('header_body_mismatch', 'X-StablePay-Event-ID/-Type disagree with the signed body')
  return event
}

function header(headers: WebhookHeaders, name: string, required: boolean): string {
  let value: string | string[] | null | undefined
  if (typeof headers.get === 'function') {
    value = (headers as { get(name: string): string | null }).get(name)
  } else {
    const record = headers as Record<string, string | string[] | undefined>
    const key = Object.keys(record).find((k) => k.toLowerCase() === name)
    value = key === undefined ? undefined : record[key]
  }
  if (Array.isArray(value)) {
    if (value.length > 1) throw new WebhookVerificationError('duplicate_header', `${name} was sent more than once`)
    value = value[0]
  }
  if (value === undefined || value === null || value === '') {
    if (required) throw new WebhookVerificationError('missing_header', `${name} is missing`)
    return ''
  }
  return value
}
