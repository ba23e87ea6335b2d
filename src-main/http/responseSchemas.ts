import { z } from 'zod'
import type { DailyTotal, PaymentSession, Refund, RefundPage, SessionPage, WebhookEndpoint } from '../../src-preload/contract'
import { REFUND_REASONS, REFUND_STATUSES, SESSION_EXCEPTIONS, SESSION_STATUSES } from '../../src-preload/contract'
import { ERROR_CODES } from '../../src-preload/shared/errorCodes'
import type { ErrorBody } from './errors'
import type { checkoutSession, stablepayRefund } from './stablepay'

/**
 * What the REST API answers, as zod schemas (#12): the OpenAPI document is
 * generated from them (openapi.ts) and the API tests check every response
 * against them (test/support/openapi.ts). Each is tied to its contract type
 * below: a field added to PaymentSession and not here (or the reverse) fails
 * the type check, so the document cannot drift from what is sent.
 */

const unixSeconds = z.number().int().describe('Unix seconds')
const baseUnits = z.string().regex(/^\d+$/).describe('Integer string in the token’s base units (18-decimal tokens overflow 64 bits)')
const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/)

export const paymentOptionSchema = z.object({
  chain_id: z.number().int(),
  network: z.string(),
  token: z.string(),
  token_address: z.string(),
  decimals: z.number().int(),
  address: z.string(),
  amount: decimalString.describe('Decimal token string as the wallet shows it, e.g. "25.500001"'),
  amount_base_units: baseUnits,
  payment_uri: z.string().describe('EIP-681: ethereum:<token>@<chainId>/transfer?address=<to>&uint256=<base units>'),
})

export const sessionTransactionSchema = z.object({
  chain_id: z.number().int(),
  tx_hash: z.string(),
  log_index: z.number().int(),
  token: z.string(),
  token_address: z.string(),
  from: z.string(),
  to: z.string(),
  amount_base_units: baseUnits,
  block_number: z.number().int(),
  block_timestamp: unixSeconds,
  confirmations: z.number().int(),
  state: z.enum(['pending', 'confirmed', 'orphaned']),
})

export const paymentSessionSchema = z.object({
  id: z.string(),
  object: z.literal('payment_session'),
  status: z.enum(SESSION_STATUSES),
  livemode: z.boolean(),
  merchant_id: z.string(),
  order_id: z.string(),
  amount: decimalString.describe('Decimal string in `currency`, e.g. "25.50"'),
  currency: z.string(),
  metadata: z.record(z.string(), z.string()),
  created_at: unixSeconds,
  expires_at: unixSeconds,
  exchange_rate: z.string().nullable().describe('USD per one unit of `currency`; null when priced in USD'),
  rate_locked_at: unixSeconds.nullable(),
  amount_usd: decimalString,
  payment_options: z.array(paymentOptionSchema),
  remainder_option: paymentOptionSchema.nullable().describe('After an underpayment: the remainder, with its own amount and QR'),
  amount_paid_base_units: baseUnits,
  amount_remaining_base_units: baseUnits,
  confirmations: z.number().int(),
  required_confirmations: z.number().int(),
  transactions: z.array(sessionTransactionSchema),
  exceptions: z.array(z.enum(SESSION_EXCEPTIONS)),
  completed_at: unixSeconds.nullable(),
  pending_tx: z.object({ hash: z.string(), seen_at: unixSeconds }).nullable(),
  pending_tx_dropped: z
    .object({ hash: z.string(), reason: z.enum(['dropped', 'replaced', 'timeout', 'failed']), at: unixSeconds })
    .nullable(),
  till: z.string(),
  order_number: z.string().nullable().describe('What the cashier calls out, e.g. "A-0042"; null for sales made before order numbers'),
  receipt_url: z.string().nullable().describe('The public receipt page of a COMPLETED sale'),
  amount_refunded: decimalString,
  refunds: z.array(z.string()),
  line_items: z.array(
    z.object({
      name: z.string(),
      description: z.string().nullable(),
      unit_amount: decimalString,
      quantity: z.number().int(),
      amount: decimalString.describe('quantity × unit_amount'),
      product_id: z.string().nullable(),
    }),
  ),
  tax_amount: decimalString,
  shipping_amount: decimalString,
  tip_amount: decimalString,
  discount_amount: decimalString,
  payment_url: z.string().nullable().describe('The customer-facing payment page (/pay/:id, no login)'),
  success_url: z.string().nullable(),
  cancel_url: z.string().nullable(),
})

export const refundSchema = z.object({
  id: z.string(),
  object: z.literal('refund'),
  livemode: z.boolean(),
  merchant_id: z.string(),
  session_id: z.string(),
  refund_id: z.string(),
  amount: decimalString,
  amount_base_units: baseUnits,
  token: z.string(),
  token_address: z.string(),
  decimals: z.number().int(),
  chain_id: z.number().int(),
  network: z.string(),
  destination: z.string(),
  reason: z.enum(REFUND_REASONS),
  description: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
  status: z.enum(REFUND_STATUSES),
  tx_hash: z.string().nullable(),
  from: z.string().nullable(),
  confirmations: z.number().int(),
  required_confirmations: z.number().int(),
  payment_uri: z.string(),
  created_at: unixSeconds,
  expires_at: unixSeconds,
  succeeded_at: unixSeconds.nullable(),
  ended_at: unixSeconds.nullable(),
})

export const sessionPageSchema = z.object({
  data: z.array(paymentSessionSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
})

export const refundPageSchema = z.object({ data: z.array(refundSchema), has_more: z.boolean(), next_cursor: z.string().nullable() })

export const errorSchema = z.object({
  error: z.object({
    type: z.enum(['invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error', 'conflict_error', 'api_error']),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    param: z.string().nullable(),
  }),
})

// ---------------------------------------------------------------- webhook endpoints (#12)

export const webhookEndpointSchema = z.object({
  id: z.string(),
  merchant_id: z.string(),
  url: z.string(),
  events: z.array(z.string()).describe('Event types it hears; ["*"] for all'),
  enabled: z.boolean(),
  created_at: unixSeconds,
})

/** Create and rotate_secret only: the signing secret, answered this once. */
export const webhookEndpointWithSecretSchema = webhookEndpointSchema.extend({
  secret: z.string().describe('The signing secret (whsec_…): shown once, store it now'),
})

export const webhookEndpointListSchema = z.object({ data: z.array(webhookEndpointSchema), has_more: z.boolean() })

export const deletedWebhookEndpointSchema = z.object({ id: z.string(), deleted: z.literal(true) })

// ---------------------------------------------------------------- reports (#12)

const minorString = z
  .string()
  .regex(/^-?\d+$/)
  .describe('Integer string in minor units of `currency`')

export const dailyTotalSchema = z.object({
  day: z.string().describe("YYYY-MM-DD in the shop's time zone"),
  token: z.string(),
  chain_id: z.number().int(),
  amount_base_units: baseUnits,
  decimals: z.number().int(),
  currency: z.string(),
  amount_minor: minorString,
  count: z.number().int(),
  refunded_base_units: baseUnits,
  refunded_minor: minorString,
  net_base_units: z
    .string()
    .regex(/^-?\d+$/)
    .describe('amount_base_units − refunded_base_units'),
  net_minor: minorString.describe('amount_minor − refunded_minor'),
  tip_minor: minorString.describe('The tips inside amount_minor'),
})

export const dailyTotalsSchema = z.object({ data: z.array(dailyTotalSchema) })

// ---------------------------------------------------------------- the StablePay dialect (/api/v1, #12)

const minorUnits = z.number().int().describe('Integer in minor units of the currency (1050 is 10.50 USD, 1500 is 1500 JPY)')

export const checkoutSessionSchema = z.object({
  id: z.string(),
  object: z.literal('checkout.session'),
  livemode: z.boolean(),
  order_id: z.string(),
  amount_total: minorUnits,
  currency: z.string().describe('Lowercase, e.g. "usd"'),
  payment_status: z.enum(['pending', 'processing', 'paid', 'expired', 'canceled']),
  created: unixSeconds,
  expires_at: unixSeconds,
  url: z.string().nullable().describe('The customer-facing payment page (/pay/:id, no login)'),
  line_items: z.array(
    z.object({
      price_data: z.object({
        currency: z.string(),
        unit_amount: minorUnits,
        product_data: z.object({ name: z.string(), description: z.string().nullable() }),
      }),
      quantity: z.number().int(),
    }),
  ),
  tax_amount: minorUnits,
  shipping_amount: minorUnits,
  exchange_rate: z.string().nullable().describe('USD per one unit of `currency`; null when priced in USD'),
  target_currency: z.string().nullable().describe('The token paid in, else the one token offered, else null (the customer picks)'),
  target_amount_total: decimalString.describe('The price in USD, which the stablecoins are 1:1 to'),
  rate_locked_at: unixSeconds.nullable(),
  metadata: z.record(z.string(), z.string()),
  success_url: z.string().nullable(),
  cancel_url: z.string().nullable(),
})

export const checkoutSessionListSchema = z.object({
  object: z.literal('list'),
  data: z.array(checkoutSessionSchema),
  has_more: z.boolean(),
})

export const stablepayRefundSchema = z.object({
  refund_id: z.string(),
  id: z.string(),
  object: z.literal('refund'),
  payment_id: z.string().describe('The checkout session refunded'),
  order_id: z.string().nullable(),
  amount: z.number().int().describe('Cents of the token (1 USDC = 100)'),
  amount_decimal: decimalString.describe('The exact amount in the token'),
  currency: z.string().describe('The token: USDT or USDC'),
  status: z.enum(REFUND_STATUSES),
  reason: z.enum(REFUND_REASONS),
  description: z.string().nullable(),
  address: z.string().describe('Where the refund is sent'),
  created_at: unixSeconds,
  metadata: z.record(z.string(), z.string()),
})

export const stablepayRefundCanceledSchema = z.object({
  refund_id: z.string(),
  status: z.enum(REFUND_STATUSES),
  canceled_at: unixSeconds.nullable(),
})

/** The OpenAPI document itself (its own route is in the table too). */
export const openApiDocumentSchema = z
  .object({
    openapi: z.string(),
    info: z.object({ title: z.string(), version: z.string() }).loose(),
    paths: z.record(z.string(), z.unknown()),
  })
  .loose()

// Each schema is exactly its contract type, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const same = <T extends true>(): T => true as T
same<Same<z.infer<typeof paymentSessionSchema>, PaymentSession>>()
same<Same<z.infer<typeof refundSchema>, Refund>>()
same<Same<z.infer<typeof sessionPageSchema>, SessionPage>>()
same<Same<z.infer<typeof refundPageSchema>, RefundPage>>()
same<Same<z.infer<typeof errorSchema>, ErrorBody>>()
same<Same<z.infer<typeof webhookEndpointSchema>, WebhookEndpoint>>()
same<Same<z.infer<typeof dailyTotalSchema>, DailyTotal>>()
same<Same<z.infer<typeof checkoutSessionSchema>, ReturnType<typeof checkoutSession>>>()
same<Same<z.infer<typeof stablepayRefundSchema>, ReturnType<typeof stablepayRefund>>>()
