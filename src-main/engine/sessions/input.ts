import type { CurrencyCode } from '../money'
import { isCurrency, MoneyError, parseFiatAmount } from '../money'
import { invalid } from '../errors'

/** The fields of a create request as they arrive (the contract's types hold at compile time only). */
export interface CreateFields {
  orderId: string
  amount: string
  currency: string
  metadata?: Record<string, string>
  expiresIn?: number
}

/** The same fields, checked. */
export interface CheckedCreateFields {
  orderId: string
  currency: CurrencyCode
  amountMinor: bigint
  metadata: Record<string, string>
  expiresIn: number | undefined
}

// No control characters (C0, DEL, C1): an order id ends up in CSV files, logs and receipts.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/
const MAX_METADATA_PAIRS = 20

/** The format of each field of a new session; what needs stored data (networks, rates, orders) is checked in create.ts. */
export function checkCreateFields(input: CreateFields): CheckedCreateFields {
  const orderId = input.orderId
  if (typeof orderId !== 'string' || orderId.length < 1 || orderId.length > 128)
    throw invalid('parameter_invalid', 'order_id must be 1-128 characters', 'order_id')
  if (CONTROL_CHARS.test(orderId)) throw invalid('parameter_invalid', 'order_id must not contain control characters', 'order_id')
  const currency = input.currency
  if (!isCurrency(currency)) throw invalid('parameter_invalid', `unsupported currency "${currency}"`, 'currency')
  let amountMinor: bigint
  try {
    amountMinor = parseFiatAmount(input.amount, currency)
  } catch (error) {
    if (error instanceof MoneyError) throw invalid('parameter_invalid', error.message, 'amount')
    throw error
  }
  const metadata = validateMetadata(input.metadata)
  const expiresIn = input.expiresIn
  if (expiresIn !== undefined && (!Number.isInteger(expiresIn) || expiresIn < 60 || expiresIn > 86400))
    throw invalid('parameter_invalid', 'expires_in must be an integer number of seconds from 60 to 86400', 'expires_in')
  return { orderId, currency, amountMinor, metadata, expiresIn }
}

function validateMetadata(metadata: unknown): Record<string, string> {
  if (metadata === undefined || metadata === null) return {}
  if (typeof metadata !== 'object' || Array.isArray(metadata))
    throw invalid('parameter_invalid', 'metadata must be an object of string keys and string values', 'metadata')
  const entries = Object.entries(metadata as Record<string, unknown>)
  if (entries.length > MAX_METADATA_PAIRS)
    throw invalid('parameter_invalid', `metadata may hold at most ${MAX_METADATA_PAIRS} pairs`, 'metadata')
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 40)
      throw invalid('parameter_invalid', `metadata key "${key.slice(0, 40)}" must be 1-40 characters`, 'metadata')
    if (typeof value !== 'string') throw invalid('parameter_invalid', `metadata["${key}"] must be a string`, 'metadata')
    if (value.length > 500) throw invalid('parameter_invalid', `metadata["${key}"] must be at most 500 characters`, 'metadata')
  }
  return Object.fromEntries(entries) as Record<string, string>
}
