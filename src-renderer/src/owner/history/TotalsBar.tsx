import { useMemo, useState } from 'react'
import { NetworkName } from '../../components'
import { baseUnitsToDecimal, formatFiat, formatToken, useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { useChainsById } from '../components'
import { useOwnerT } from '../i18n'
import type { CurrencySum, TokenSum } from '../money'
import { minorToDecimal, summarise } from '../money'
import { useTotalsStore } from '../state'
import { formatDayLabel, safeTimeZone } from '../time'

/**
 * Totals of the filtered set, kept in view above the list: paid sales, per
 * price currency and per token received, and day by day in the shop's time
 * zone on request.
 */
export function TotalsBar() {
  const t = useOwnerT()
  const language = useLanguage()
  const rows = useTotalsStore((s) => s.rows)
  const loading = useTotalsStore((s) => s.loading)
  const error = useTotalsStore((s) => s.error)
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const summary = useMemo(() => summarise(rows), [rows])
  const [showDays, setShowDays] = useState(false)

  return (
    <section
      className={`owner-totals ${loading ? 'owner-totals-busy' : ''}`}
      aria-label={t('history.totals')}
      aria-busy={loading}
      data-testid="totals-bar"
    >
      <div className="owner-totals-main">
        {error ? (
          <span className="field-error" role="alert">
            {error}
          </span>
        ) : summary.count === 0 ? (
          <span className="muted" data-testid="totals-none">
            {loading ? t('history.totals.loading') : t('history.totals.none')}
          </span>
        ) : (
          <>
            <span className="owner-total owner-total-count" data-testid="totals-count">
              {t('history.totals.count', { n: summary.count })}
            </span>
            <CurrencyList sums={summary.currencies} />
            <TokenList sums={summary.tokens} />
            <button
              type="button"
              className="btn btn-ghost owner-totals-days"
              aria-expanded={showDays}
              onClick={() => setShowDays(!showDays)}
              data-testid="totals-days-toggle"
            >
              {showDays ? t('history.totals.hideDays') : t('history.totals.byDay', { n: summary.days.length })}
            </button>
          </>
        )}
        {loading && summary.count > 0 ? <span className="help">{t('history.totals.loading')}</span> : null}
      </div>
      {showDays && summary.count > 0 ? (
        <div className="owner-days" data-testid="totals-days">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('history.totals.day')}</th>
                <th scope="col" className="num">
                  {t('history.totals.sales')}
                </th>
                <th scope="col">{t('history.totals.currencies')}</th>
                <th scope="col">{t('history.totals.tokens')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.days.map((day) => (
                <tr key={day.day} data-day={day.day}>
                  <th scope="row">{formatDayLabel(day.day, language)}</th>
                  <td className="num">{day.count}</td>
                  <td>
                    <CurrencyList sums={day.currencies} />
                  </td>
                  <td>
                    <TokenList sums={day.tokens} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p className="help owner-totals-zone">{t('history.totals.zone', { zone })}</p>
    </section>
  )
}

function CurrencyList({ sums }: { sums: CurrencySum[] }) {
  const t = useOwnerT()
  const language = useLanguage()
  const fiat = (minor: bigint, currency: string) => formatFiat(minorToDecimal(minor, currency), currency, language)
  return (
    <span className="owner-total-list">
      {sums.map((c) => (
        <span key={c.currency} className="owner-total" data-testid={`total-${c.currency}`}>
          {fiat(c.minor, c.currency)}
          {/* Refunds (#11): gross, refunded and net, once the engine reports refunds and there are some. */}
          {c.refundedMinor !== 0n ? (
            <span className="owner-total-refunds" data-testid={`total-${c.currency}-refunds`}>
              {' '}
              <span className="muted">{t('history.totals.gross')}</span>
              {' · '}
              <span data-testid={`total-${c.currency}-refunded`}>
                {t('history.totals.refunded', { amount: fiat(c.refundedMinor, c.currency) })}
              </span>
              {' · '}
              <strong data-testid={`total-${c.currency}-net`}>{t('history.totals.net', { amount: fiat(c.netMinor, c.currency) })}</strong>
            </span>
          ) : null}
          {/* Tips (#17): reported apart, inside the amount above. */}
          {c.tipMinor !== 0n ? (
            <span className="muted" data-testid={`total-${c.currency}-tips`}>
              {' · '}
              {t('history.totals.tips', { amount: fiat(c.tipMinor, c.currency) })}
            </span>
          ) : null}
        </span>
      ))}
    </span>
  )
}

function TokenList({ sums }: { sums: TokenSum[] }) {
  const t = useOwnerT()
  const language = useLanguage()
  const chains = useChainsById()
  return (
    <span className="owner-total-list">
      {sums.map((s) => {
        const chain = chains.get(s.chainId)
        const token = (units: bigint) => formatToken(baseUnitsToDecimal(units.toString(), s.decimals), s.token, language)
        return (
          <span key={`${s.chainId}:${s.token}:${s.decimals}`} className="owner-total" data-testid={`total-${s.token}-${s.chainId}`}>
            {token(s.baseUnits)}
            <NetworkName className="owner-total-network" name={chain?.name ?? `#${s.chainId}`} color={chain?.color ?? '#888'} />
            {/* Refunds (#11): what went back in this token, and what the shop keeps. */}
            {s.refundedBaseUnits !== 0n ? (
              <span className="owner-total-refunds" data-testid={`total-${s.token}-${s.chainId}-refunds`}>
                {' '}
                <span className="muted">{t('history.totals.gross')}</span>
                {' · '}
                <span data-testid={`total-${s.token}-${s.chainId}-refunded`}>
                  {t('history.totals.refunded', { amount: token(s.refundedBaseUnits) })}
                </span>
                {' · '}
                <strong data-testid={`total-${s.token}-${s.chainId}-net`}>
                  {t('history.totals.net', { amount: token(s.netBaseUnits) })}
                </strong>
              </span>
            ) : null}
          </span>
        )
      })}
    </span>
  )
}
