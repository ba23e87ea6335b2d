import type { FormEvent } from 'react'
import { useState } from 'react'
import { BridgeError } from '../../bridge'
import { useErrorText } from '../../i18n'
import { useOwnerStore } from '../../state'
import { useOwnerT } from '../i18n'

const PIN_FORMAT = /^\d{6,12}$/

/** Settings → owner PIN: change it with the current one (#13). A forgotten one is reset from the PIN dialog. */
export function PinSection({ id }: { id: string }) {
  const t = useOwnerT()
  const errorText = useErrorText()
  const [current, setCurrent] = useState('')
  const [pin, setPin] = useState('')
  const [confirm, setConfirm] = useState('')
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null)
  const problem = !PIN_FORMAT.test(pin) ? t('pin.format') : pin !== confirm ? t('pin.mismatch') : null

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (problem) return setNote({ ok: false, text: problem })
    try {
      await useOwnerStore.getState().setPin(pin, current)
      setNote({ ok: true, text: t('pin.changed') })
    } catch (error) {
      setNote({ ok: false, text: errorText({ code: error instanceof BridgeError ? error.code : 'unexpected' }) })
    }
    setCurrent('')
    setPin('')
    setConfirm('')
  }

  const field = (fieldId: string, label: string, value: string, onChange: (v: string) => void) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        type="password"
        inputMode="numeric"
        autoComplete="off"
        className="input input-pin"
        maxLength={12}
        value={value}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
        data-testid={fieldId}
      />
    </label>
  )

  return (
    <section id={id} className="owner-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('settings.pin.title')}</h2>
      <p className="help">{t('settings.pin.help')}</p>
      <form onSubmit={(e) => void submit(e)} data-testid="settings-pin">
        {field('settings-pin-current', t('pin.current'), current, setCurrent)}
        {field('settings-pin-new', t('pin.new'), pin, setPin)}
        {field('settings-pin-confirm', t('pin.confirm'), confirm, setConfirm)}
        <button type="submit" className="btn btn-primary" data-testid="settings-pin-save">
          {t('pin.change')}
        </button>
        {note ? (
          <p className={note.ok ? 'field-ok' : 'field-error'} role="status" data-testid="settings-pin-note">
            {note.text}
          </p>
        ) : null}
      </form>
    </section>
  )
}
