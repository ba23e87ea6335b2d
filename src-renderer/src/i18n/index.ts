/**
 * Every visible string comes from one typed dictionary merged from per-area
 * files of the `defineStrings` shape (see define.ts).
 *
 * An area that is always on screen adds its file by spreading it into
 * `dictionary` below; its keys then type-check everywhere `t()` is used.
 * The owner screens (`owner/strings.ts`, same shape) deliberately stay out:
 * they are lazy-loaded, and their strings travel with their chunk (owner/i18n.ts
 * falls back to this dictionary for shared keys), so the cashier's first
 * paint does not carry them. test/unit/renderer.test.ts checks that no key is
 * defined twice across all areas, owner included.
 */
import { useCallback } from 'react'
import { useAppStore } from '../state/app'
import { cashierStrings } from './cashier'
import { commonStrings } from './common'
import type { Language, Params, StringTable } from './define'
import { localize } from './define'
import { describeError, errorText } from './errors'
import { setupStrings } from './setup'
import { receiptStrings } from './receipts'
import { ownerLockStrings } from './ownerLock'
import { tipStrings } from './tips'
import { catalogStrings } from './catalog'

const dictionary = {
  ...commonStrings,
  ...cashierStrings,
  ...setupStrings,
  ...receiptStrings,
  ...ownerLockStrings,
  // Tips, shifts and the end-of-day report (#17).
  ...tipStrings,
  ...catalogStrings,
} as const satisfies StringTable

export type StringKey = keyof typeof dictionary
type TFunction = (key: StringKey, params?: Params) => string

export function translate(language: Language, key: StringKey, params?: Params): string {
  return localize(dictionary[key], language, params)
}

export function useLanguage(): Language {
  return useAppStore((s) => s.language)
}

/** `const t = useT(); t('cashier.charge')`: re-renders when the language changes. */
export function useT(): TFunction {
  const language = useLanguage()
  return useCallback((key: StringKey, params?: Params) => translate(language, key, params), [language])
}

/** `const errorText = useErrorText(); errorText(error)`: an engine error in the cashier's language (see errors.ts). */
export function useErrorText(): (error: { code: string; message?: string }) => string {
  const language = useLanguage()
  return useCallback((error: { code: string; message?: string }) => errorText(language, error), [language])
}

/**
 * For stores (outside React): any thrown value as the sentence to show, in the language of the moment (see
 * errors.ts); never the engine's or the browser's raw text.
 */
export function errorMessage(error: unknown): string {
  return describeError(useAppStore.getState().language, error)
}

export type { Language, Params } from './define'
export * from './format'
