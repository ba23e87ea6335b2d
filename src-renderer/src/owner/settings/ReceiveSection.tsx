import type { FormEvent } from 'react'
import { SaveNote } from '../components'
import { useOwnerT } from '../i18n'
import type { ReceiveMode } from '../state'
import { useShopSettingsStore } from '../state'

/**
 * Where the money goes: one address, or an xpub (a new address per sale).
 * Checked as typed by the engine itself (its exact message, e.g. "not a
 * valid address: checksum mismatch"); Save stays off until it is valid.
 */
export function ReceiveSection({ id }: { id: string }) {
  const t = useOwnerT()
  const mode = useShopSettingsStore((s) => s.receiveMode)
  const text = useShopSettingsStore((s) => s.receiveText)
  const check = useShopSettingsStore((s) => s.receiveCheck)
  const save = useShopSettingsStore((s) => s.receiveSave)
  const setMode = useShopSettingsStore((s) => s.setReceiveMode)
  const setText = useShopSettingsStore((s) => s.setReceiveText)
  const saveReceive = useShopSettingsStore((s) => s.saveReceive)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (check.state === 'ok') void saveReceive()
  }
  const inputId = `${id}-input`

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('settings.receive.title')}</h2>
      <form onSubmit={submit} data-testid="receive-form">
        <div className="owner-radio-row" role="radiogroup" aria-label={t('settings.receive.title')}>
          {(['address', 'xpub'] as ReceiveMode[]).map((m) => (
            <label key={m} className="owner-radio">
              <input
                type="radio"
                name="owner-receive-mode"
                checked={mode === m}
                onChange={() => setMode(m)}
                data-testid={`settings-receive-${m}`}
              />
              {t(m === 'address' ? 'settings.receive.address' : 'settings.receive.xpub')}
            </label>
          ))}
        </div>
        <label className="field" htmlFor={inputId}>
          <span className="field-label">{t(mode === 'address' ? 'settings.receive.addressLabel' : 'settings.receive.xpubLabel')}</span>
          {/* An address fits one line; an xpub (111 characters) is easier to compare over a few. */}
          {mode === 'address' ? (
            <input
              id={inputId}
              className={`input mono ${check.state === 'invalid' ? 'input-invalid' : ''}`}
              value={text}
              onChange={(e) => setText(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={check.state === 'invalid' ? true : undefined}
              aria-describedby={`${id}-feedback`}
              data-testid="settings-receive-input"
            />
          ) : (
            <textarea
              id={inputId}
              className={`input mono owner-receive-input ${check.state === 'invalid' ? 'input-invalid' : ''}`}
              rows={3}
              value={text}
              onChange={(e) => setText(e.target.value)}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={check.state === 'invalid' ? true : undefined}
              aria-describedby={`${id}-feedback`}
              data-testid="settings-receive-input"
            />
          )}
        </label>
        <div id={`${id}-feedback`} aria-live="polite" data-testid="settings-receive-feedback" data-state={check.state}>
          {check.state === 'checking' ? <p className="help">{t('settings.receive.checking')}</p> : null}
          {check.state === 'invalid' ? <p className="field-error">{check.message}</p> : null}
          {check.state === 'empty' ? <p className="help">{t('settings.receive.empty')}</p> : null}
          {check.state === 'unchanged' ? <p className="help">{t('settings.receive.current')}</p> : null}
          {check.state === 'ok' ? (
            <>
              <p className="field-ok">✓ {t(mode === 'address' ? 'settings.receive.valid' : 'settings.receive.derived')}</p>
              <ol className="owner-derived mono">
                {check.addresses.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ol>
            </>
          ) : null}
        </div>
        <p className="help">{t('settings.receive.openSales')}</p>
        <p className="help">{t('settings.receive.never')}</p>
        <div className="owner-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={check.state !== 'ok' || save.state === 'saving'}
            data-testid="settings-receive-save"
          >
            {t('settings.save')}
          </button>
          <SaveNote save={save} savedLabel={t('settings.saved')} savingLabel={t('settings.saving')} testId="receive-save-note" />
        </div>
      </form>
    </section>
  )
}
