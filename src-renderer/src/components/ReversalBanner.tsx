import { useEffect } from 'react'
import { useErrorText, useT } from '../i18n'
import { useAppStore } from '../state/app'
import { useReversalsStore } from '../state/reversals'
import { useOwnerStore } from '../state/owner'

/**
 * The owner's alert for a completed sale whose payment a chain reorganisation
 * took back. Shown above every staff screen (cashier included: the person at
 * the counter may be the owner, and must not hand over more for that order)
 * until the owner acknowledges it; the engine remembers that across restarts.
 */
export function ReversalBanner() {
  const t = useT()
  const errorText = useErrorText()
  const alerts = useReversalsStore((s) => s.alerts)
  const busy = useReversalsStore((s) => s.busy)
  const error = useReversalsStore((s) => s.error)
  const load = useReversalsStore((s) => s.load)
  const acknowledge = useReversalsStore((s) => s.acknowledge)
  // The list is per mode (test or live), like History: ask again when the owner switches.
  const livemode = useAppStore((s) => s.settings?.livemode)

  useEffect(() => {
    void load()
  }, [load, livemode])

  if (alerts.length === 0) return null
  return (
    <section className="reversal-banner" role="alert" aria-label={t('reversal.label')} data-testid="reversal-banner">
      <p className="reversal-title">{t('reversal.title', { n: alerts.length })}</p>
      <ul className="reversal-list">
        {alerts.map((a) => (
          <li key={a.session_id} className="reversal-item" data-testid="reversal-item">
            <span>{t('reversal.body', { order: a.order_id, amount: a.amount, currency: a.currency })}</span>
            <span className="reversal-actions">
              <a className="btn btn-ghost" href={`#/history?session=${encodeURIComponent(a.session_id)}`} data-testid="reversal-open">
                {t('reversal.open')}
              </a>
              <button
                type="button"
                className="btn btn-primary"
                disabled={busy === a.session_id}
                // The owner's action (#13): from the cashier role the PIN is asked first.
                onClick={() => void useOwnerStore.getState().askOwner().then((owner) => (owner ? acknowledge(a.session_id) : undefined))}
                data-testid="reversal-acknowledge"
              >
                {t('reversal.acknowledge')}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {error ? <p className="reversal-error">{error.code === 'connection_lost' ? t('reversal.ackFailed') : errorText(error)}</p> : null}
    </section>
  )
}
