import { useState } from 'react'
import type { BackupInfo } from '../../../../src-preload/contract'
import { useLanguage } from '../../i18n'
import { useAppStore, useShopStore } from '../../state'
import { download } from '../../bridge'
import { useOwnerT } from '../i18n'
import { canDownloadCsv, useBackupsStore } from '../state'
import { formatShortDateTime, safeTimeZone } from '../time'

const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1)

/**
 * Backups: the newest good copy and a warning when there is none from the
 * last two days, "Back up now", the daily time and a second folder. And
 * support: where the log is, and the diagnostics zip to send to whoever helps.
 */
export function BackupsSection({ id }: { id: string }) {
  const t = useOwnerT()
  const language = useLanguage()
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const logDir = useAppStore((s) => s.info?.log_dir ?? null)
  const { state, error, busy, diagnosticsSaved, restoredSaved } = useBackupsStore()
  const { backupNow, update, exportDiagnostics, restore } = useBackupsStore.getState()
  const [dailyAt, setDailyAt] = useState<string | null>(null)
  /** The copy whose Restore was pressed: asked once more, in words, before anything is replaced. */
  const [restoring, setRestoring] = useState<BackupInfo | null>(null)
  const [copyTo, setCopyTo] = useState<string | null>(null)
  const when = (at: number) => formatShortDateTime(at, zone, language)

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`} data-testid="backups">
      <div className="owner-card-head">
        <h2 id={`${id}-title`}>{t('settings.backups.title')}</h2>
        <button type="button" className="btn btn-secondary" disabled={busy || state?.running} onClick={() => void backupNow()} data-testid="backup-now">
          {busy ? t('settings.backups.running') : t('settings.backups.now')}
        </button>
      </div>
      {state ? (
        <p className={state.stale ? 'notice notice-warn' : 'help'} role="status" data-testid="backup-last">
          {state.last
            ? t(state.stale ? 'settings.backups.lastStale' : 'settings.backups.last', { time: when(state.last.at), size: megabytes(state.last.bytes) })
            : t('settings.backups.none')}
        </p>
      ) : null}
      {state?.last_error || error ? (
        <p className="field-error" role="alert" data-testid="backup-error">
          {state?.last_error ? t('settings.backups.failed') : error}
        </p>
      ) : null}
      {state ? (
        <form
          className="owner-inline-form"
          aria-label={t('settings.backups.title')}
          onSubmit={(e) => {
            e.preventDefault()
            void update({ daily_at: dailyAt ?? state.daily_at, copy_to: (copyTo ?? state.copy_to ?? '').trim() || null })
          }}
        >
          <label className="owner-field">
            <span className="field-label">{t('settings.backups.dailyAt')}</span>
            <input className="input mono" type="time" value={dailyAt ?? state.daily_at} onChange={(e) => setDailyAt(e.target.value)} data-testid="backup-daily-at" />
          </label>
          <label className="owner-field owner-field-wide">
            <span className="field-label">{t('settings.backups.copyTo')}</span>
            <input
              className="input mono"
              value={copyTo ?? state.copy_to ?? ''}
              placeholder={t('settings.backups.copyToPlaceholder')}
              onChange={(e) => setCopyTo(e.target.value)}
              data-testid="backup-copy-to"
            />
          </label>
          <button type="submit" className="btn btn-secondary" disabled={busy} data-testid="backup-save">
            {t('settings.backups.save')}
          </button>
        </form>
      ) : null}
      {state && state.backups.length > 0 ? (
        <>
          <h3>{t('settings.backups.listTitle')}</h3>
          <ul className="owner-list" data-testid="backup-list">
            {state.backups.map((b) => (
              <li key={b.file} data-testid="backup-row">
                <span>
                  {when(b.at)} ({megabytes(b.bytes)} MB)
                </span>{' '}
                <button type="button" className="btn btn-secondary" disabled={busy || state.running} onClick={() => setRestoring(b)} data-testid="backup-restore">
                  {t('settings.backups.restore')}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {restoring && state ? (
        <div className="notice notice-warn" role="alertdialog" aria-label={t('settings.backups.restore')} data-testid="backup-restore-confirm">
          <p>{t('settings.backups.restoreConfirm', { time: when(restoring.at), safety: `${state.dir}/before-restore-….sqlite` })}</p>
          <button
            type="button"
            className="btn btn-danger"
            disabled={busy}
            onClick={() => {
              const file = restoring.file
              setRestoring(null)
              void restore(file)
            }}
            data-testid="backup-restore-yes"
          >
            {t('settings.backups.restoreYes')}
          </button>{' '}
          <button type="button" className="btn btn-secondary" onClick={() => setRestoring(null)} data-testid="backup-restore-no">
            {t('settings.backups.restoreNo')}
          </button>
        </div>
      ) : null}
      {restoredSaved ? (
        <p className="help" role="status" data-testid="backup-restored">
          {t('settings.backups.restored', { file: restoredSaved })}
        </p>
      ) : null}
      {state ? (
        <p className="help">
          {t('settings.backups.where', { dir: state.dir, count: String(state.backups.length) })} {t('settings.backups.restoreHow')}
        </p>
      ) : null}

      <h3>{t('settings.support.title')}</h3>
      <p className="help" data-testid="log-dir">
        {logDir ? t('settings.support.logAt', { dir: logDir }) : t('settings.support.noLog')}
      </p>
      {canDownloadCsv() ? (
        <a
          className="btn btn-secondary"
          href="export/diagnostics.zip"
          download
          onClick={(event) => {
            event.preventDefault()
            void download('export/diagnostics.zip')
          }}
          data-testid="export-diagnostics"
        >
          {t('settings.support.export')}
        </a>
      ) : (
        <button type="button" className="btn btn-secondary" onClick={() => void exportDiagnostics()} data-testid="export-diagnostics">
          {t('settings.support.export')}
        </button>
      )}
      {diagnosticsSaved ? <p className="help">{t('settings.support.saved')}</p> : null}
      <p className="help">{t('settings.support.help')}</p>
    </section>
  )
}
