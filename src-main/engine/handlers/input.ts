import { invalid } from '../errors'

/**
 * Bridge input is untrusted JSON (the contract's types hold at compile time
 * only): these turn a wrong shape into a `parameter_invalid` answer instead of
 * a TypeError deep in a handler.
 */
export function record(input: unknown, what: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('parameter_invalid', `${what} must be an object`)
  return input as Record<string, unknown>
}

export function string(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalid('parameter_invalid', `${param} must be a string`, param)
  return value
}

export function optionalString(value: unknown, param: string): string | undefined {
  return value === undefined || value === null ? undefined : string(value, param)
}

export function optionalInteger(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid('parameter_invalid', `${param} must be an integer`, param)
  return value
}
