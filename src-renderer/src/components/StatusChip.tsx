import type { ReactNode } from 'react'

export type StatusTone = 'neutral' | 'info' | 'ok' | 'warn' | 'bad' | 'idle'

/**
 * Status in words and colour at once. The icon repeats the meaning in shape
 * for anyone who cannot tell the colours apart.
 */
export function StatusChip({ tone, children, large = false }: { tone: StatusTone; children: ReactNode; large?: boolean }) {
  return (
    <span className={`status-chip tone-${tone} ${large ? 'status-chip-lg' : ''}`} role="status" data-tone={tone}>
      <span className="status-icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      <span>{children}</span>
    </span>
  )
}

const ICONS: Record<StatusTone, string> = {
  neutral: '◷',
  info: '◔',
  ok: '✓',
  warn: '!',
  bad: '✕',
  idle: '–',
}
