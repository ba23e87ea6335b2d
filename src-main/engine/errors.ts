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

import type { ErrorCode } from '../../src-preload/shared/errorCodes'
import { errorFields, log } from './log'

export class EngineError extends Error {
  constructor(
    readonly type: ErrorType,
    readonly code: ErrorCode,
    message: string,
    readonly param?: string,
  ) {
    super(message)
    this.name = 'EngineError'
  }
}

export const invalid = (code: ErrorCode, message: string, param?: string) =>
  new EngineError('invalid_request_error', code, message, param)
export const notFound = (message: string, param?: string) =>
  new EngineError('not_found_error', 'resource_missing', message, param)
export const conflict = (code: ErrorCode, message: string, param?: string) =>
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

/**
 * What a write meets when the database can be read but no longer written while the shop runs: a disk
 * remounted read-only after an error (the kernel then answers EROFS, which SQLite reports as an I/O error),
 * a USB disk pulled out, or a file or folder turned read-only (SQLITE_READONLY). Nothing of the refused
 * write was stored; reads keep working.
 */
export function isStorageUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return false
  return code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code === 'EROFS'
}

export const STORAGE_UNAVAILABLE_MESSAGE =
  'The shop’s data cannot be saved: the disk that holds it has become read-only or stopped answering, so this was not saved. ' +
  'Sales already saved are safe. Check the disk (was it unplugged?), then restart StablePay POS.'

/** Once per episode in the log, not once per refused write: a till taking sales would otherwise fill the log with it. */
const UNAVAILABLE_LOG_EVERY_MS = 10 * 60_000
let unavailableLoggedAt = -Infinity

/**
 * A write the storage refused, as the answer both transports give: `storage_full` (a full disk) or
 * `storage_unavailable` (read-only, gone); null for any other error. The first unavailable one of an
 * episode is logged with SQLite's own words.
 */
export function storageFault(error: unknown): { code: 'storage_full' | 'storage_unavailable'; message: string } | null {
  if (isStorageFull(error)) return { code: 'storage_full', message: STORAGE_FULL_MESSAGE }
  if (!isStorageUnavailable(error)) return null
  const now = performance.now()
  if (now - unavailableLoggedAt >= UNAVAILABLE_LOG_EVERY_MS) {
    unavailableLoggedAt = now
    log('db').error(errorFields(error), 'writes refused: the database can no longer be written (later refusals are not logged for 10 minutes)')
  }
  return { code: 'storage_unavailable', message: STORAGE_UNAVAILABLE_MESSAGE }
}
