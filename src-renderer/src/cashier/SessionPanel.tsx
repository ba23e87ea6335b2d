import { useEffect, useState } from 'react'
import type { PaymentSession } from '../../../src-preload/contract'
import { Button, Countdown, Dialog, NetworkName, OrderNumber, playChime, QrCode, StatusChip } from '../components'
import { formatClock, formatFiat, formatToken, useErrorText, useLanguage, useT } from '../i18n'
import type { SaleView } from '../state'
import { isChainOffline, qrOption, useAppStore, useHealthStore, useSaleStore, useShopStore, viewOf } from '../state'
import { IncomingLostNote, IncomingStatus } from '../components/IncomingStatus'
import { incomingLostOf, incomingOf } from '../state/incoming'
import { refundSaleHref } from '../state/route'
import { sessionRateNote } from './rateNote'
import { PrintReceipt } from '../receipts'
import { CopyButton } from '../owner/components/CopyButton'

/** The QR takes the centre once the sale is charged; ≥ 280 px whatever the window. */
const QR_SIZE = 400

function networkColor(chains: ReturnType<typeof useShopStore.getState>['chains'], chainId: number): string {
  return chains.find((c) => c.chain_id === chainId)?.color ?? '#6B7280'
}

export function SessionPanel({ session }: { session: PaymentSession }) {
  const view = viewOf(session)
  if (view.kind === 'paid') return <PaidPanel session={session} view={view} />
  if (view.kind === 'expired' || view.kind === 'cancelled') return <EndedPanel session={session} view={view} />
  return <PayingPanel session={session} view={view} />
}

function PayingPanel({ session, view }: { session: PaymentSession; view: Exclude<SaleView, { kind: 'paid' | 'expired' | 'cancelled' }> }) {
  const t = useT()
  const errorText = useErrorText()
  const language = useLanguage()
  const chains = useShopStore((s) => s.chains)
  const devnet = useAppStore((s) => s.info?.devnet ?? false)
  const livemode = useAppStore((s) => s.settings?.livemode ?? false)
  const refreshing = useSaleStore((s) => s.refreshing)
  const error = useSaleStore((s) => s.error)
  const dialog = useSaleStore((s) => s.dialog)
  const requestCancel = useSaleStore((s) => s.requestCancel)
  const confirmCancel = useSaleStore((s) => s.confirmCancel)
  const closeDialog = useSaleStore((s) => s.closeDialog)
  const park = useSaleStore((s) => s.park)
  const simulate = useSaleStore((s) => s.simulate)
  const simulating = useSaleStore((s) => s.simulating)
  const simulatedTx = useSaleStore((s) => s.simulatedTx)

  const option = view.option
  const qr = qrOption(view)
  const askedAmount = formatToken(qr?.amount ?? option.amount, option.token, language)
  const paidText = view.kind === 'underpaid' ? formatToken(view.paid, option.token, language) : ''
  const incoming = incomingOf(session, view)
  const incomingLost = incomingLostOf(session, view)
  const rates = useShopStore((s) => s.rates)
  const timeZone = useShopStore((s) => s.merchant?.time_zone ?? 'UTC')
  const rateDate = sessionRateNote(session, rates, timeZone, language)
  const chainOffline = useHealthStore((s) => isChainOffline(s.chains, qr?.chain_id ?? option.chain_id))

  return (
    <div className="session" data-testid="session" data-session-id={session.id} data-status={session.status} data-view={view.kind}>
      <div className={`qr-zone${chainOffline ? ' qr-offline' : ''}`} data-offline={chainOffline}>
        {chainOffline ? (
          <p className="qr-offline-mark" role="alert" data-testid="qr-offline">
            {t('health.qrOffline')}
          </p>
        ) : null}
        {qr ? (
          <QrCode
            value={qr.payment_uri}
            size={QR_SIZE}
            label={t('cashier.qrLabel', { amount: askedAmount, network: qr.network })}
            testId="payment-qr"
          />
        ) : (
          <div className="qr-missing" />
        )}
        <p className="qr-caption">{t('cashier.scanToPay')}</p>
      </div>

      <div className="terms">
        <OrderNumber session={session} />
        <p className="token-amount" data-testid="token-amount">
          {askedAmount}
        </p>
        <NetworkName name={option.network} color={networkColor(chains, option.chain_id)} className="network-lg" />
        <p className="fiat-line" data-testid="fiat-price">
          {t('cashier.price', { fiat: formatFiat(session.amount, session.currency, language) })}
        </p>
        {session.exchange_rate && session.rate_locked_at ? (
          <p className="rate-line" data-testid="rate">
            {t('cashier.rate', {
              currency: session.currency,
              rate: session.exchange_rate,
              time: formatClock(session.rate_locked_at, language),
            })}
            {rateDate ? <span data-testid="rate-date"> · {rateDate.text}</span> : null}
          </p>
        ) : null}
        {!session.order_id.startsWith('pos-') ? <p className="muted">{t('cashier.order', { order: session.order_id })}</p> : null}

        <div className="status-area" aria-live="polite" data-testid="sale-status">
          {refreshing ? (
            <StatusChip tone="idle" large>
              {t('cashier.refreshing')}
            </StatusChip>
          ) : incoming ? (
            <IncomingStatus tx={incoming} large />
          ) : view.kind === 'waiting' ? (
            <StatusChip tone="neutral" large>
              {t('cashier.waiting')}
            </StatusChip>
          ) : view.kind === 'detected' ? (
            <div className="detected">
              <StatusChip tone="info" large>
                {t('cashier.detected', { done: view.confirmations, n: view.required })}
              </StatusChip>
              <div
                className="confirm-bar"
                role="progressbar"
                aria-valuemin={0}
                aria-valuemax={view.required}
                aria-valuenow={view.confirmations}
              >
                <div className="confirm-fill" style={{ width: `${(view.confirmations / Math.max(1, view.required)) * 100}%` }} />
              </div>
            </div>
          ) : (
            <div className="underpaid">
              <StatusChip tone="warn" large>
                {t('cashier.underpaidTitle')}
              </StatusChip>
              <p className="underpaid-remaining" data-testid="remaining">
                {t('cashier.underpaid', { remaining: formatToken(view.remaining, option.token, language) })}
              </p>
              <p>{t('cashier.underpaidHelp', { paid: paidText })}</p>
            </div>
          )}
          {incomingLost && !refreshing ? <IncomingLostNote lost={incomingLost} /> : null}
        </div>

        <Countdown expiresAt={session.expires_at} createdAt={session.created_at} />

        {error ? (
          <p className="notice notice-bad" role="alert">
            {errorText(error)}
          </p>
        ) : null}

        <div className="session-actions">
          <Button variant="secondary" size="lg" onClick={park} data-testid="park-sale">
            {t('cashier.park')}
          </Button>
          <Button variant="secondary" size="lg" onClick={() => void requestCancel()} data-testid="cancel-sale">
            {t('cashier.cancelSale')}
          </Button>
        </div>
        <p className="hint">{t('cashier.sessionHint')}</p>
        {/* The payment page (#12): the same sale as a link, for a customer who is not at the counter. */}
        {session.payment_url ? (
          <p className="pay-link muted">
            <CopyButton
              text={session.payment_url}
              label={t('cashier.copyPayLink')}
              copiedLabel={t('cashier.payLinkCopied')}
              targetId="pay-link-url"
              testId="copy-pay-link"
            />{' '}
            <span id="pay-link-url" className="mono" data-testid="pay-link-url">
              {session.payment_url}
            </span>
          </p>
        ) : null}

        {devnet && !livemode ? (
          <div className="simulate" data-testid="simulate">
            <p className="field-label">{t('cashier.simulate')}</p>
            <div className="simulate-buttons">
              <Button onClick={() => void simulate('exact')} disabled={simulating} data-testid="simulate-exact">
                {t('cashier.simulateExact')}
              </Button>
              <Button onClick={() => void simulate('under')} disabled={simulating} data-testid="simulate-under">
                {t('cashier.simulateUnder')}
              </Button>
              <Button onClick={() => void simulate('over')} disabled={simulating} data-testid="simulate-over">
                {t('cashier.simulateOver')}
              </Button>
            </div>
            {simulatedTx ? <p className="muted mono">{t('cashier.simulateSent', { tx: `${simulatedTx.slice(0, 10)}…` })}</p> : null}
          </div>
        ) : null}
      </div>

      {dialog === 'cannot-cancel' ? (
        <Dialog
          title={t('cashier.cannotCancelTitle')}
          onClose={closeDialog}
          actions={
            <Button variant="primary" size="lg" onClick={closeDialog}>
              {t('cashier.keepWaiting')}
            </Button>
          }
        >
          <p>{t('cashier.cannotCancel')}</p>
        </Dialog>
      ) : null}
      {dialog === 'confirm-cancel' ? (
        <Dialog
          title={t('cashier.cancelConfirmTitle')}
          onClose={closeDialog}
          actions={
            <>
              <Button variant="danger" size="lg" onClick={() => void confirmCancel()} data-testid="confirm-cancel">
                {t('cashier.cancelConfirm')}
              </Button>
              <Button size="lg" onClick={closeDialog} data-testid="keep-waiting">
                {t('cashier.keepWaiting')}
              </Button>
            </>
          }
        >
          <p>{t('cashier.cancelConfirmQr')}</p>
          <p className="hint">{t('cashier.cancelConfirmHint')}</p>
        </Dialog>
      ) : null}
      {dialog === 'confirm-cancel-paid' ? (
        <Dialog
          title={t('cashier.cancelConfirmTitle')}
          onClose={closeDialog}
          actions={
            <>
              <Button variant="primary" size="lg" onClick={closeDialog} data-testid="keep-waiting">
                {t('cashier.keepWaiting')}
              </Button>
              <Button variant="danger" size="lg" onClick={() => void confirmCancel()} data-testid="confirm-cancel">
                {t('cashier.cancelConfirm')}
              </Button>
            </>
          }
        >
          <p>{t('cashier.cancelConfirmPaid', { paid: paidText || formatToken('0', option.token, language) })}</p>
        </Dialog>
      ) : null}
    </div>
  )
}

function PaidPanel({ session, view }: { session: PaymentSession; view: Extract<SaleView, { kind: 'paid' }> }) {
  const t = useT()
  const language = useLanguage()
  const autoSeconds = useAppStore((s) => s.settings?.auto_new_sale_seconds ?? 5)
  const keepOpen = useSaleStore((s) => s.keepOpen)
  const keepThisOpen = useSaleStore((s) => s.keepThisOpen)
  const newSale = useSaleStore((s) => s.newSale)
  const [left, setLeft] = useState(autoSeconds)

  const sound = useAppStore((s) => s.settings?.sound_on_paid ?? true)
  useEffect(() => {
    if (sound) playChime()
    // Once per sale: turning the sound on later does not replay it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session.id])

  useEffect(() => {
    if (keepOpen || autoSeconds <= 0) return
    const endsAt = Date.now() + autoSeconds * 1000
    const timer = setInterval(() => {
      const remaining = Math.ceil((endsAt - Date.now()) / 1000)
      if (remaining <= 0) {
        clearInterval(timer)
        newSale()
      } else setLeft(remaining)
    }, 200)
    return () => clearInterval(timer)
  }, [keepOpen, autoSeconds, newSale, session.id])

  const notes: string[] = []
  if (view.overpaidBy) notes.push(t('cashier.overpaid', { extra: formatToken(view.overpaidBy, view.option.token, language) }))
  if (session.exceptions.includes('paid_late')) notes.push(t('cashier.paidLate'))
  if (session.exceptions.includes('multiple_payments')) notes.push(t('cashier.multiplePayments'))
  // Still on screen when a reorg took the payment back (the cashier kept it open): say so here too.
  if (session.exceptions.includes('reversed')) notes.push(t('reversal.onSale'))

  return (
    <div className="paid" data-testid="paid" data-session-id={session.id} data-status={session.status} data-view="paid" role="status">
      <div className="paid-check" aria-hidden="true">
        ✓
      </div>
      <h1 className="paid-title">{t('cashier.paid')}</h1>
      <OrderNumber session={session} large />
      <p className="paid-amount">{t('cashier.received', { amount: formatToken(view.paid, view.option.token, language) })}</p>
      <p className="paid-fiat">{formatFiat(session.amount, session.currency, language)}</p>
      {notes.map((note) => (
        <p key={note} className="notice notice-warn paid-note" data-testid="paid-note">
          {note}
        </p>
      ))}
      {/* Receipts (#16): print, and print by itself when the shop asked for a receipt after every sale. */}
      {session.status === 'COMPLETED' ? <PrintReceipt saleId={session.id} auto size="lg" /> : null}
      {view.overpaidBy ? <RefundLink sessionId={session.id} /> : null}
      <div className="paid-actions">
        {keepOpen || autoSeconds <= 0 ? (
          <p className="paid-countdown">{t('cashier.keptOpen')}</p>
        ) : (
          <>
            <p className="paid-countdown" data-testid="auto-new-sale">
              {t('cashier.newSaleIn', { s: left })}
            </p>
            <Button size="lg" onClick={keepThisOpen} data-testid="keep-open">
              {t('cashier.keepOpen')}
            </Button>
          </>
        )}
        <Button variant="primary" size="lg" onClick={newSale} data-testid="new-sale">
          {t('cashier.newSale')}
        </Button>
      </div>
    </div>
  )
}

function EndedPanel({ session, view }: { session: PaymentSession; view: Extract<SaleView, { kind: 'expired' | 'cancelled' }> }) {
  const t = useT()
  const language = useLanguage()
  const newSale = useSaleStore((s) => s.newSale)
  const chargeAgain = useSaleStore((s) => s.chargeAgain)
  const expired = view.kind === 'expired'
  const token = view.option?.token ?? ''
  return (
    <div className="ended" data-testid="ended" data-session-id={session.id} data-status={session.status} data-view={view.kind}>
      <StatusChip tone="idle" large>
        {expired ? t('cashier.expiredTitle') : t('cashier.cancelledTitle')}
      </StatusChip>
      <OrderNumber session={session} />
      <p className="ended-amount">
        {formatFiat(session.amount, session.currency, language)}
        {view.option ? ` · ${formatToken(view.option.amount, token, language)}` : ''}
      </p>
      <p className="ended-text">
        {expired
          ? view.paid
            ? t('cashier.expiredUnderpaid', { paid: formatToken(view.paid, token, language) })
            : t('cashier.expired')
          : t('cashier.cancelled')}
      </p>
      {session.exceptions.includes('paid_after_cancel') ? <p className="notice notice-warn">{t('cashier.paidAfterCancel')}</p> : null}
      {(expired && view.paid) || session.exceptions.includes('paid_after_cancel') ? <RefundLink sessionId={session.id} /> : null}
      <div className="paid-actions">
        <Button variant="primary" size="lg" onClick={newSale} data-testid="new-sale" autoFocus>
          {t('cashier.newSale')}
        </Button>
        <Button size="lg" onClick={() => void chargeAgain()} data-testid="charge-again">
          {t('cashier.chargeAgain', { amount: formatFiat(session.amount, session.currency, language) })}
        </Button>
      </div>
    </div>
  )
}

/** The cashier's "refund it from History" as a way there: History opens on this sale with its refund form. */
function RefundLink({ sessionId }: { sessionId: string }) {
  const t = useT()
  return (
    <a className="btn btn-secondary btn-lg" href={refundSaleHref(sessionId)} data-testid="refund-in-history">
      {t('cashier.refundInHistory')}
    </a>
  )
}
