/**
 * Engine errors in the cashier's language: English shows the engine's exact
 * message (it names the currency, the order…); Chinese shows a translation of
 * the known codes and falls back to the exact message for the rest. Plain
 * code (no React, no DOM), so tests run it as it is.
 */
import { commonStrings } from './common'
import type { Language } from './define'
import { localize } from './define'

export const TRANSLATED_ERRORS = [
  'connection_lost',
  'rate_unavailable',
  'rate_stale',
  'session_not_cancellable',
  'order_completed',
  // Failing cleanly (#14):
  'storage_full',
  'amount_space_exhausted',
  // The owner PIN (#13):
  'owner_required',
  'pin_wrong',
  'pin_locked_out',
  'recovery_code_wrong',
] as const

type TranslatedError = (typeof TRANSLATED_ERRORS)[number]

export function errorText(language: Language, error: { code: string; message: string }): string {
  if (language === 'en' || !(TRANSLATED_ERRORS as readonly string[]).includes(error.code)) return error.message
  return localize(commonStrings[`error.${error.code as TranslatedError}`], language)
}
