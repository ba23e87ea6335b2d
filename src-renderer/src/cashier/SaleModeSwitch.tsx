import type { SaleMode } from '../../../src-preload/contract'
import { SALE_MODES } from '../../../src-preload/contract'
import { useT } from '../i18n'
import { useSaleStore } from '../state'
import { useCatalogStore } from '../state/catalog'

/** Keypad or products (#17): switched here, remembered for this till by the engine. */
export function SaleModeSwitch() {
  const t = useT()
  const mode = useCatalogStore((s) => s.mode)
  const phase = useSaleStore((s) => s.phase)
  const label = (m: SaleMode) => (m === 'keypad' ? t('cart.modeKeypad') : t('cart.modeProducts'))
  return (
    <div className="chips sale-mode-switch" role="radiogroup" aria-label={t('cart.modeLabel')}>
      {SALE_MODES.map((m) => (
        <button
          key={m}
          type="button"
          role="radio"
          aria-checked={mode === m}
          className="chip chip-sm"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            if (m === mode) return
            // What was typed or tapped belongs to the other mode: start clean.
            useSaleStore.getState().setCart('', null)
            void useCatalogStore
              .getState()
              .setMode(m)
              .catch(() => undefined)
          }}
          disabled={phase === 'creating'}
          data-testid={`sale-mode-${m}`}
        >
          {label(m)}
        </button>
      ))}
    </div>
  )
}
