import { useState } from 'react'
import type { Refund } from '../../../../src-preload/contract'
import { NetworkName, QrCode } from '../../components'
import { formatToken, useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { CopyButton, ExplorerLink, ToneChip, useChainsById } from '../components'
import { useOwnerT } from '../i18n'
import { checkTxHash, isCancelable, refundTone } from '../refunds'
import { useSaleRefundsStore } from '../state'
import { formatFullDateTime, safeTimeZone } from '../time'
import { useRefundErrorText } from './refundErrors'

/** The QR's size: the UI brief's 280 px at least, so a phone reads it at arm's length. */
const QR_SIZE = 280

/**
 * One refund in full. While it waits for the owner's transfer: the EIP-681
 * QR for the shop's wallet app, the amount and address to copy, a way to
 * paste the hash of a transfer already sent, and Cancel. Then its live
 * status, and "Refunded" with the transaction once the chain confirms it.
 */
export function RefundPanel({ refund }: { refund: Refund }) {
  const t = useOwnerT()
  const language = useLanguage()
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const chain = useChainsById().get(refund.chain_id)
  const when = (at: number) => formatFullDateTime(at, zone, language)
  const amount = formatToken(refund.amount, refund.token, language)
  const amountId = `refund-amount-${refund.id}`
  const destinationId = `refund-destination-${refund.id}`

  return (
    <div
      className="owner-refund"
      data-testid="refund-panel"
      data-refund-id={refund.id}
      data-status={refund.status}
      aria-labelledby={`refund-title-${refund.id}`}
      role="region"
    >
      <div className="owner-line owner-refund-head">
        <strong id={`refund-title-${refund.id}`}>{t('history.refunds.panel.title', { amount })}</strong>
        {/* A live region: the status changes by itself as the chain confirms it. */}
        <span role="status" aria-live="polite" data-testid="refund-status" data-status={refund.status}>
          <ToneChip tone={refundTone(refund.status)} label={t(`history.refunds.status.${refund.status}`)} />
        </span>
      </div>

      {refund.status === 'pending' ? (
        <>
          <p className="help">{t('history.refunds.panel.scan')}</p>
          <div className="owner-refund-qr">
            <QrCode
              value={refund.payment_uri}
              size={QR_SIZE}
              label={t('history.refunds.panel.qr', { amount, destination: refund.destination })}
              testId="refund-qr"
            />
          </div>
        </>
      ) : null}

      <dl className="owner-facts">
        <div className="owner-fact">
          <dt>{t('history.refunds.panel.amount')}</dt>
          <dd>
            <span className="owner-refund-amount" id={amountId} data-testid="refund-amount">
              {refund.amount}
            </span>{' '}
            {refund.token}{' '}
            {refund.status === 'pending' ? (
              <CopyButton
                text={refund.amount}
                label={t('action.copy')}
                copiedLabel={t('action.copied')}
                targetId={amountId}
                testId="refund-copy-amount"
              />
            ) : null}
          </dd>
        </div>
        <div className="owner-fact">
          <dt>{t('history.refunds.panel.destination')}</dt>
          <dd>
            <span className="mono break" id={destinationId} data-testid="refund-destination">
              {refund.destination}
            </span>{' '}
            {refund.status === 'pending' ? (
              <CopyButton
                text={refund.destination}
                label={t('action.copy')}
                copiedLabel={t('action.copied')}
                targetId={destinationId}
                testId="refund-copy-destination"
              />
            ) : null}
          </dd>
        </div>
        <div className="owner-fact">
          <dt>{t('history.refunds.panel.network')}</dt>
          <dd>
            <NetworkName name={chain?.name ?? refund.network} color={chain?.color ?? '#888'} />
          </dd>
        </div>
        <div className="owner-fact">
          <dt>{t('history.refunds.panel.reason')}</dt>
          <dd>
            {t(`history.refunds.reason.${refund.reason}`)}
            {refund.description ? <span className="muted"> · {refund.description}</span> : null}
          </dd>
        </div>
        {refund.tx_hash ? (
          <div className="owner-fact">
            <dt>{t('history.refunds.panel.tx')}</dt>
            <dd data-testid="refund-tx" data-tx-hash={refund.tx_hash}>
              <ExplorerLink chain={chain} txHash={refund.tx_hash} full title={t('history.detail.explorer')} />
            </dd>
          </div>
        ) : null}
        {refund.from ? (
          <div className="owner-fact">
            <dt>{t('history.refunds.panel.from')}</dt>
            <dd className="mono break">{refund.from}</dd>
          </div>
        ) : null}
        <div className="owner-fact">
          <dt>{t('history.refunds.panel.id')}</dt>
          <dd className="mono break">{refund.id}</dd>
        </div>
      </dl>

      {refund.status === 'pending' ? <p className="help">{t('history.refunds.panel.expires', { time: when(refund.expires_at) })}</p> : null}
      {refund.status === 'processing' ? (
        <p className="notice" data-testid="refund-confirming">
          {t('history.refunds.panel.confirming', {
            n: Math.min(refund.confirmations, refund.required_confirmations),
            m: refund.required_confirmations,
          })}
        </p>
      ) : null}
      {refund.status === 'succeeded' && refund.succeeded_at ? (
        <p className="field-ok" data-testid="refund-succeeded">
          ✓ {t('history.refunds.panel.succeededAt', { time: when(refund.succeeded_at) })}
        </p>
      ) : null}
      {refund.status === 'canceled' ? (
        <p className="muted">{t('history.refunds.panel.canceled', { time: when(refund.ended_at ?? refund.created_at) })}</p>
      ) : null}
      {refund.status === 'failed' ? (
        <p className="notice notice-warn">{t('history.refunds.panel.failed', { time: when(refund.ended_at ?? refund.expires_at) })}</p>
      ) : null}

      {refund.status === 'pending' ? <PendingActions refund={refund} /> : null}
    </div>
  )
}

/** "Paste transaction hash instead" and Cancel: only while the refund waits for its transfer. */
function PendingActions({ refund }: { refund: Refund }) {
  const t = useOwnerT()
  const errorText = useRefundErrorText()
  const prove = useSaleRefundsStore((s) => s.prove)
  const cancel = useSaleRefundsStore((s) => s.cancel)
  const [mode, setMode] = useState<'idle' | 'prove' | 'cancel'>('idle')
  const [hash, setHash] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const check = checkTxHash(hash)
  const hashId = `refund-hash-${refund.id}`

  const run = (action: () => Promise<unknown>) => {
    setBusy(true)
    setError(null)
    action().then(
      () => (setBusy(false), setMode('idle')),
      (e: unknown) => (setBusy(false), setError(errorText(e))),
    )
  }

  return (
    <div className="owner-refund-actions">
      {mode === 'prove' ? (
        <form
          className="owner-refund-prove"
          onSubmit={(e) => {
            e.preventDefault()
            if (check.ok) run(() => prove(refund.id, check.value))
          }}
        >
          <label className="field" htmlFor={hashId}>
            <span className="field-label">{t('history.refunds.prove.label')}</span>
            <input
              id={hashId}
              className={`input mono ${hash !== '' && !check.ok ? 'input-invalid' : ''}`}
              value={hash}
              onChange={(e) => (setHash(e.target.value), setError(null))}
              spellCheck={false}
              autoComplete="off"
              placeholder="0x…"
              aria-invalid={hash !== '' && !check.ok ? true : undefined}
              aria-describedby={`${hashId}-help`}
              data-testid="refund-prove-input"
            />
          </label>
          <p id={`${hashId}-help`} className={hash !== '' && !check.ok ? 'field-error' : 'help'}>
            {hash !== '' && !check.ok ? t(check.key, check.params) : t('history.refunds.prove.help')}
          </p>
          <div className="owner-actions">
            <button type="submit" className="btn btn-primary" disabled={!check.ok || busy} data-testid="refund-prove-submit">
              {busy ? t('history.refunds.prove.checking') : t('history.refunds.prove.submit')}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => (setMode('idle'), setError(null))}>
              {t('history.refunds.form.cancel')}
            </button>
          </div>
        </form>
      ) : mode === 'cancel' ? (
        <div className="owner-refund-cancel" role="group" aria-label={t('history.refunds.cancel')}>
          <p className="notice notice-warn">{t('history.refunds.cancel.warn')}</p>
          <div className="owner-actions">
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => run(() => cancel(refund.id))}
              data-testid="refund-cancel-confirm"
            >
              {t('history.refunds.cancel.confirm')}
            </button>
            <button type="button" className="btn btn-secondary" onClick={() => (setMode('idle'), setError(null))}>
              {t('history.refunds.cancel.keep')}
            </button>
          </div>
        </div>
      ) : (
        <div className="owner-actions">
          <button type="button" className="btn btn-secondary" onClick={() => setMode('prove')} data-testid="refund-prove">
            {t('history.refunds.prove.open')}
          </button>
          {isCancelable(refund) ? (
            <button type="button" className="btn btn-ghost" onClick={() => setMode('cancel')} data-testid="refund-cancel">
              {t('history.refunds.cancel')}
            </button>
          ) : null}
        </div>
      )}
      {error ? (
        <p className="field-error" role="alert" data-testid="refund-action-error">
          {error}
        </p>
      ) : null}
    </div>
  )
}
