import { Fragment, useState } from 'react'
import type { WebhookDelivery } from '../../../../src-preload/contract'
import { useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { ToneChip } from '../components'
import { useOwnerT } from '../i18n'
import { deliveryProblem } from '../problems'
import { useWebhooksStore } from '../state'
import { formatFullDateTime, formatShortDateTime, safeTimeZone } from '../time'
import { errorMessage } from '../../i18n'

const toneOf = (state: WebhookDelivery['state']) => (state === 'delivered' ? 'ok' : state === 'pending' ? 'info' : 'bad')

/** Every delivery, newest first, live; a row opens its attempts and can be delivered again. */
export function DeliveryLog() {
  const t = useOwnerT()
  const language = useLanguage()
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const deliveries = useWebhooksStore((s) => s.deliveries)
  const loaded = useWebhooksStore((s) => s.deliveriesLoaded)
  const error = useWebhooksStore((s) => s.deliveriesError)
  const endpoints = useWebhooksStore((s) => s.endpoints)
  const filter = useWebhooksStore((s) => s.endpointFilter)
  const setFilter = useWebhooksStore((s) => s.setEndpointFilter)
  const openDelivery = useWebhooksStore((s) => s.openDelivery)
  const toggle = useWebhooksStore((s) => s.toggleDelivery)
  const endpointUrl = new Map(endpoints.map((e) => [e.id, e.url]))

  return (
    <section className="owner-card" aria-labelledby="log-title">
      <div className="owner-card-head">
        <h2 id="log-title">{t('webhooks.log')}</h2>
        <label className="owner-field">
          <span className="field-label">{t('webhooks.log.endpoint')}</span>
          <select className="input" value={filter ?? ''} onChange={(e) => setFilter(e.target.value || null)} data-testid="log-endpoint">
            <option value="">{t('webhooks.log.allEndpoints')}</option>
            {endpoints.map((e) => (
              <option key={e.id} value={e.id}>
                {e.url}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? (
        <p className="notice notice-bad" role="alert">
          {error}
        </p>
      ) : !loaded ? (
        <p className="muted">{t('history.loading')}</p>
      ) : deliveries.length === 0 ? (
        <p className="muted">{t('webhooks.log.empty')}</p>
      ) : (
        <table className="owner-plain-table" data-testid="delivery-log">
          <thead>
            <tr>
              <th scope="col">{t('webhooks.log.time')}</th>
              <th scope="col">{t('webhooks.log.event')}</th>
              <th scope="col">{t('webhooks.log.endpoint')}</th>
              <th scope="col">{t('webhooks.log.state')}</th>
              <th scope="col" className="num">
                {t('webhooks.log.attempts')}
              </th>
              <th scope="col">{t('webhooks.log.last')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('webhooks.showAttempts')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <Fragment key={d.id}>
                <tr data-testid="delivery" data-delivery-id={d.id} data-state={d.state}>
                  <td>{formatShortDateTime(d.created_at, zone, language)}</td>
                  <td className="mono">{d.event_type}</td>
                  <td className="mono owner-ellipsis" title={endpointUrl.get(d.endpoint_id) ?? d.endpoint_id}>
                    {endpointUrl.get(d.endpoint_id) ?? d.endpoint_id}
                  </td>
                  <td>
                    <ToneChip tone={toneOf(d.state)} label={t(`webhooks.state.${d.state}`)} />
                    {d.state === 'pending' && d.next_attempt_at ? (
                      <div className="help">{t('webhooks.log.next', { time: formatShortDateTime(d.next_attempt_at, zone, language) })}</div>
                    ) : null}
                  </td>
                  <td className="num">{d.attempts}</td>
                  <td className="owner-ellipsis">
                    {d.last_status !== null ? `HTTP ${d.last_status}` : d.last_error ? t(deliveryProblem(d.last_error)) : '—'}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-ghost"
                      aria-expanded={openDelivery === d.id}
                      onClick={() => void toggle(d.id)}
                      data-testid="delivery-toggle"
                    >
                      {openDelivery === d.id ? t('webhooks.hideAttempts') : t('webhooks.showAttempts')}
                    </button>
                  </td>
                </tr>
                {openDelivery === d.id ? (
                  <tr className="owner-subrow">
                    <td colSpan={7}>
                      <Attempts delivery={d} zone={zone} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function Attempts({ delivery, zone }: { delivery: WebhookDelivery; zone: string }) {
  const t = useOwnerT()
  const language = useLanguage()
  const attempts = useWebhooksStore((s) => s.attempts[delivery.id])
  const redeliver = useWebhooksStore((s) => s.redeliver)
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null)
  return (
    <div className="owner-attempts" data-testid="attempts">
      <h3>{t('webhooks.attempts.title')}</h3>
      {attempts === undefined ? (
        <p className="muted">{t('history.loading')}</p>
      ) : attempts.length === 0 ? (
        <p className="muted">{t('webhooks.attempts.none')}</p>
      ) : (
        <ol className="owner-list">
          {attempts.map((a, i) => (
            <li key={i}>
              <span>{formatFullDateTime(a.at, zone, language)}</span> ·{' '}
              <strong>
                {t('webhooks.attempts.line', {
                  status: a.status !== null ? `HTTP ${a.status}` : t('webhooks.attempts.noAnswer'),
                  ms: a.duration_ms,
                })}
              </strong>
              {a.error ? <p className="field-error">{a.error}</p> : null}
              {a.response_snippet ? <pre className="owner-snippet">{a.response_snippet}</pre> : null}
            </li>
          ))}
        </ol>
      )}
      <button
        type="button"
        className="btn btn-secondary"
        onClick={() =>
          void redeliver(delivery.id).then(
            () => setNote({ ok: true, text: t('webhooks.redelivered') }),
            (error: unknown) => setNote({ ok: false, text: errorMessage(error) }),
          )
        }
        data-testid="redeliver"
      >
        {t('webhooks.redeliver')}
      </button>
      {note ? <p className={note.ok ? 'field-ok' : 'field-error'}>{note.ok ? `✓ ${note.text}` : note.text}</p> : null}
    </div>
  )
}
