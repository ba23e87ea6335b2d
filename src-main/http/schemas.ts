import { z } from 'zod'
import {
  amount,
  chainId,
  currencyCode,
  expiresIn,
  limit,
  metadata,
  optional,
  orderId,
  refundDescription,
  refundDestination,
  refundId,
  refundReason,
  refundStatus,
  saleComposition,
  sessionCursor,
  sessionStatus,
  tokenSymbol,
} from '../../src-preload/schemas'
import { CURRENCY_CODES } from '../engine/money'
import type { HttpError } from './errors'
import { badRequest } from './errors'

/**
 * Request shapes of the REST API, built from the same field rules as the
 * UI's channels (src-preload/schemas.ts). zod checks types, presence and
 * ranges and names the field; the engine stays the last word on meaning (an
 * amount's decimals for its currency, a network the key's mode can reach).
 */

export const createSessionSchema = z
  .object({
    merchant_id: z.string({ error: 'merchant_id must be a string' }).min(1, 'merchant_id must not be empty'),
    order_id: orderId,
    amount,
    currency: currencyCode(() => `currency must be one of ${CURRENCY_CODES.join(', ')}`),
    chain_id: optional(chainId),
    token: optional(tokenSymbol),
    metadata: optional(metadata),
    expires_in: optional(expiresIn),
    ...saleComposition,
  })
  .strict()

export type CreateSessionBody = z.infer<typeof createSessionSchema>

/** Cancel takes no parameters; an empty body and `{}` are both fine. */
export const cancelSessionSchema = z.object({}).strict()

/** A query parameter that must be digits, as a number. */
export const wholeNumber = (name: string, max = 15) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,${max}}$`), `${name} must be a whole number`)
    .transform(Number)

export const listSessionsSchema = z
  .object({
    limit: wholeNumber('limit', 3).pipe(limit(100)).optional(),
    starting_after: sessionCursor.optional(),
    status: sessionStatus.optional(),
    order_id: orderId.optional(),
    created_gte: wholeNumber('created_gte (unix seconds)').optional(),
    created_lt: wholeNumber('created_lt (unix seconds)').optional(),
    chain_id: wholeNumber('chain_id').optional(),
    token: tokenSymbol.optional(),
    till: z.string().max(64, 'till must be a till id like "till_1"').optional(),
  })
  .strict()

export type ListSessionsQuery = z.infer<typeof listSessionsSchema>

// ---------------------------------------------------------------- refunds (#11)

/** `POST /v1/refunds/create`: the refund_id is the merchant's idempotency key, so it is required here. */
export const createRefundSchema = z
  .object({
    session_id: z.string({ error: 'session_id must be a string' }).min(1, 'session_id must not be empty'),
    refund_id: refundId,
    amount,
    reason: optional(refundReason),
    destination: optional(refundDestination),
    description: optional(refundDescription),
    metadata: optional(metadata),
    chain_id: optional(chainId),
    token: optional(tokenSymbol),
  })
  .strict()

export const cancelRefundSchema = z.object({}).strict()

export const listRefundsSchema = z
  .object({
    session_id: z.string().min(1, 'session_id must not be empty').max(64, 'session_id must be a session id').optional(),
    status: refundStatus.optional(),
    limit: wholeNumber('limit', 3).pipe(limit(100)).optional(),
    starting_after: z.string().min(1).max(64, 'starting_after must be a refund id').optional(),
  })
  .strict()

/** `metadata.note` → `metadata[note]`, the way StablePay (like Stripe) names nested parameters. */
export function paramName(path: readonly PropertyKey[]): string | null {
  if (path.length === 0) return null
  const [head, ...rest] = path.map((p) => String(p))
  return head + rest.map((p) => `[${p}]`).join('')
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key as string]
  }
  return value
}

/** The first zod issue as StablePay's error: missing → parameter_missing, unknown → parameter_unknown, else parameter_invalid. */
export function issueToError(issues: readonly z.core.$ZodIssue[], input: unknown): HttpError {
  const issue = issues[0]
  if (!issue) return badRequest('parameter_invalid', 'invalid request')
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? ''
    const param = paramName([...issue.path, key])
    return badRequest('parameter_unknown', `unknown parameter: ${param ?? key}`, param)
  }
  if (issue.code === 'invalid_key') {
    return badRequest('parameter_invalid', issue.issues[0]?.message ?? issue.message, paramName(issue.path.slice(0, -1)))
  }
  const param = paramName(issue.path)
  if (issue.path.length > 0 && valueAt(input, issue.path) === undefined)
    return badRequest('parameter_missing', `missing required parameter: ${param ?? ''}`, param)
  return badRequest('parameter_invalid', issue.message, param)
}

/** Parses or throws the error shape. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw issueToError(parsed.error.issues, input)
  return parsed.data
}
