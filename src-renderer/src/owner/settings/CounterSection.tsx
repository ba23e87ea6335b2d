import type { FormEvent } from 'react'
import { useState } from 'react'
import type { AppSettings, Merchant } from '../../../../src-preload/contract'
import { api } from '../../bridge'
import { useErrorText } from '../../i18n'
import { useAppStore } from '../../state'
import { SaveNote } from '../components'
import { useOwnerT } from '../i18n'
import type { SaveState } from '../state'
import { useShopSettingsStore } from '../state'

const THEMES: ReadonlyArray<AppSettings['theme']> = ['system', 'light', 'dark']

/** Whole numbers only, in a range: what the engine accepts, checked as typed. */
function wholeIn(text: string, min: number, max: number): number | null {
  if (!/^\d{1,7}$/.test(text.trim())) return null
  const n = Number(text.trim())
  return n >= min && n <= max ? n : null
}

/**
 * The counter's choices (#15): how long a sale waits, how late a payment may
 * still complete it, when the till starts the next sale by itself, the paid
 * sound, the colours, the amount that asks the cashier to confirm, and test
 * or real money. Each saved through the channel that owns it (the sale's
 * lifetime is the merchant's; the rest are the app's settings).
 */
export function CounterSection({ id }: { id: string }) {
  const t = useOwnerT()
  const settings = useAppStore((s) => s.settings)
  const merchant = useShopSettingsStore((s) => s.merchant)
  // Kept here, not in the form: saving changes what is stored, which gives a fresh form, and "Saved." must stay.
  const [save, setSave] = useState<SaveState>({ state: 'idle' })
  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('settings.counter.title')}</h2>
      {settings && merchant ? (
        // A fresh form whenever what is stored changes (loaded, saved, or changed in another window).
        <CounterForm
          key={`${JSON.stringify(settings)}:${merchant.session_ttl_seconds}`}
          settings={settings}
          merchant={merchant}
          save={save}
          setSave={setSave}
        />
      ) : null}
    </section>
  )
}

function CounterForm({
  settings,
  merchant,
  save,
  setSave,
}: {
  settings: AppSettings
  merchant: Merchant
  save: SaveState
  setSave: (save: SaveState) => void
}) {
  const t = useOwnerT()
  const errorText = useErrorText()
  const updateSettings = useAppStore((s) => s.updateSettings)

  const [expiry, setExpiry] = useState(String(Math.round(merchant.session_ttl_seconds / 60)))
  const [lateHours, setLateHours] = useState(String(Math.round(settings.late_window_seconds / 3600)))
  const [autoSeconds, setAutoSeconds] = useState(String(settings.auto_new_sale_seconds))
  const [sound, setSound] = useState(settings.sound_on_paid)
  const [theme, setTheme] = useState<AppSettings['theme']>(settings.theme)
  const [confirmAbove, setConfirmAbove] = useState(settings.confirm_amount_above)
  const [livemode, setLivemode] = useState(settings.livemode)
  const [askLive, setAskLive] = useState(false)

  const expiryMinutes = wholeIn(expiry, 1, 1440)
  const late = wholeIn(lateHours, 0, 720)
  const auto = wholeIn(autoSeconds, 0, 600)
  const confirmValid = /^\d{1,12}(\.\d{1,4})?$/.test(confirmAbove.trim())
  const valid = expiryMinutes !== null && late !== null && auto !== null && confirmValid

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!valid) return
    // Real money is a deliberate step: the switch to live asks first.
    if (livemode && !settings.livemode && !askLive) {
      setAskLive(true)
      return
    }
    setAskLive(false)
    setSave({ state: 'saving' })
    try {
      if (expiryMinutes * 60 !== merchant.session_ttl_seconds) {
        const saved = await api['merchant:update']({ session_ttl_seconds: expiryMinutes * 60 })
        useShopSettingsStore.setState({ merchant: saved })
      }
      await updateSettings({
        late_window_seconds: late * 3600,
        auto_new_sale_seconds: auto,
        sound_on_paid: sound,
        theme,
        confirm_amount_above: confirmAbove.trim(),
        livemode,
      })
      setSave({ state: 'saved' })
    } catch (error) {
      const coded = typeof error === 'object' && error !== null && 'code' in error && 'message' in error
      setSave({ state: 'failed', message: coded ? errorText(error as { code: string; message: string }) : String(error) })
    }
  }

  const number = (testId: string, label: string, help: string, text: string, set: (v: string) => void, ok: boolean, wrong: string) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        className={`input ${ok ? '' : 'input-invalid'}`}
        inputMode="numeric"
        value={text}
        onChange={(e) => set(e.target.value)}
        aria-invalid={ok ? undefined : true}
        data-testid={testId}
      />
      {ok ? <span className="help">{help}</span> : <p className="field-error">{wrong}</p>}
    </label>
  )

  return (
    <form onSubmit={(e) => void submit(e)} className="owner-form-grid" data-testid="counter-form">
      {number(
        'counter-expiry',
        t('settings.counter.expiry'),
        t('settings.counter.expiryHelp'),
        expiry,
        setExpiry,
        expiryMinutes !== null,
        t('settings.counter.expiryWrong'),
      )}
      {number(
        'counter-late',
        t('settings.counter.late'),
        t('settings.counter.lateHelp'),
        lateHours,
        setLateHours,
        late !== null,
        t('settings.counter.lateWrong'),
      )}
      {number(
        'counter-auto',
        t('settings.counter.auto'),
        t('settings.counter.autoHelp'),
        autoSeconds,
        setAutoSeconds,
        auto !== null,
        t('settings.counter.autoWrong'),
      )}
      <label className="field">
        <span className="field-label">{t('settings.counter.confirmAbove')}</span>
        <input
          className={`input ${confirmValid ? '' : 'input-invalid'}`}
          inputMode="decimal"
          value={confirmAbove}
          onChange={(e) => setConfirmAbove(e.target.value)}
          aria-invalid={confirmValid ? undefined : true}
          data-testid="counter-confirm-above"
        />
        {confirmValid ? (
          <span className="help">{t('settings.counter.confirmAboveHelp', { currency: merchant.currency })}</span>
        ) : (
          <p className="field-error">{t('settings.counter.confirmAboveWrong')}</p>
        )}
      </label>
      <label className="owner-check">
        <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} data-testid="counter-sound" />
        {t('settings.counter.sound')}
      </label>
      <fieldset className="field owner-fieldset">
        <legend className="field-label">{t('settings.counter.theme')}</legend>
        <div className="owner-radio-row" role="radiogroup" aria-label={t('settings.counter.theme')}>
          {THEMES.map((option) => (
            <label key={option} className="owner-radio">
              <input
                type="radio"
                name="counter-theme"
                checked={theme === option}
                onChange={() => setTheme(option)}
                data-testid={`counter-theme-${option}`}
              />
              {t(`settings.counter.theme.${option}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="field owner-fieldset">
        <legend className="field-label">{t('settings.counter.mode')}</legend>
        <div className="owner-radio-row" role="radiogroup" aria-label={t('settings.counter.mode')}>
          <label className="owner-radio">
            <input
              type="radio"
              name="counter-mode"
              checked={!livemode}
              onChange={() => setLivemode(false)}
              data-testid="counter-mode-test"
            />
            {t('settings.counter.mode.test')}
          </label>
          <label className="owner-radio">
            <input type="radio" name="counter-mode" checked={livemode} onChange={() => setLivemode(true)} data-testid="counter-mode-live" />
            {t('settings.counter.mode.live')}
          </label>
        </div>
        {livemode !== settings.livemode ? (
          <p className="notice notice-warn" role="alert" data-testid="counter-mode-warning">
            {livemode ? t('settings.counter.mode.toLive') : t('settings.counter.mode.toTest')}
          </p>
        ) : null}
      </fieldset>
      <div className="owner-actions">
        <button type="submit" className="btn btn-primary" disabled={!valid || save.state === 'saving'} data-testid="counter-save">
          {askLive ? t('settings.counter.mode.confirmLive') : t('settings.save')}
        </button>
        <SaveNote save={save} savedLabel={t('settings.saved')} savingLabel={t('settings.saving')} testId="counter-save-note" />
      </div>
    </form>
  )
}
