/**
 * The engine's one error type. `type` and `code` follow StablePay's API error
 * shape; the HTTP layer maps `type` to a status and the contract passes
 * `code`/`message`/`param` to the UI unchanged.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'api_error'

export class EngineError extends Error {
  constructor(
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message)
    this.name = 'EngineError'
  }
}

export const invalid = (code: string, message: string, param?: string) =>
  new EngineError('invalid_request_error', code, message, param)
export const notFound = (message: string, param?: string) =>
  new EngineError('not_found_error', 'resource_missing', message, param)
export const conflict = (code: string, message: string, param?: string) =>
  new EngineError('conflict_error', code, message, param)
