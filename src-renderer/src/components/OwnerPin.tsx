import type { FormEvent, ReactNode } from 'react'
import { useEffect, useState } from 'react'
import { BridgeError } from '../bridge'
import { useErrorText, useLanguage, useT } from '../i18n'
import { navigate } from '../state/route'
import { useOwnerStore } from '../state/owner'
import { Dialog } from './Dialog'

const PIN_FORMAT = /^\d{6,12}$/

type Mode = 'unlock' | 'set' | 'reset'

/**
 * The owner PIN (#13): unlock, set the first one, or reset a forgotten one
 * with the recovery code. The engine checks it and counts wrong tries; this
 * only collects it and says what the engine answered.
 */
export function PinDialog({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const t = useT()
  const errorText = useErrorText()
  const language = useLanguage()
  const status = useOwnerStore((s) => s.status)
  const { unlock, setPin, resetPin } = useOwnerStore.getState()
  const [chosen, setMode] = useState<Mode>('unlock')
  // No PIN yet: setting one is the only way on.
  const mode: Mode = status?.pin_set === false ? 'set' : chosen
  const [pin, setPinText] = useState('')
  const [confirm, setConfirm] = useState('')
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  // The engine says until when wrong PINs locked it out (as of the last look); look again when that passes.
  const lockedUntil = status?.locked_out_until ?? null
  const locked = lockedUntil !== null
  useEffect(() => {
    if (lockedUntil === null) return
    const timer = setTimeout(() => void useOwnerStore.getState().load(), Math.max(0, lockedUntil * 1000 - Date.now()) + 500)
    return () => clearTimeout(timer)
  }, [lockedUntil])
  const newPinProblem = mode === 'unlock' ? null : !PIN_FORMAT.test(pin) ? t('pin.format') : pin !== confirm ? t('pin.mismatch') : null

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy || (mode !== 'unlock' && newPinProblem)) return
    setBusy(true)
    setError(null)
    try {
      if (mode === 'unlock') await unlock(pin)
      else if (mode === 'set') await setPin(pin)
      else await resetPin(code, pin)
      onDone()
    } catch (failure) {
      const code = failure instanceof BridgeError ? failure.code : 'unexpected'
      setError(errorText({ code }))
      if (code === 'pin_locked_out') void useOwnerStore.getState().load()
      // A wrong PIN: how many tries are left before the lockout, from the engine's count.
      if (code === 'pin_wrong')
        void useOwnerStore
          .getState()
          .load()
          .then(() => {
            const left = useOwnerStore.getState().status?.tries_left
            if (left !== undefined) setError(`${errorText({ code })} ${t('pin.triesLeft', { n: left })}`)
          })
      setPinText('')
      setConfirm('')
    } finally {
      setBusy(false)
    }
  }

  const title = mode === 'unlock' ? t('pin.unlockTitle') : mode === 'set' ? t('pin.setTitle') : t('recovery.resetTitle')
  const field = (id: string, label: string, value: string, onChange: (v: string) => void, autoFocus = false): ReactNode => (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        className="input input-pin"
        value={value}
        maxLength={12}
        data-autofocus={autoFocus ? '' : undefined}
        onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
        data-testid={id}
      />
    </div>
  )

  return (
    <Dialog
      title={title}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="btn btn-ghost" onClick={onCancel} data-testid="pin-cancel">
            {t('action.cancel')}
          </button>
          <button type="submit" form="owner-pin-form" className="btn btn-primary" disabled={busy || (mode === 'unlock' && locked)} data-testid="pin-submit">
            {mode === 'unlock' ? t('pin.unlock') : mode === 'set' ? t('pin.save') : t('recovery.reset')}
          </button>
        </>
      }
    >
      <form id="owner-pin-form" onSubmit={(e) => void submit(e)} data-testid={`pin-dialog-${mode}`}>
        <p className="muted">{mode === 'unlock' ? t('pin.unlockIntro') : mode === 'set' ? t('pin.setIntro') : t('recovery.resetIntro')}</p>
        {mode === 'reset' ? (
          <div className="field">
            <label className="field-label" htmlFor="recovery-code">
              {t('recovery.code')}
            </label>
            <input
              id="recovery-code"
              className="input mono"
              autoComplete="off"
              value={code}
              data-autofocus=""
              onChange={(e) => setCode(e.target.value)}
              data-testid="recovery-code"
            />
          </div>
        ) : null}
        {mode === 'unlock'
          ? field('pin-input', t('pin.label'), pin, setPinText, true)
          : field('pin-new', t('pin.new'), pin, setPinText, mode === 'set')}
        {mode === 'unlock' ? null : field('pin-confirm', t('pin.confirm'), confirm, setConfirm)}
        {mode !== 'unlock' && pin.length > 0 && confirm.length > 0 && newPinProblem ? <p className="field-error">{newPinProblem}</p> : null}
        {locked && mode === 'unlock' ? (
          <p className="notice notice-bad" role="alert">
            {t('pin.lockedOut', { time: new Date((lockedUntil ?? 0) * 1000).toLocaleTimeString(language) })}
          </p>
        ) : null}
        {error ? (
          <p className="notice notice-bad" role="alert" data-testid="pin-error">
            {error}
          </p>
        ) : null}
        {mode === 'unlock' ? (
          <button type="button" className="btn btn-ghost" onClick={() => (setMode('reset'), setError(null))} data-testid="pin-forgot">
            {t('pin.forgot')}
          </button>
        ) : null}
      </form>
    </Dialog>
  )
}

/** The recovery code, shown once after it is issued (first PIN, or a reset). */
export function RecoveryCodeDialog() {
  const t = useT()
  const code = useOwnerStore((s) => s.recoveryCode)
  const dismiss = useOwnerStore((s) => s.dismissRecoveryCode)
  if (!code) return null
  return (
    <Dialog
      title={t('recovery.shownTitle')}
      onClose={() => undefined}
      actions={
        <button type="button" className="btn btn-primary" onClick={dismiss} data-testid="recovery-done">
          {t('recovery.done')}
        </button>
      }
    >
      <p>{t('recovery.shownIntro')}</p>
      <p className="mono recovery-code" data-testid="recovery-code-shown">
        {code}
      </p>
    </Dialog>
  )
}

/** An owner screen: opens only in the owner role; otherwise the PIN is asked, and Cancel goes back to the sale. */
export function OwnerGate({ children }: { children: ReactNode }) {
  const status = useOwnerStore((s) => s.status)
  const load = useOwnerStore((s) => s.load)
  useEffect(() => {
    if (!status) void load()
  }, [status, load])
  if (!status) return null
  if (status.role === 'owner' && status.pin_set) return <>{children}</>
  // No PIN yet (a shop from before the PIN): the engine lets owner actions through, but the first owner screen sets one.
  return <PinDialog onDone={() => undefined} onCancel={() => navigate('/')} />
}

/** The PIN asked for an owner action started from a cashier screen (askOwner in state/owner.ts). */
export function OwnerPrompt() {
  const prompt = useOwnerStore((s) => s.prompt)
  const close = useOwnerStore((s) => s.closePrompt)
  if (!prompt) return null
  return <PinDialog onDone={() => close(true)} onCancel={() => close(false)} />
}

/** Back to the cashier role at once. */
export function LockButton() {
  const t = useT()
  const role = useOwnerStore((s) => s.status?.role)
  const pinSet = useOwnerStore((s) => s.status?.pin_set)
  if (role !== 'owner' || !pinSet) return null
  return (
    <button
      type="button"
      className="btn btn-ghost"
      title={t('lock.lockHelp')}
      onClick={() => void useOwnerStore.getState().lock().then(() => navigate('/'))}
      data-testid="owner-lock"
    >
      🔒 {t('lock.lock')}
    </button>
  )
}
