import { useState } from 'react'
import type { RateInfo } from '../../../../src-preload/contract'
import { CURRENCY_CODES, currencyName, useLanguage } from '../../i18n'
import { ToneChip } from '../components'
import { useOwnerT } from '../i18n'
import { useShopStore } from '../../state'
import { useRatesStore } from '../state'
import { ageParts, formatShortDateTime, safeTimeZone } from '../time'

/** Exchange rates to USD with their age (stale ones flagged), refreshable, or set by hand. */
export function RatesSection({ id }: { id: string }) {
  const t = useOwnerT()
  const language = useLanguage()
  const rates = useRatesStore((s) => s.rates)
  const loaded = useRatesStore((s) => s.loaded)
  const error = useRatesStore((s) => s.error)
  const busy = useRatesStore((s) => s.busy)
  const refresh = useRatesStore((s) => s.refresh)
  const setManual = useRatesStore((s) => s.setManual)
  const clearManual = useRatesStore((s) => s.clearManual)
  const [currency, setCurrency] = useState<string>(CURRENCY_CODES.find((c) => c !== 'USD') ?? 'EUR')
  const [rate, setRate] = useState('')
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  // Only a rate sales would use is worth a warning: one overridden by a hand-set rate does not matter.
  const goingStale = rates.filter((r) => r.active && r.stale_soon && r.stale_at !== null)

  const age = (r: RateInfo) => {
    const { n, unit } = ageParts(r.age_seconds)
    return t(`settings.rates.ageValue.${unit}`, { n })
  }

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`}>
      <div className="owner-card-head">
        <h2 id={`${id}-title`}>{t('settings.rates.title')}</h2>
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => void refresh()} data-testid="rates-refresh">
          ↻ {t('settings.rates.refresh')}
        </button>
      </div>
      <p className="help">{t('settings.rates.help')}</p>
      <p className="help">{t('settings.rates.auto')}</p>
      {goingStale.map((r) => (
        <p key={r.currency} className="notice notice-warn" role="status" data-testid={`rate-stale-soon-${r.currency}`}>
          {t('settings.rates.staleSoonWarning', { currency: r.currency, time: formatShortDateTime(r.stale_at ?? 0, zone, language) })}
        </p>
      ))}
      {error ? (
        <p className="field-error" role="alert" data-testid="rates-error">
          {error}
        </p>
      ) : null}
      {loaded && rates.length === 0 ? <p className="muted">{t('settings.rates.none')}</p> : null}
      {rates.length > 0 ? (
        <table className="owner-plain-table" data-testid="rates">
          <thead>
            <tr>
              <th scope="col">{t('settings.rates.currency')}</th>
              <th scope="col" className="num">
                {t('settings.rates.rate')}
              </th>
              <th scope="col">{t('settings.rates.source')}</th>
              <th scope="col">{t('settings.rates.age')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {rates.map((r) => (
              <tr key={`${r.currency}:${r.source}`} data-testid={`rate-${r.currency}`}>
                <th scope="row">
                  {r.currency} <span className="muted">{currencyName(r.currency, language)}</span>
                </th>
                <td className="num mono">{r.rate}</td>
                <td>{t(`settings.rates.source.${r.source}`)}</td>
                <td>
                  {age(r)}{' '}
                  {r.stale ? (
                    <ToneChip tone="warn" label={t('settings.rates.stale')} />
                  ) : r.stale_soon ? (
                    <ToneChip tone="warn" label={t('settings.rates.staleSoon')} />
                  ) : (
                    <ToneChip tone="ok" label={t('settings.rates.fresh')} />
                  )}
                </td>
                <td>
                  {r.source === 'manual' ? (
                    <button type="button" className="btn btn-ghost" disabled={busy} onClick={() => void clearManual(r.currency)}>
                      {t('settings.rates.clear')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form
        className="owner-inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (rate.trim()) void setManual(currency, rate).then(() => setRate(''))
        }}
        aria-label={t('settings.rates.manual')}
      >
        <label className="owner-field">
          <span className="field-label">{t('settings.rates.currency')}</span>
          <select className="input" value={currency} onChange={(e) => setCurrency(e.target.value)} data-testid="rate-currency">
            {CURRENCY_CODES.filter((c) => c !== 'USD').map((c) => (
              <option key={c} value={c}>
                {c} · {currencyName(c, language)}
              </option>
            ))}
          </select>
        </label>
        <label className="owner-field">
          <span className="field-label">{t('settings.rates.manualRate')}</span>
          <input
            className="input mono"
            inputMode="decimal"
            value={rate}
            onChange={(e) => setRate(e.target.value)}
            placeholder="1.08"
            data-testid="rate-value"
          />
        </label>
        <button type="submit" className="btn btn-secondary" disabled={busy || !rate.trim()} data-testid="rate-set">
          {t('settings.rates.set')}
        </button>
      </form>
    </section>
  )
}
