import { Button } from '../components'
import { formatFiat, useErrorText, useLanguage, useT } from '../i18n'
import { useSaleStore } from '../state'

/**
 * Tips (#17): after Charge, while the customer display asks for the tip. The
 * cashier may go on without one (Skip tip) or give the charge up (Cancel, Esc).
 */
export function TipWait() {
  const t = useT()
  const language = useLanguage()
  const errorText = useErrorText()
  const tip = useSaleStore((s) => s.tip)
  const error = useSaleStore((s) => s.error)
  if (!tip) return null
  return (
    <section className="tip-wait" data-testid="tip-wait" data-tip-id={tip.id} aria-live="polite">
      <p className="paid-title">{t('tips.waiting')}</p>
      <p className="fiat-line">{t('tips.waitingBase', { amount: formatFiat(tip.base_amount, tip.currency, language) })}</p>
      {error ? (
        <p className="notice notice-bad" role="alert">
          {errorText(error)}
        </p>
      ) : null}
      <div className="owner-actions">
        <Button variant="primary" size="lg" onClick={() => void useSaleStore.getState().skipTip()} data-testid="tip-skip">
          {t('tips.skip')}
        </Button>
        <Button size="lg" onClick={() => void useSaleStore.getState().cancelTip()} data-testid="tip-cancel">
          {t('tips.cancel')}
        </Button>
      </div>
    </section>
  )
}
