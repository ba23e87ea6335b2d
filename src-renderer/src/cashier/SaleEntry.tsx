import { Keypad } from '../components'
import { priceDecimals, formatEntry, useErrorText, useLanguage, useT } from '../i18n'
import type { PayChoice } from '../state'
import { isChargeable, useSaleStore, useShopStore } from '../state'
import { saleRateNote } from './rateNote'
import { SaleTerms } from './SaleTerms'

/**
 * Before Charge: the sale on the left (amount, reference, what the customer
 * pays with), the keypad on the right.
 */
export function SaleEntry({
  currency,
  choices,
  selected,
  onCharge,
  ready,
  modeName,
}: {
  currency: string
  choices: PayChoice[]
  selected: PayChoice | null
  onCharge: () => void
  ready: boolean
  modeName: string
}) {
  const t = useT()
  const errorText = useErrorText()
  const language = useLanguage()
  const entry = useSaleStore((s) => s.entry)
  const phase = useSaleStore((s) => s.phase)
  const error = useSaleStore((s) => s.error)
  const press = useSaleStore((s) => s.press)
  const rates = useShopStore((s) => s.rates)
  const timeZone = useShopStore((s) => s.merchant?.time_zone ?? 'UTC')
  const rateNote = saleRateNote(currency, rates, timeZone, language)
  const decimals = priceDecimals(currency)
  const creating = phase === 'creating'
  const canCharge = ready && isChargeable(entry) && selected !== null && !creating

  return (
    <div className="cashier-entry">
      <section className="sale-zone" aria-label={t('cashier.title')}>
        <div className="amount-box">
          <label className="field-label" htmlFor="amount-display">
            {t('cashier.amount')}
          </label>
          <output id="amount-display" className={`amount ${entry === '' ? 'amount-empty' : ''}`} data-testid="amount" aria-live="polite">
            <span className="amount-currency">{currency}</span>
            <span className="amount-value">{formatEntry(entry === '' ? '0' : entry, language)}</span>
          </output>
          {rateNote ? (
            <p
              className={rateNote.tone === 'info' ? 'rate-line' : `notice notice-${rateNote.tone}`}
              role={rateNote.tone === 'info' ? undefined : 'status'}
              data-testid="rate-note"
              data-tone={rateNote.tone}
            >
              {rateNote.text}
            </p>
          ) : null}
        </div>

        <SaleTerms choices={choices} selected={selected} modeName={modeName} creating={creating} />

        {error ? (
          <p className="notice notice-bad" role="alert" data-testid="sale-error">
            {errorText(error)}
          </p>
        ) : null}
        {creating ? <p className="notice">{t('cashier.creating')}</p> : null}
        <p className="hint">{t('cashier.keyboardHint')}</p>
      </section>

      <section className="keypad-zone">
        <Keypad
          decimals={decimals}
          onKey={(key) => press(key, decimals)}
          onCharge={onCharge}
          chargeLabel={t('cashier.charge')}
          chargeEnabled={canCharge}
          disabled={!ready || creating}
        />
      </section>
    </div>
  )
}
