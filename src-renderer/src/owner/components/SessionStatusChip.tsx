import type { SessionStatus } from '../../../../src-preload/contract'
import type { StatusTone } from '../../components'

/** A session status as a tone: waiting neutral, detected blue, paid green, ended grey. */
function sessionTone(status: SessionStatus): StatusTone {
  switch (status) {
    case 'PENDING':
      return 'neutral'
    case 'PROCESSING':
      return 'info'
    case 'COMPLETED':
      return 'ok'
    default:
      return 'idle'
  }
}

const ICONS: Record<StatusTone, string> = { neutral: '◷', info: '◔', ok: '✓', warn: '!', bad: '✕', idle: '–' }

/**
 * The shared status chip's look (words, colour and a shape), without its
 * live-region role and entrance motion: a table has hundreds of these, and
 * rows scrolled into view have not changed status.
 */
export function ToneChip({ tone, label, testId }: { tone: StatusTone; label: string; testId?: string }) {
  return (
    <span className={`status-chip owner-chip tone-${tone}`} data-tone={tone} data-testid={testId}>
      <span className="status-icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      <span>{label}</span>
    </span>
  )
}

export function SessionStatusChip({ status, label }: { status: SessionStatus; label: string }) {
  return <ToneChip tone={sessionTone(status)} label={label} />
}
