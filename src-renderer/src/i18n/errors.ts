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
  // Health at the till (#15):
  'network_offline',
  // The owner PIN (#13):
  'owner_required',
  'pin_wrong',
  'pin_locked_out',
  'recovery_code_wrong',
  // A shop without a PIN: the first one is chosen on the machine itself (#13).
  'pin_set_on_machine',
  'storage_unavailable',
] as const

/**
 * Codes whose engine message is a developer's detail ("checksum mismatch", "invalid version bytes"): the cashier
 * and owner read the table's sentence in English too; the detail stays in the engine's log and answer (#15).
 */
export const REWORDED_ERRORS = ['address_invalid', 'xpub_invalid', 'receive_not_wallet'] as const

type TranslatedError = (typeof TRANSLATED_ERRORS)[number] | (typeof REWORDED_ERRORS)[number]

export function errorText(language: Language, error: { code: string; message: string }): string {
  if ((REWORDED_ERRORS as readonly string[]).includes(error.code))
    return localize(commonStrings[`error.${error.code as TranslatedError}`], language)
  if (language === 'en') return error.message
  // A code without a sentence yet: a Chinese till never shows the engine's English (the code says which for support).
  if (!(TRANSLATED_ERRORS as readonly string[]).includes(error.code))
    return localize(commonStrings['error.other'], language, { code: error.code })
  return localize(commonStrings[`error.${error.code as TranslatedError}`], language)
}
