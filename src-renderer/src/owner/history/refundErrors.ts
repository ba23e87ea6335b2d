import { useCallback } from 'react'
import { useErrorText } from '../../i18n'
import { useOwnerT } from '../i18n'
import { refundErrorKey } from '../refunds'

/**
 * An engine refusal of a refund action in the owner's words: the refund codes
 * the owner meets (more than is left, not cancelable, a hash that does not
 * pay it…) in both languages; anything else as the app says other errors.
 */
export function useRefundErrorText(): (error: unknown) => string {
  const t = useOwnerT()
  const errorText = useErrorText()
  return useCallback(
    (error: unknown) => {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : ''
      const key = refundErrorKey(code)
      return key ? t(key) : errorText({ code: code || 'unexpected' })
    },
    [t, errorText],
  )
}
