import type { ReactNode } from 'react'
import { useEffect, useRef } from 'react'

/**
 * A panel over the right side of the screen (the History detail). Esc or the
 * close button closes it; focus moves in so the keyboard acts on it.
 */
export function Drawer({
  title,
  closeLabel,
  onClose,
  children,
  testId,
}: {
  title: ReactNode
  closeLabel: string
  onClose: () => void
  children: ReactNode
  testId?: string
}) {
  const ref = useRef<HTMLElement>(null)
  useEffect(() => {
    ref.current?.focus()
  }, [])
  return (
    <div className="owner-drawer-backdrop" onClick={onClose}>
      <aside
        className="owner-drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="owner-drawer-title"
        tabIndex={-1}
        ref={ref}
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation()
            onClose()
          }
        }}
      >
        <header className="owner-drawer-header">
          <h2 id="owner-drawer-title">{title}</h2>
          <button type="button" className="btn btn-ghost" onClick={onClose} aria-label={closeLabel} data-testid="drawer-close">
            ✕
          </button>
        </header>
        <div className="owner-drawer-body">{children}</div>
      </aside>
    </div>
  )
}
