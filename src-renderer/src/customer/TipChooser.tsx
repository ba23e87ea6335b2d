import { useState } from 'react'
import type { TipRequest } from '../../../src-preload/contract'
import { api, BridgeError } from '../bridge'
import { formatFiat, priceDecimals, useErrorText, useLanguage, useT } from '../i18n'

/**
 * Tips (#17): before the QR, the customer picks one of the owner's three
 * percentages, an amount of their own, or no tip. The engine computes the
 * amounts (exact, half up) and makes the sale from the answer; this screen
 * only shows what the request says and sends the choice.
 */
export function TipChooser({ request }: { request: TipRequest }) {
  const t = useT()
  const language = useLanguage()
  const errorText = useErrorText()
  const [custom, setCustom] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const decimals = priceDecimals(request.currency)
  const money = (amount: string) => formatFiat(amount, request.currency, language)
  const customPattern = decimals > 0 ? new RegExp(`^\\d{1,12}(\\.\\d{0,${decimals}})?$`) : /^\d{1,12}$/

  const answer = async (choice: 'percent' | 'custom' | 'none', extra: { percent?: number; amount?: string } = {}) => {
    setBusy(true)
    setError(null)
    try {
      await api['tips:answer']({ id: request.id, choice, ...extra })
    } catch (e) {
      if (e instanceof BridgeError) setError(errorText({ code: e.code, message: e.message }))
      else setError(String(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="customer-tip" data-testid="tip-chooser" data-tip-id={request.id}>
      <p className="customer-welcome">{t('tips.title')}</p>
      <p className="fiat-line" data-testid="tip-base">
        {t('tips.subtotal', { amount: money(request.base_amount) })}
      </p>
      <div className="tip-buttons">
        {request.options.map((option) => (
          <button
            key={option.percent}
            type="button"
            className="btn btn-primary btn-lg tip-button"
            disabled={busy}
            onClick={() => void answer('percent', { percent: option.percent })}
            data-testid={`tip-percent-${option.percent}`}
          >
            <span className="tip-percent">{option.percent}%</span>
            <span className="tip-amount">{money(option.tip_amount)}</span>
            <span className="muted">{t('tips.total', { amount: money(option.amount) })}</span>
          </button>
        ))}
      </div>
      {request.custom_allowed ? (
        <form
          className="tip-custom"
          onSubmit={(e) => {
            e.preventDefault()
            if (customPattern.test(custom)) void answer('custom', { amount: custom })
          }}
        >
          <label className="field-label" htmlFor="tip-custom">
            {t('tips.custom')}
          </label>
          <input
            id="tip-custom"
            className="input"
            inputMode="decimal"
            autoComplete="off"
            value={custom}
            onChange={(e) => setCustom(e.target.value.replace(',', '.'))}
            data-testid="tip-custom-input"
          />
          <button type="submit" className="btn" disabled={busy || !customPattern.test(custom)} data-testid="tip-custom-ok">
            {t('tips.customOk')}
          </button>
        </form>
      ) : null}
      <button type="button" className="btn btn-ghost btn-lg" disabled={busy} onClick={() => void answer('none')} data-testid="tip-none">
        {t('tips.none')}
      </button>
      {error ? (
        <p className="notice notice-bad" role="alert" data-testid="tip-error">
          {error}
        </p>
      ) : null}
    </div>
  )
}
