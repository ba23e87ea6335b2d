import { useEffect, useState } from 'react'
import type { ApiServerState } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { useOwnerT } from '../i18n'
import { errorMessage } from '../../i18n'

const message = errorMessage

/**
 * Settings → API: the desktop app's REST API for the back office. Off until
 * turned on; on this computer only (127.0.0.1) unless the owner, warned that
 * it is plain HTTP, lets the shop's network in. In serve mode it only says where
 * the API is: there it runs on the server's own address.
 */
export function ApiServerSection({ id }: { id: string }) {
  const t = useOwnerT()
  const [state, setState] = useState<ApiServerState | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [port, setPort] = useState<string | null>(null)
  // Letting the network in is a two-step choice: tick, read the warning, confirm.
  const [lanAsked, setLanAsked] = useState(false)

  const run = async (call: () => Promise<ApiServerState>) => {
    setBusy(true)
    setError(null)
    try {
      setState(await call())
      setPort(null)
    } catch (e) {
      setError(message(e))
    } finally {
      setBusy(false)
    }
  }
  useEffect(() => {
    let current = true
    api['api-server:state']().then(
      (loaded) => current && setState(loaded),
      (e: unknown) => current && setError(message(e)),
    )
    return () => {
      current = false
    }
  }, [])

  if (!state) return null
  const portValue = port ?? String(state.port)
  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`} data-testid="api-server">
      <div className="owner-card-head">
        <h2 id={`${id}-title`}>{t('settings.apiServer.title')}</h2>
      </div>
      <p className="help" role="status" data-testid="api-server-status" data-running={String(state.running)}>
        {state.running && state.url
          ? t('settings.apiServer.running', { url: `${state.url}/v1` })
          : state.enabled
            ? t('settings.apiServer.notRunning')
            : t('settings.apiServer.off')}
      </p>
      {state.error || error ? (
        <p className="field-error" role="alert" data-testid="api-server-error">
          {state.error ?? error}
        </p>
      ) : null}
      {state.available ? (
        <form
          className="owner-inline-form"
          aria-label={t('settings.apiServer.title')}
          onSubmit={(e) => {
            e.preventDefault()
            void run(() => api['api-server:update']({ port: Number(portValue) }))
          }}
        >
          <label className="owner-check">
            <input
              type="checkbox"
              checked={state.enabled}
              disabled={busy}
              onChange={(e) => void run(() => api['api-server:update']({ enabled: e.target.checked }))}
              data-testid="api-server-enabled"
            />
            {t('settings.apiServer.enable')}
          </label>
          <label className="owner-field">
            <span className="field-label">{t('settings.apiServer.port')}</span>
            <input className="input mono" inputMode="numeric" value={portValue} onChange={(e) => setPort(e.target.value)} data-testid="api-server-port" />
          </label>
          <button type="submit" className="btn btn-secondary" disabled={busy || portValue === String(state.port)} data-testid="api-server-save">
            {t('settings.apiServer.save')}
          </button>
          <label className="owner-check">
            <input
              type="checkbox"
              checked={state.lan || lanAsked}
              disabled={busy}
              onChange={(e) => {
                if (e.target.checked) setLanAsked(true)
                else {
                  setLanAsked(false)
                  void run(() => api['api-server:update']({ lan: false }))
                }
              }}
              data-testid="api-server-lan"
            />
            {t('settings.apiServer.lan')}
          </label>
        </form>
      ) : null}
      {lanAsked && !state.lan ? (
        <div className="notice notice-warn" role="alert" data-testid="api-server-lan-warning">
          <p>{t('settings.apiServer.lanWarning')}</p>
          <button
            type="button"
            className="btn btn-secondary"
            disabled={busy}
            onClick={() => void run(() => api['api-server:update']({ lan: true })).then(() => setLanAsked(false))}
            data-testid="api-server-lan-confirm"
          >
            {t('settings.apiServer.lanConfirm')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => setLanAsked(false)}>
            {t('settings.apiServer.lanCancel')}
          </button>
        </div>
      ) : null}
      {state.lan && state.available ? <p className="notice notice-warn">{t('settings.apiServer.lanOn')}</p> : null}
      <p className="help">{t(state.available ? 'settings.apiServer.help' : 'settings.apiServer.serveMode')}</p>
    </section>
  )
}
