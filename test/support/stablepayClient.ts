/**
 * A small StablePay API client written from StablePay's public reference
 * (shared/STABLEPAY-API.md), not from this project's code: it imports
 * nothing from src-*. Tests use it as a back office would, so the till is
 * checked against what the reference says, not against itself.
 *
 * Requests: `Authorization: Bearer sk_…`; signed with the API secret as
 * `X-StablePay-Timestamp` (Unix seconds), `X-StablePay-Nonce` (16-64
 * characters, a UUID v4) and `X-StablePay-Signature` = lowercase hex
 * HMAC-SHA256 over `{timestamp}.{nonce}.{requestBody}`, the raw JSON exactly
 * as sent, an empty string for GET/DELETE.
 */
import { createHmac, randomUUID } from 'node:crypto'

export interface StablePayReply<T = unknown> {
  status: number
  headers: Headers
  text: string
  json: T
}

export interface StablePayError {
  error: { type: string; code: string; message: string; param: string | null }
}

export interface RequestOptions {
  /** Default: signed when the client has a secret. */
  signed?: boolean
  /** Override what is signed and sent (tests of the clock window and replays). */
  timestamp?: number
  nonce?: string
  /** Sign with this instead of the client's secret. */
  secret?: string
  /** A body sent exactly as given (not re-serialised). */
  rawBody?: string
  headers?: Record<string, string>
}

/** Reference shapes (the /api/v1 dialect). */
export interface CheckoutSession {
  id: string
  amount_total: number
  currency: string
  payment_status: 'pending' | 'processing' | 'paid' | 'failed' | 'expired' | 'canceled'
  created: number
  expires_at: number
  url: string | null
  line_items: Array<{
    price_data: { currency: string; unit_amount: number; product_data: { name: string; description: string | null } }
    quantity: number
  }>
  tax_amount: number
  shipping_amount: number
  exchange_rate: string | null
  target_currency: string | null
  target_amount_total: string | null
  rate_locked_at: number | null
  metadata: Record<string, string>
  success_url: string | null
  cancel_url: string | null
  order_id?: string
}

export interface Refund {
  refund_id: string
  payment_id: string
  order_id: string | null
  amount: number
  currency: string
  status: string
  reason: string | null
  description: string | null
  created_at: number
  metadata: Record<string, string>
}

export function signature(secret: string, timestamp: number | string, nonce: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${nonce}.${body}`).digest('hex')
}

export class StablePayClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
    readonly apiSecret?: string,
    /** Unix seconds on the back office's clock. */
    readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async request<T = unknown>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<StablePayReply<T>> {
    const text = options.rawBody ?? (body === undefined ? '' : JSON.stringify(body))
    const headers: Record<string, string> = { Authorization: `Bearer ${this.apiKey}`, ...options.headers }
    if (method === 'POST' || method === 'PUT') headers['Content-Type'] = 'application/json'
    const secret = options.secret ?? this.apiSecret
    if ((options.signed ?? secret !== undefined) && secret !== undefined) {
      const timestamp = options.timestamp ?? this.now()
      const nonce = options.nonce ?? randomUUID()
      headers['X-StablePay-Timestamp'] = String(timestamp)
      headers['X-StablePay-Nonce'] = nonce
      headers['X-StablePay-Signature'] = signature(secret, timestamp, nonce, method === 'GET' || method === 'DELETE' ? '' : text)
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: method === 'GET' || method === 'DELETE' || text === '' ? undefined : text,
    })
    const replyText = await response.text()
    let json: unknown = null
    try {
      json = replyText === '' ? null : JSON.parse(replyText)
    } catch {
      json = null
    }
    return { status: response.status, headers: response.headers, text: replyText, json: json as T }
  }

  // ------------------------------------------------ /api/v1: checkout sessions

  createCheckoutSession(params: Record<string, unknown>, options?: RequestOptions) {
    return this.request<CheckoutSession>('POST', '/api/v1/checkout/sessions/create', params, options)
  }
  getCheckoutSession(id: string, options?: RequestOptions) {
    return this.request<CheckoutSession>('GET', `/api/v1/checkout/sessions/${encodeURIComponent(id)}`, undefined, options)
  }
  cancelCheckoutSession(id: string, options?: RequestOptions) {
    return this.request<CheckoutSession>('POST', `/api/v1/checkout/sessions/${encodeURIComponent(id)}/cancel`, undefined, options)
  }
  listCheckoutSessions(query = '', options?: RequestOptions) {
    return this.request<{ data: CheckoutSession[]; has_more: boolean }>('GET', `/api/v1/checkout/sessions${query}`, undefined, options)
  }

  // ------------------------------------------------ /api/v1: refunds

  createRefund(params: Record<string, unknown>, options?: RequestOptions) {
    return this.request<Refund>('POST', '/api/v1/refunds/create', params, options)
  }
  getRefund(refundId: string, options?: RequestOptions) {
    return this.request<Refund>('GET', `/api/v1/refunds/${encodeURIComponent(refundId)}`, undefined, options)
  }
  cancelRefund(refundId: string, options?: RequestOptions) {
    return this.request<{ refund_id: string; status: string; canceled_at: number }>(
      'POST',
      `/api/v1/refunds/${encodeURIComponent(refundId)}/cancel`,
      undefined,
      options,
    )
  }
}
