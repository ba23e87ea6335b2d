import { useState } from 'react'
import { useErrorText } from '../../i18n'
import { inDesktop } from '../../receipts'
import { useAppStore } from '../../state'
import { useOwnerT } from '../i18n'

/**
 * Desktop (#16): the cashier window in kiosk mode (full screen, no way out to the desktop), switched by the
 * owner; the shell applies it as soon as it is saved. Not shown in a browser (serve mode): a browser tab
 * cannot lock itself full screen.
 */
export function KioskSection({ id }: { id: string }) {
  const t = useOwnerT()
  const errorText = useErrorText()
  const kiosk = useAppStore((s) => s.settings?.kiosk ?? false)
  const updateSettings = useAppStore((s) => s.updateSettings)
  const [error, setError] = useState<string | null>(null)
  if (!inDesktop()) return null
  const set = (on: boolean) => {
    setError(null)
    updateSettings({ kiosk: on }).catch((e: unknown) => {
      const err = e as { code?: string; message?: string }
      setError(errorText({ code: err.code ?? 'error', message: err.message ?? String(e) }))
    })
  }
  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`} data-testid="kiosk-settings">
      <h2 id={`${id}-title`}>{t('settings.kiosk.title')}</h2>
      <label className="owner-radio">
        <input type="checkbox" checked={kiosk} onChange={(e) => set(e.target.checked)} data-testid="settings-kiosk" />
        {t('settings.kiosk.switch')}
      </label>
      <p className="help">{t('settings.kiosk.help')}</p>
      {error ? (
        <p className="notice notice-bad" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  )
}
