import type { FormEvent } from 'react'
import { useState } from 'react'
import type { WebhookEndpoint } from '../../../../src-preload/contract'
import { ToneChip } from '../components'
import { useOwnerT } from '../i18n'
import { EVENT_TYPES, useWebhooksStore } from '../state'
import { errorMessage } from '../../i18n'

const message = errorMessage

/** The endpoint list (edit, enable/disable, send a test event) and the form to add one. */
export function Endpoints() {
  const t = useOwnerT()
  const endpoints = useWebhooksStore((s) => s.endpoints)
  const loaded = useWebhooksStore((s) => s.endpointsLoaded)
  const error = useWebhooksStore((s) => s.endpointsError)

  return (
    <section className="owner-card" aria-labelledby="endpoints-title">
      <h2 id="endpoints-title">{t('webhooks.endpoints')}</h2>
      {error ? (
        <p className="notice notice-bad" role="alert">
          {error}
        </p>
      ) : !loaded ? (
        <p className="muted">{t('history.loading')}</p>
      ) : endpoints.length === 0 ? (
        <p className="muted" data-testid="no-endpoints">
          {t('webhooks.noEndpoints')}
        </p>
      ) : (
        <ul className="owner-endpoints">
          {endpoints.map((endpoint) => (
            <EndpointItem key={endpoint.id} endpoint={endpoint} />
          ))}
        </ul>
      )}
      <EndpointForm mode="create" />
    </section>
  )
}

function EndpointItem({ endpoint }: { endpoint: WebhookEndpoint }) {
  const t = useOwnerT()
  const update = useWebhooksStore((s) => s.update)
  const sendTest = useWebhooksStore((s) => s.sendTest)
  const [editing, setEditing] = useState(false)
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null)

  const run = async (action: () => Promise<unknown>, done?: string) => {
    setNote(null)
    try {
      await action()
      if (done) setNote({ ok: true, text: done })
    } catch (error) {
      setNote({ ok: false, text: message(error) })
    }
  }

  return (
    <li className="owner-endpoint" data-testid="endpoint" data-endpoint-id={endpoint.id}>
      {editing ? (
        <EndpointForm mode="edit" endpoint={endpoint} onDone={() => setEditing(false)} />
      ) : (
        <>
          <div className="owner-line">
            <span className="mono break owner-endpoint-url">{endpoint.url}</span>
            <ToneChip tone={endpoint.enabled ? 'ok' : 'idle'} label={t(endpoint.enabled ? 'webhooks.enabled' : 'webhooks.disabled')} />
          </div>
          <p className="help">{endpoint.events.includes('*') ? t('webhooks.events.all') : endpoint.events.join(', ')}</p>
          <div className="owner-actions">
            <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)}>
              {t('webhooks.edit')}
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => void run(() => update(endpoint.id, { enabled: !endpoint.enabled }))}
              data-testid="endpoint-toggle"
            >
              {t(endpoint.enabled ? 'webhooks.disable' : 'webhooks.enable')}
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              disabled={!endpoint.enabled}
              onClick={() => void run(() => sendTest(endpoint.id), t('webhooks.testSent'))}
              data-testid="endpoint-test"
            >
              {t('webhooks.sendTest')}
            </button>
          </div>
        </>
      )}
      {note ? (
        <p className={note.ok ? 'field-ok' : 'field-error'} role={note.ok ? 'status' : 'alert'}>
          {note.ok ? `✓ ${note.text}` : note.text}
        </p>
      ) : null}
    </li>
  )
}

function EndpointForm({ mode, endpoint, onDone }: { mode: 'create' | 'edit'; endpoint?: WebhookEndpoint; onDone?: () => void }) {
  const t = useOwnerT()
  const create = useWebhooksStore((s) => s.create)
  const update = useWebhooksStore((s) => s.update)
  const [url, setUrl] = useState(endpoint?.url ?? '')
  const [all, setAll] = useState(endpoint ? endpoint.events.includes('*') : true)
  const [events, setEvents] = useState<string[]>(endpoint && !endpoint.events.includes('*') ? endpoint.events : [])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const noEvents = !all && events.length === 0

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy || noEvents || url.trim() === '') return
    setBusy(true)
    setError(null)
    try {
      const chosen = all ? ['*'] : events
      if (mode === 'create') {
        await create({ url: url.trim(), events: chosen })
        setUrl('')
        setAll(true)
        setEvents([])
      } else if (endpoint) {
        await update(endpoint.id, { url: url.trim(), events: chosen })
        onDone?.()
      }
    } catch (err) {
      setError(message(err))
    } finally {
      setBusy(false)
    }
  }

  const fieldId = mode === 'create' ? 'endpoint-url-new' : `endpoint-url-${endpoint?.id ?? ''}`
  return (
    <form className="owner-endpoint-form" onSubmit={(e) => void submit(e)} data-testid={`endpoint-form-${mode}`}>
      <label className="field" htmlFor={fieldId}>
        <span className="field-label">{t('webhooks.url')}</span>
        <input
          id={fieldId}
          className={`input ${error ? 'input-invalid' : ''}`}
          type="url"
          inputMode="url"
          value={url}
          placeholder={t('webhooks.urlPlaceholder')}
          onChange={(e) => (setUrl(e.target.value), setError(null))}
          spellCheck={false}
          data-testid="endpoint-url"
        />
      </label>
      <fieldset className="owner-events">
        <legend className="field-label">{t('webhooks.events')}</legend>
        <label className="owner-check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          {t('webhooks.events.all')}
        </label>
        {!all
          ? EVENT_TYPES.map((type) => (
              <label key={type} className="owner-check mono">
                <input
                  type="checkbox"
                  checked={events.includes(type)}
                  onChange={(e) => setEvents(e.target.checked ? [...events, type] : events.filter((x) => x !== type))}
                />
                {type}
              </label>
            ))
          : null}
      </fieldset>
      {noEvents ? <p className="field-error">{t('webhooks.chooseEvents')}</p> : null}
      {error ? (
        <p className="field-error" role="alert" data-testid="endpoint-error">
          {error}
        </p>
      ) : null}
      <div className="owner-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || noEvents || url.trim() === ''} data-testid="endpoint-save">
          {mode === 'create' ? (busy ? t('webhooks.adding') : t('webhooks.add')) : t('webhooks.save')}
        </button>
        {mode === 'edit' ? (
          <button type="button" className="btn btn-ghost" onClick={onDone}>
            {t('webhooks.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  )
}
