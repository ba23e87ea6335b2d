import { useEffect } from 'react'
import type { ReceiveSetup } from '../../../src-preload/contract'
import { useLanguage, useT } from '../i18n'
import { useOwnerStore } from '../state/owner'
import type { Route } from '../state/route'

/**
 * For 24 hours after the receiving address (or xpub) changed, every staff
 * screen says so (#13): a change the owner did not make is how a thief at
 * the till would redirect the next customer's payment.
 */
export function ReceiveNotice({ route }: { route: Route }) {
  const t = useT()
  const language = useLanguage()
  const notices = useOwnerStore((s) => s.notices)
  const loadNotices = useOwnerStore((s) => s.loadNotices)
  // Asked again on each screen change (the owner's change in Settings shows when the sale screen comes back) and every minute.
  useEffect(() => {
    void loadNotices()
    const timer = setInterval(() => void loadNotices(), 60_000)
    return () => clearInterval(timer)
  }, [route, loadNotices])

  // The engine lists only the last 24 hours' change; it is asked again every minute.
  const notice = notices[0]
  if (!notice) return null
  const show = (r: ReceiveSetup | null) => (r === null ? t('notice.none') : r.mode === 'address' ? (r.address ?? '') : t('notice.xpub'))
  return (
    <p className="notice notice-warn receive-notice" role="status" data-testid="receive-notice">
      {t('notice.receiveChanged', {
        time: new Date(notice.at * 1000).toLocaleString(language),
        after: show(notice.after),
        before: show(notice.before),
      })}
    </p>
  )
}
