import type { MouseEvent } from 'react'
import type { KeypadKey } from '../state/keypad'
import { useT } from '../i18n'

// A tapped key must not take focus: Enter would then press that key again instead of charging.
const keepFocus = (e: MouseEvent) => e.preventDefault()

const ROWS: KeypadKey[][] = [
  ['1', '2', '3'],
  ['4', '5', '6'],
  ['7', '8', '9'],
  ['.', '0', '00'],
]

/**
 * Card-terminal layout (1-2-3 on top), keys ≥ 72 px. The decimal point is
 * disabled for currencies without a minor unit rather than hidden, so the
 * keys never move under the cashier's fingers.
 */
export function Keypad({
  decimals,
  onKey,
  onCharge,
  chargeLabel,
  chargeEnabled,
  disabled = false,
}: {
  decimals: number
  onKey: (key: KeypadKey) => void
  onCharge: () => void
  chargeLabel: string
  chargeEnabled: boolean
  disabled?: boolean
}) {
  const t = useT()
  return (
    <div className="keypad" role="group" aria-label={t('cashier.keypad')}>
      {ROWS.flat().map((key) => (
        <button
          key={key}
          type="button"
          className="key"
          disabled={disabled || (key === '.' && decimals === 0)}
          onMouseDown={keepFocus}
          onClick={() => onKey(key)}
          data-key={key}
        >
          {key}
        </button>
      ))}
      <button
        type="button"
        className="key key-muted"
        onMouseDown={keepFocus}
        onClick={() => onKey('clear')}
        disabled={disabled}
        data-key="clear"
      >
        {t('cashier.clear')}
      </button>
      <button
        type="button"
        className="key key-muted key-span-2"
        onMouseDown={keepFocus}
        onClick={() => onKey('backspace')}
        disabled={disabled}
        aria-label={t('cashier.backspace')}
        data-key="backspace"
      >
        ⌫
      </button>
      <button type="button" className="key key-charge" onClick={onCharge} disabled={disabled || !chargeEnabled} data-testid="charge">
        {chargeLabel}
      </button>
    </div>
  )
}
