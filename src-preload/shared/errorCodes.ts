/**
 * Every error code the app can answer with, in one list (#15). The engine's error helpers
 * (src-main/engine/errors.ts), the HTTP layer's (src-main/http/errors.ts) and the contract's `ContractError` take
 * only these, so a new code is a compile error until it is added here; and the renderer's table of sentences
 * (src-renderer/src/i18n/errors.ts) is a `Record<ErrorCode, …>`, so a code added here without its English and
 * Chinese sentence is a compile error there. The screens show that sentence; the engine's own message (a
 * developer's detail: "checksum mismatch", "connect ECONNREFUSED") goes to the log and to API clients.
 *
 * No Node, no DOM: the engine and the renderer both compile this file.
 */
export const ERROR_CODES = [
  // The request itself (REST API and bridge).
  'parameter_invalid',
  'parameter_missing',
  'parameter_unknown',
  'json_invalid',
  'body_too_large',
  'method_not_allowed',
  'unknown_channel',
  'resource_missing',
  'client_gone',
  'cross_origin_request',
  'host_not_allowed',
  'forbidden_sender',
  'idempotency_key_reused',
  // Signing in: devices, the printed token, pairing codes, API keys.
  'session_invalid',
  'token_invalid',
  'pairing_code_invalid',
  'api_key_invalid',
  'api_key_missing',
  'api_key_revoked',
  // Signed API requests (#12).
  'api_secret_missing',
  'signature_missing',
  'signature_invalid',
  'timestamp_invalid',
  'timestamp_out_of_range',
  'nonce_invalid',
  'nonce_reused',
  'merchant_mismatch',
  'livemode_mismatch',
  'device_local',
  // The owner PIN (#13).
  'owner_required',
  'pin_wrong',
  'pin_locked_out',
  'pin_already_set',
  // A shop without a PIN: the first one is chosen on the machine itself.
  'pin_set_on_machine',
  'recovery_code_wrong',
  'recovery_code_unavailable',
  // Setting the shop up.
  'setup_required',
  'address_invalid',
  'xpub_invalid',
  'receive_not_wallet',
  'chain_unavailable',
  'api_server_fixed',
  // Amounts, currencies and rates.
  'amount_invalid',
  'amount_too_precise',
  'amount_too_large',
  'amount_not_positive',
  'amount_mismatch',
  'amount_space_exhausted',
  'decimals_invalid',
  'currency_unsupported',
  'rate_invalid',
  'rate_unavailable',
  'rate_stale',
  'rate_provider_unreachable',
  'rate_provider_invalid',
  // Sales.
  'network_offline',
  'session_not_cancellable',
  'session_not_reversed',
  'illegal_transition',
  'order_completed',
  'order_conflict',
  'simulation_unavailable',
  // Payments that match no sale.
  'transfer_already_assigned',
  'transfer_orphaned',
  'transfer_token_mismatch',
  // Refunds.
  'session_not_refundable',
  'refund_exceeds_received',
  'refund_conflict',
  'refund_not_pending',
  'refund_not_cancelable',
  'refund_proof_mismatch',
  'refund_proof_not_found',
  'destination_is_shop',
  'destination_checksum_invalid',
  // Webhooks.
  'endpoint_disabled',
  // Files: exports, receipts, backups.
  'export_in_browser',
  'print_in_browser',
  'print_failed',
  'backup_not_found',
  'backup_invalid',
  'backup_failed',
  'restore_running',
  'shop_stopped',
  // Storage.
  'storage_full',
  'storage_unavailable',
  // The catalog, tips and shifts (#17).
  'image_invalid',
  'image_too_large',
  'tips_off',
  'tip_request_closed',
  'tip_too_large',
  'shift_open',
  'shift_closed',
  // Something the app did not expect (its log has the details).
  'internal_error',
  // Made by the page itself: the app could not be reached, or answered something unreadable.
  'connection_lost',
  'bad_response',
  'unexpected',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES)

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN.has(code)
}
