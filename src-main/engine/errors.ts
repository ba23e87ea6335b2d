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

/**
 * What a write meets when the disk holding the shop's database is full:
 * SQLite's SQLITE_FULL (also what `PRAGMA max_page_count` gives), or the file
 * system's ENOSPC. Nothing of the refused write was stored (SQLite rolls it
 * back), so the answer is "not saved, free some space", not "something went
 * wrong"; reads keep working meanwhile.
 */
export function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_FULL' || code === 'ENOSPC'
}

export const STORAGE_FULL_MESSAGE =
  'The disk that holds the shop’s data is full, so this was not saved. Free some space on this computer, then try again; ' +
  'sales already saved are safe.'
