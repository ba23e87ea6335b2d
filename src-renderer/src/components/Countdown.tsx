import { useEffect, useState } from 'react'
import { formatCountdown, useT } from '../i18n'

/** Under a minute the bar turns amber: the cashier should tell the customer to hurry. */
const HURRY_SECONDS = 60

/** The wall clock, four times a second: enough for an m:ss display that never looks stuck. */
function useNowSeconds(): number {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000))
  useEffect(() => {
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 250)
    return () => clearInterval(timer)
  }, [])
  return now
}

/**
 * Time left to pay, as a bar and as m:ss. Display only: the engine decides
 * when a session expires, and the screen changes when it says so.
 */
export function Countdown({ expiresAt, createdAt, large = false }: { expiresAt: number; createdAt: number; large?: boolean }) {
  const t = useT()
  const left = Math.max(0, expiresAt - useNowSeconds())
  const total = Math.max(1, expiresAt - createdAt)
  const fraction = Math.min(1, left / total)
  const hurry = left < HURRY_SECONDS
  return (
    <div
      className={`countdown ${hurry ? 'countdown-hurry' : ''} ${large ? 'countdown-lg' : ''}`}
      data-testid="countdown"
      data-hurry={hurry}
    >
      <div className="countdown-row">
        <span className="countdown-label">{t('countdown.label')}</span>
        <span className="countdown-time" aria-live="off">
          {formatCountdown(left)}
        </span>
      </div>
      <div
        className="countdown-bar"
        role="progressbar"
        aria-label={t('countdown.label')}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={left}
      >
        <div className="countdown-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
    </div>
  )
}
