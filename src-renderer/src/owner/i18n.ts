import { useCallback } from 'react'
import type { Params, StringKey } from '../i18n'
import { translate, useLanguage } from '../i18n'
import { localize } from '../i18n/define'
import { ownerStrings } from './strings'

export type OwnerKey = keyof typeof ownerStrings & string

/**
 * `t` for the owner screens: their own strings (owner/strings.ts) and the
 * shared ones (statuses, actions). Once ownerStrings is merged into the
 * app's dictionary this is the same as useT().
 */
export function useOwnerT(): (key: OwnerKey | StringKey, params?: Params) => string {
  const language = useLanguage()
  return useCallback(
    (key: OwnerKey | StringKey, params?: Params) =>
      Object.hasOwn(ownerStrings, key)
        ? localize(ownerStrings[key as OwnerKey], language, params)
        : translate(language, key as StringKey, params),
    [language],
  )
}

export type OwnerT = ReturnType<typeof useOwnerT>
