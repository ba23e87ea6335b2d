import type { ErrorType } from '../engine'
import type { ErrorCode } from '../../src-preload/shared/errorCodes'
import { EngineError } from '../engine'
import { isStorageFull, STORAGE_FULL_MESSAGE, storageFault } from '../engine/errors'
import { errorFields, log, whereLogIs } from '../engine/log'

/**
 * StablePay's error shape, `{"error":{"type","code","message","param"}}`, as
 * an exception the HTTP layer throws anywhere and answers in one place.
 * `param` is always present in the body (null when no field is to blame) so
 * clients can read it without a presence check.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: ErrorCode,
    message: string,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

export interface ErrorBody {
  error: { type: ErrorType; code: ErrorCode; message: string; param: string | null }
}

const STATUS_OF: Record<ErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  api_error: 500,
}

export const badRequest = (code: ErrorCode, message: string, param: string | null = null) =>
  new HttpError(400, 'invalid_request_error', code, message, param)
export const notFoundError = (message: string, param: string | null = null) =>
  new HttpError(404, 'not_found_error', 'resource_missing', message, param)
export const forbidden = (code: ErrorCode, message: string, param: string | null = null) =>
  new HttpError(403, 'permission_error', code, message, param)
// A 401 must name the scheme (RFC 9110); Bearer, unlike Basic, never makes a browser pop up a login box.
export const unauthorized = (code: ErrorCode, message: string) =>
  new HttpError(401, 'authentication_error', code, message, null, { 'WWW-Authenticate': 'Bearer realm="StablePay POS"' })
export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new HttpError(405, 'invalid_request_error', 'method_not_allowed', `${method} is not allowed here; use ${allowed.join(' or ')}`, null, {
    Allow: allowed.join(', '),
  })
export const tooLarge = (limit: number) =>
  new HttpError(413, 'invalid_request_error', 'body_too_large', `the request body is larger than ${Math.floor(limit / 1024)} KB`)

/**
 * Any thrown value as an HttpError. Engine errors keep their type, code and
 * param; anything else is our bug, so it is logged (message and stack only:
 * never a request, which could carry a key) and answered as a plain 500.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error
  // 507 Insufficient Storage: the request was fine and nothing of it was stored; it can be sent again once there is room.
  if (isStorageFull(error)) {
    log('http').warn({ code: (error as { code?: unknown }).code }, 'write refused: the disk holding the database is full')
    return new HttpError(507, 'api_error', 'storage_full', STORAGE_FULL_MESSAGE)
  }
  // 503: the database can be read but not written (a disk remounted read-only, a USB disk gone); logged once, not per request.
  const storage = storageFault(error)
  if (storage) return new HttpError(503, 'api_error', storage.code, storage.message)
  if (error instanceof EngineError) return new HttpError(STATUS_OF[error.type], error.type, error.code, error.message, error.param ?? null)
  // A client that hung up mid-request (a closed tab, a dropped Wi-Fi) is not the app's fault: one debug line,
  // and the answer below goes nowhere.
  if (clientWentAway(error)) {
    log('http').debug({ reason: (error as Error).message }, 'client went away mid-request')
    return new HttpError(400, 'invalid_request_error', 'client_gone', 'the client closed the connection')
  }
  log('http').error(errorFields(error), 'request failed')
  return new HttpError(
    500,
    'api_error',
    'internal_error',
    `Something went wrong inside StablePay POS; the details are in its log${whereLogIs()}.`,
  )
}

export function errorBody(error: HttpError): ErrorBody {
  return { error: { type: error.type, code: error.code, message: error.message, param: error.param } }
}

function clientWentAway(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (error instanceof Error && error.message === 'aborted')
}
