import { z } from 'zod'
import type { PaymentSession, Refund, SessionStatus } from '../../src-preload/contract'
import {
  chainId,
  CONTROL_CHARS,
  expiresIn,
  metadata,
  optional,
  orderId,
  refundDescription,
  refundDestination,
  refundId,
  returnUrl,
  tokenSymbol,
} from '../../src-preload/schemas'
import type { CurrencyCode } from '../../src-preload/shared/money'
import { CURRENCY_CODES, currencyDecimals, formatMinor, isCurrency } from '../../src-preload/shared/money'
import type { CreateSessionInput } from '../engine/sessions'
import { badRequest } from './errors'
import { wholeNumber } from './schemas'

/**
 * StablePay's current reference dialect under /api/v1 (#12,
 * shared/STABLEPAY-API.md): the same engine and rows as /v1, other shapes.
 * Amounts are integers in minor units of the currency (the one currency
 * table: JPY 0 digits, KWD 3), currencies lowercase in answers, statuses
 * lowercase. This file holds the request schemas and the two translations
 * (request → engine input, engine object → reference object); api.ts runs them.
 */

/** An integer amount in minor units; JSON numbers past 2^53 are not exact, so they are refused. */
const minorUnits = (name: string, min: number) =>
  z
    .number({ error: `${name} must be an integer in minor units (e.g. 1050 for 10.50 USD), not a string` })
    .int(`${name} must be an integer in minor units (e.g. 1050 for 10.50 USD)`)
    .min(min, `${name} must be at least ${min}`)
    .max(Number.MAX_SAFE_INTEGER, `${name} is too large`)

/** `USD` or `usd`: the reference writes it both ways. */
const anyCaseCurrency = (name: string) =>
  z
    .string({ error: `${name} must be a currency code like "USD"` })
    .transform((s) => s.toUpperCase())
    .refine(isCurrency, { error: (issue) => `${name} must be one of ${CURRENCY_CODES.join(', ')}, not "${String(issue.input)}"` })

const shortText = (name: string, max: number) =>
  z
    .string({ error: `${name} must be a string` })
    .max(max, `${name} must be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARS.test(s), `${name} must not contain control characters`)

/** Metadata values are strings; numbers and booleans are kept as their text, as the reference says. */
const looseMetadata = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()], { error: 'metadata values must be strings (numbers and booleans are kept as text)' }),
  { error: 'metadata must be an object of string keys and string values' },
)

export const stablepayLineItemSchema = z
  .object({
    price_data: z
      .object({
        currency: anyCaseCurrency('line_items[].price_data.currency'),
        unit_amount: minorUnits('line_items[].price_data.unit_amount', 0),
        product_data: z
          .object({
            name: shortText('line_items[].price_data.product_data.name', 200).pipe(
              z.string().trim().min(1, 'line_items[].price_data.product_data.name must not be empty'),
            ),
            description: optional(shortText('line_items[].price_data.product_data.description', 500)),
          })
          .strict(),
      })
      .strict(),
    quantity: z
      .number({ error: 'line_items[].quantity must be a whole number' })
      .int('line_items[].quantity must be a whole number')
      .min(1, 'line_items[].quantity must be at least 1')
      .max(100_000, 'line_items[].quantity must be at most 100000'),
  })
  .strict()

/** `POST /api/v1/checkout/sessions/create`. `chain_id`, `token` and `expires_in` are the till's own additions. */
export const stablepayCreateSessionSchema = z
  .object({
    amount: minorUnits('amount', 1),
    currency: anyCaseCurrency('currency'),
    order_id: orderId,
    merchant_id: optional(z.string({ error: 'merchant_id must be a string' }).min(1, 'merchant_id must not be empty')),
    description: optional(shortText('description', 500)),
    email: optional(
      z
        .string({ error: 'email must be a string' })
        .max(254, 'email must be at most 254 characters')
        .regex(/^[^\s@]+@[^\s@]+$/, 'email must be an email address'),
    ),
    line_items: optional(
      z.array(stablepayLineItemSchema, { error: 'line_items must be a list' }).max(200, 'line_items must have at most 200 lines'),
    ),
    tax_amount: optional(minorUnits('tax_amount', 0)),
    shipping_amount: optional(minorUnits('shipping_amount', 0)),
    success_url: optional(returnUrl('success_url')),
    cancel_url: optional(returnUrl('cancel_url')),
    metadata: optional(looseMetadata),
    chain_id: optional(chainId),
    token: optional(tokenSymbol),
    expires_in: optional(expiresIn),
  })
  .strict()

export type StablepayCreateSession = z.infer<typeof stablepayCreateSessionSchema>

export const stablepayListSessionsSchema = z
  .object({
    limit: wholeNumber('limit', 3)
      .pipe(z.number().int().min(1, 'limit must be from 1 to 100').max(100, 'limit must be from 1 to 100'))
      .optional(),
    starting_after: z.string().min(1).max(64, 'starting_after must be a session id').optional(),
    payment_status: z
      .enum(['pending', 'processing', 'paid', 'failed', 'expired', 'canceled'], {
        error: 'payment_status must be pending, processing, paid, failed, expired or canceled',
      })
      .optional(),
    order_id: orderId.optional(),
    created_gte: wholeNumber('created_gte (unix seconds)').optional(),
    created_lt: wholeNumber('created_lt (unix seconds)').optional(),
  })
  .strict()

/** `POST /api/v1/refunds/create`: `charge` is the session paid, `amount` minor units of the token (cents: 1 USDT = 100). */
export const stablepayCreateRefundSchema = z
  .object({
    charge: z
      .string({ error: 'charge must be the payment session id' })
      .min(1, 'charge must not be empty')
      .max(64, 'charge must be a session id'),
    refund_id: refundId,
    amount: minorUnits('amount', 1),
    currency: z.enum(['USDT', 'USDC', 'usdt', 'usdc'], { error: 'currency must be USDT or USDC' }).transform((s) => s.toUpperCase()),
    reason: optional(
      z.enum(['requested_by_customer', 'duplicate', 'fraudulent', 'expired_uncaptured'], {
        error: 'reason must be requested_by_customer, duplicate, fraudulent or expired_uncaptured',
      }),
    ),
    description: optional(refundDescription),
    address: optional(refundDestination),
    metadata: optional(looseMetadata),
  })
  .strict()

export const stablepayNoParametersSchema = z.object({}).strict()

// ---------------------------------------------------------------- requests → engine

const stringValues = (m: Record<string, string | number | boolean> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, String(v)]))

/** The reference's create request as the engine's, with every amount in the currency's decimal text. */
export function sessionInput(body: StablepayCreateSession): Omit<CreateSessionInput, 'merchantId' | 'livemode'> {
  const currency = body.currency as CurrencyCode
  const decimal = (minor: number) => formatMinor(BigInt(minor), currency)
  for (const [i, line] of (body.line_items ?? []).entries())
    if (line.price_data.currency !== currency)
      throw badRequest(
        'parameter_invalid',
        `line_items[${i}].price_data.currency is ${line.price_data.currency} but the session is in ${currency}`,
        `line_items[${i}][price_data][currency]`,
      )
  // description and email live in metadata, as the reference says; they are checked with the other pairs.
  const meta = { ...stringValues(body.metadata) }
  if (body.description !== undefined) meta.description = body.description
  if (body.email !== undefined) meta.email = body.email
  const checked = metadata.safeParse(meta)
  if (!checked.success) throw badRequest('parameter_invalid', checked.error.issues[0]?.message ?? 'metadata is not valid', 'metadata')
  return {
    orderId: body.order_id,
    amount: decimal(body.amount),
    currency,
    metadata: checked.data,
    chainId: body.chain_id,
    token: body.token,
    expiresIn: body.expires_in,
    lineItems: body.line_items?.map((line) => ({
      name: line.price_data.product_data.name,
      description: line.price_data.product_data.description,
      unitAmount: decimal(line.price_data.unit_amount),
      quantity: line.quantity,
    })),
    taxAmount: body.tax_amount === undefined ? undefined : decimal(body.tax_amount),
    shippingAmount: body.shipping_amount === undefined ? undefined : decimal(body.shipping_amount),
    successUrl: body.success_url,
    cancelUrl: body.cancel_url,
  }
}

/** Cents of a stablecoin (1:1 to USD) as its decimal text. */
export const tokenCents = (cents: number) => formatMinor(BigInt(cents), 'USD')

// ---------------------------------------------------------------- engine → reference objects

/** "confirming" is processing, "completed" is paid; the till has no failed state (an unpaid sale expires). */
export const PAYMENT_STATUS: Readonly<Record<SessionStatus, 'pending' | 'processing' | 'paid' | 'expired' | 'canceled'>> = {
  PENDING: 'pending',
  PROCESSING: 'processing',
  COMPLETED: 'paid',
  EXPIRED: 'expired',
  CANCELLED: 'canceled',
}

export const STATUS_OF_PAYMENT_STATUS: Readonly<Record<string, SessionStatus | null>> = {
  pending: 'PENDING',
  processing: 'PROCESSING',
  paid: 'COMPLETED',
  expired: 'EXPIRED',
  canceled: 'CANCELLED',
  failed: null,
}

/** A stored decimal amount ("25.00", "0.00", "1500") as minor units of its currency. */
function minorOf(decimal: string, currency: string): number {
  const digits = currencyDecimals(currency as CurrencyCode)
  const [whole = '0', frac = ''] = decimal.split('.')
  return Number(BigInt(whole + frac.padEnd(digits, '0').slice(0, digits)))
}

/** The session as StablePay's reference describes it. */
export function checkoutSession(session: PaymentSession) {
  const currency = session.currency
  // The on-chain currency: the token paid in, else the one token offered, else null (the customer picks one).
  const paidToken = session.transactions[0]?.token ?? null
  const tokens = [...new Set(session.payment_options.map((o) => o.token))]
  const target = paidToken ?? (tokens.length === 1 ? (tokens[0] ?? null) : null)
  return {
    id: session.id,
    object: 'checkout.session' as const,
    livemode: session.livemode,
    order_id: session.order_id,
    amount_total: minorOf(session.amount, currency),
    currency: currency.toLowerCase(),
    payment_status: PAYMENT_STATUS[session.status],
    created: session.created_at,
    expires_at: session.expires_at,
    url: session.payment_url,
    line_items: session.line_items.map((line) => ({
      price_data: {
        currency: currency.toLowerCase(),
        unit_amount: minorOf(line.unit_amount, currency),
        product_data: { name: line.name, description: line.description },
      },
      quantity: line.quantity,
    })),
    tax_amount: minorOf(session.tax_amount, currency),
    shipping_amount: minorOf(session.shipping_amount, currency),
    // USD per unit of the price currency (null for USD); stablecoins are 1:1 to USD.
    exchange_rate: session.exchange_rate,
    target_currency: target,
    target_amount_total: session.amount_usd,
    rate_locked_at: session.rate_locked_at,
    metadata: session.metadata,
    success_url: session.success_url,
    cancel_url: session.cancel_url,
  }
}

/** The refund as StablePay's reference describes it; `amount` in cents of the token (an exact `amount_decimal` beside it). */
export function stablepayRefund(refund: Refund, orderIdOf: (sessionId: string) => string | null) {
  const [whole = '0', frac = ''] = refund.amount.split('.')
  return {
    refund_id: refund.refund_id,
    id: refund.id,
    object: 'refund' as const,
    payment_id: refund.session_id,
    order_id: orderIdOf(refund.session_id),
    amount: Number(BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2))),
    amount_decimal: refund.amount,
    currency: refund.token,
    status: refund.status,
    reason: refund.reason,
    description: refund.description,
    address: refund.destination,
    created_at: refund.created_at,
    metadata: refund.metadata,
  }
}
