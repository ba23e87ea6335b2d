import { z } from 'zod'
import { SESSION_STATUSES } from '../../src-preload/contract'
import { CURRENCY_CODES, isCurrency } from '../engine/money'
import type { HttpError } from './errors'
import { badRequest } from './errors'

/**
 * Request shapes of the REST API. zod checks types, presence and ranges and
 * names the field; the engine stays the last word on meaning (an amount's
 * decimals for its currency, a network the key's mode can reach).
 */

// No control characters (C0, DEL, C1): an order id ends up in CSV files, logs and receipts.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/

/** JSON clients often send null for "not given"; treat it as absent rather than as a wrong type. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined)

const orderId = z
  .string({ error: 'order_id must be a string' })
  .min(1, 'order_id must be 1-128 characters')
  .max(128, 'order_id must be 1-128 characters')
  .refine((s) => !CONTROL_CHARS.test(s), 'order_id must not contain control characters')

export const createSessionSchema = z
  .object({
    merchant_id: z.string({ error: 'merchant_id must be a string' }).min(1, 'merchant_id must not be empty'),
    order_id: orderId,
    // A JSON number cannot be trusted with cents (100.1 + 0.2), so prices travel as strings.
    amount: z.string({ error: 'amount must be a decimal string like "100.50", not a JSON number' }),
    currency: z
      .string({ error: 'currency must be a string like "USD"' })
      .refine(isCurrency, `currency must be one of ${CURRENCY_CODES.join(', ')}`),
    chain_id: optional(
      z
        .number({ error: 'chain_id must be an integer chain id like 8453' })
        .int('chain_id must be an integer chain id like 8453')
        .positive('chain_id must be a positive integer'),
    ),
    token: optional(
      z.string({ error: 'token must be a token symbol like "USDC"' }).min(1).max(16, 'token must be a symbol of at most 16 characters'),
    ),
    metadata: optional(
      z
        .record(
          z.string().min(1, 'metadata keys must be 1-40 characters').max(40, 'metadata keys must be 1-40 characters'),
          z.string({ error: 'metadata values must be strings' }).max(500, 'metadata values must be at most 500 characters'),
          { error: 'metadata must be an object of string keys and string values' },
        )
        .refine((m) => Object.keys(m).length <= 20, 'metadata may hold at most 20 pairs'),
    ),
    expires_in: optional(
      z
        .number({ error: 'expires_in must be a whole number of seconds' })
        .int('expires_in must be a whole number of seconds')
        .min(60, 'expires_in must be from 60 to 86400 seconds')
        .max(86400, 'expires_in must be from 60 to 86400 seconds'),
    ),
  })
  .strict()

export type CreateSessionBody = z.infer<typeof createSessionSchema>

/** Cancel takes no parameters; an empty body and `{}` are both fine. */
export const cancelSessionSchema = z.object({}).strict()

const wholeNumber = (name: string, max = 15) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,${max}}$`), `${name} must be a whole number`)
    .transform(Number)

export const listSessionsSchema = z
  .object({
    limit: wholeNumber('limit', 3)
      .refine((n) => n >= 1 && n <= 100, 'limit must be an integer from 1 to 100')
      .optional(),
    starting_after: z.string().min(1).max(64, 'starting_after must be a session id').optional(),
    status: z.enum(SESSION_STATUSES, { error: `status must be one of ${SESSION_STATUSES.join(', ')}` }).optional(),
    order_id: z.string().min(1).max(128, 'order_id must be 1-128 characters').optional(),
    created_gte: wholeNumber('created_gte (unix seconds)').optional(),
    created_lt: wholeNumber('created_lt (unix seconds)').optional(),
    chain_id: wholeNumber('chain_id').optional(),
    token: z.string().min(1).max(16).optional(),
  })
  .strict()

export type ListSessionsQuery = z.infer<typeof listSessionsSchema>

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
