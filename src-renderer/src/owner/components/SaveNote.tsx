import type { SaveState } from '../state'

/** What happened to the last save, in words: saved, or the engine's exact reason it was refused. */
export function SaveNote({
  save,
  savedLabel,
  savingLabel,
  testId,
}: {
  save: SaveState | undefined
  savedLabel: string
  savingLabel: string
  testId?: string
}) {
  if (!save || save.state === 'idle') return null
  if (save.state === 'saving')
    return (
      <p className="help" data-testid={testId}>
        {savingLabel}
      </p>
    )
  if (save.state === 'saved')
    return (
      <p className="field-ok" role="status" data-testid={testId}>
        ✓ {savedLabel}
      </p>
    )
  return (
    <p className="field-error" role="alert" data-testid={testId}>
      {save.message}
    </p>
  )
}
