import { NetworkName } from '../components'
import { useT } from '../i18n'
import type { PayChoice } from '../state'
import { useSaleStore } from '../state'

/**
 * The terms of a sale both entry modes share (keypad and products): the
 * cashier's own reference and what the customer pays with.
 */
export function SaleTerms({
  choices,
  selected,
  modeName,
  creating,
}: {
  choices: PayChoice[]
  selected: PayChoice | null
  modeName: string
  creating: boolean
}) {
  const t = useT()
  const orderRef = useSaleStore((s) => s.orderRef)
  const { setOrderRef, setChoice } = useSaleStore.getState()
  return (
    <>
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
    </>
  )
}
