import { useEffect, useState } from 'react'
import type { AuditEntry, AuditKind } from '../../../../src-preload/contract'
import { AUDIT_KINDS } from '../../../../src-preload/contract'
import { download } from '../../bridge'
import { useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import type { OwnerKey, OwnerT } from '../i18n'
import { useOwnerT } from '../i18n'
import { auditExportHref, canDownloadCsv, useAuditStore } from '../state'
import { formatShortDateTime, safeTimeZone } from '../time'
import { errorMessage } from '../../i18n'

const KIND_LABEL: { [K in AuditKind]: OwnerKey } = {
  receive: 'audit.kind.receive',
  merchant: 'audit.kind.merchant',
  network: 'audit.kind.network',
  'api_key.created': 'audit.kind.api_key.created',
  'api_key.revoked': 'audit.kind.api_key.revoked',
  'api_key.updated': 'audit.kind.api_key.updated',
  'webhook.created': 'audit.kind.webhook.created',
  'webhook.updated': 'audit.kind.webhook.updated',
  'pin.set': 'audit.kind.pin.set',
  'pin.changed': 'audit.kind.pin.changed',
  'pin.reset': 'audit.kind.pin.reset',
  settings: 'audit.kind.settings',
}

/** Field: value pairs of one side of a change, as text. */
function describe(values: Record<string, unknown> | null, t: OwnerT): string {
  if (values === null) return t('audit.nothing')
  const parts = Object.entries(values).map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
  return parts.length > 0 ? parts.join(' · ') : '—'
}

function DeviceName({ entry, t }: { entry: AuditEntry; t: OwnerT }) {
  return <>{entry.device === 'config-file' ? t('audit.configFile') : entry.device}</>
}

/** The audit log (#13): every change of where money goes, networks, API keys, webhooks and the PIN; append-only. */
export function AuditScreen() {
  const t = useOwnerT()
  const language = useLanguage()
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const { rows, hasMore, loading, error, kind, device } = useAuditStore()
  const { setKind, setDevice, reload, more, filter, exportToFile } = useAuditStore.getState()
  const [deviceText, setDeviceText] = useState(device)
  const [exportNote, setExportNote] = useState<string | null>(null)

  useEffect(() => {
    void reload()
  }, [reload])

  return (
    <div className="owner owner-page" data-testid="audit">
      <header className="owner-head">
        <h1>{t('audit.title')}</h1>
        <p className="muted">{t('audit.intro')}</p>
      </header>
      <form
        className="owner-filters"
        onSubmit={(e) => {
          e.preventDefault()
          setDevice(deviceText)
        }}
      >
        <label className="field">
          <span className="field-label">{t('audit.filter.kind')}</span>
          <select className="input" value={kind} onChange={(e) => setKind(e.target.value as AuditKind | '')} data-testid="audit-kind">
            <option value="">{t('audit.filter.all')}</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(KIND_LABEL[k])}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('audit.filter.device')}</span>
          <input
            className="input"
            value={deviceText}
            onChange={(e) => setDeviceText(e.target.value)}
            onBlur={() => setDevice(deviceText)}
            data-testid="audit-device"
          />
        </label>
        <div className="owner-filter-actions">
          {canDownloadCsv() ? (
            <a
              className="btn btn-secondary owner-export"
              href={auditExportHref(filter())}
              download
              onClick={(event) => {
                // A link cannot carry the session header: the download goes through a one-time ticket (#13).
                event.preventDefault()
                void download(auditExportHref(filter()))
              }}
              data-testid="audit-export"
            >
              ⤓ {t('audit.export')}
            </a>
          ) : (
            <button
              type="button"
              className="btn btn-secondary"
              data-testid="audit-export"
              onClick={() =>
                exportToFile().then(
                  (r) => setExportNote(r.saved ? t('audit.exported', { n: r.rows }) : null),
                  (e: unknown) => setExportNote(errorMessage(e)),
                )
              }
            >
              ⤓ {t('audit.export')}
            </button>
          )}
          {exportNote ? <span role="status">{exportNote}</span> : null}
        </div>
      </form>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {!loading && rows.length === 0 ? <p className="muted">{t('audit.none')}</p> : null}
      <table className="owner-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>{t('audit.col.time')}</th>
            <th>{t('audit.col.device')}</th>
            <th>{t('audit.col.change')}</th>
            <th>{t('audit.col.before')}</th>
            <th>{t('audit.col.after')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((entry) => (
            <tr key={entry.id} data-testid="audit-row" data-kind={entry.kind}>
              <td>{formatShortDateTime(entry.at, zone, language)}</td>
              <td>
                <DeviceName entry={entry} t={t} />{' '}
                <span className="muted">({t(entry.role === 'owner' ? 'audit.role.owner' : 'audit.role.cashier')})</span>
              </td>
              <td>
                {t(KIND_LABEL[entry.kind])}
                {entry.subject ? <span className="muted mono"> {entry.subject}</span> : null}
              </td>
              <td className="mono break">{describe(entry.before, t)}</td>
              <td className="mono break">{describe(entry.after, t)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {hasMore ? (
        <button type="button" className="btn btn-secondary" onClick={() => void more()}>
          {t('audit.more')}
        </button>
      ) : null}
    </div>
  )
}
