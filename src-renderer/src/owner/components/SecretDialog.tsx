import type { ReactNode } from 'react'
import { Dialog } from '../../components'
import { CopyButton } from './CopyButton'

/**
 * A secret (API key, webhook signing secret) shown this once: in full, with
 * a copy button and a plain warning that it cannot be shown again.
 */
export function SecretDialog(props: {
  title: string
  intro: ReactNode
  secret: string
  warning: string
  copyLabel: string
  copiedLabel: string
  doneLabel: string
  onClose: () => void
  testId?: string
}) {
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      actions={
        <>
          <CopyButton
            text={props.secret}
            label={props.copyLabel}
            copiedLabel={props.copiedLabel}
            targetId="owner-secret-value"
            testId="secret-copy"
          />
          <button type="button" className="btn btn-primary" onClick={props.onClose} data-testid="secret-done">
            {props.doneLabel}
          </button>
        </>
      }
    >
      <div data-testid={props.testId}>
        <p>{props.intro}</p>
        <p className="owner-secret mono" id="owner-secret-value" data-testid="secret-value">
          {props.secret}
        </p>
        <p className="notice notice-warn" role="note">
          {props.warning}
        </p>
      </div>
    </Dialog>
  )
}
