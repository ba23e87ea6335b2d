import { NetworkName } from '../components'
import { Keypad } from '../components'
import { priceDecimals, formatEntry, useErrorText, useLanguage, useT } from '../i18n'
import type { PayChoice } from '../state'
import { isChargeable, useSaleStore, useShopStore } from '../state'
import { saleRateNote } from './rateNote'

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
  const orderRef = useSaleStore((s) => s.orderRef)
  const phase = useSaleStore((s) => s.phase)
  const error = useSaleStore((s) => s.error)
  const press = useSaleStore((s) => s.press)
  const setOrderRef = useSaleStore((s) => s.setOrderRef)
  const setChoice = useSaleStore((s) => s.setChoice)
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

        <div className="field">
          <label className="field-label" htmlFor="order-ref">
            {t('cashier.orderRef')}
          </label>
          <input
            id="order-ref"
            className="input"
            value={orderRef}
            maxLength={128}
            autoComplete="off"
            placeholder={t('cashier.orderRefPlaceholder')}
            onChange={(e) => setOrderRef(e.target.value)}
            disabled={creating}
            data-testid="order-ref"
          />
        </div>

        <div className="field">
          <span className="field-label" id="pay-with-label">
            {t('cashier.payWith')}
          </span>
          {choices.length === 0 ? (
            <p className="notice notice-warn">{t('cashier.noNetworks', { mode: modeName })}</p>
          ) : (
            <div className="chips" role="radiogroup" aria-labelledby="pay-with-label">
              {choices.map((choice) => (
                <button
                  key={choice.key}
                  type="button"
                  role="radio"
                  aria-checked={selected?.key === choice.key}
                  className="chip"
                  // A tapped chip must not keep focus, so Enter charges rather than re-selecting it.
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => setChoice(choice.key)}
                  disabled={creating}
                  data-testid={`choice-${choice.key}`}
                >
                  <span className="chip-token">{choice.token}</span>
                  <NetworkName name={choice.network} color={choice.color} />
                </button>
              ))}
            </div>
          )}
        </div>

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
