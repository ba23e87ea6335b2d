import { useEffect, useState } from 'react'
import type { PaymentSession } from '../../../src-preload/contract'
import { Countdown, HealthBanner, NetworkName, OrderNumber, QrCode, StatusChip } from '../components'
import { formatFiat, formatToken, useLanguage, useT } from '../i18n'
import { qrOption, useAppStore, useCustomerStore, useShopStore, viewOf } from '../state'
import { IncomingLostNote, IncomingStatus } from '../components/IncomingStatus'
import { incomingLostOf, incomingOf } from '../state/incoming'
import { TipChooser } from './TipChooser'

const QR_SIZE = 440
/** Receipts (#16): smaller than the payment QR, still a whole-screen phone scan away. */
const RECEIPT_QR_SIZE = 240
/** Receipts (#16): a paid sale with a receipt QR stays at least this long, for the customer to take out a phone. */
const RECEIPT_QR_SECONDS = 30

/**
 * The screen turned to the customer: amount, token, network, QR, countdown,
 * status, and nothing to press. It follows the shop's newest sale (see
 * state/customer.ts), so it also works as a separate tab or device.
 */
export function CustomerScreen() {
  const session = useCustomerStore((s) => s.session)
  const tip = useCustomerStore((s) => s.tip)
  const load = useCustomerStore((s) => s.load)
  const autoSeconds = useAppStore((s) => s.settings?.auto_new_sale_seconds ?? 5)
  const refreshSettings = useAppStore((s) => s.refreshSettings)
  // A sale that had already ended when this screen opened is not news: the welcome shows instead.
  const [firstSeenKey, setFirstSeenKey] = useState<string | null>(null)
  // The ended sale whose result has been on screen for the auto-new-sale delay.
  const [shownLongEnough, setShownLongEnough] = useState<string | null>(null)

  useEffect(() => {
    void load()
    void useShopStore
      .getState()
      .load()
      .catch(() => undefined)
    // The language is chosen at the cashier's screen (maybe another window): follow it.
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refreshSettings()
    }
    document.addEventListener('visibilitychange', onVisible)
    return () => document.removeEventListener('visibilitychange', onVisible)
  }, [load, refreshSettings])

  // Only a new sale or a new status restarts the timer below, not every update of the same sale.
  const status = session?.status ?? null
  const sessionKey = session ? `${session.id}:${session.status}` : null
  if (firstSeenKey === null && sessionKey !== null) setFirstSeenKey(sessionKey)
  const ended = status !== null && status !== 'PENDING' && status !== 'PROCESSING'
  const withReceipt = status === 'COMPLETED' && session?.receipt_url != null
  const endedLongAgo = ended && (sessionKey === (firstSeenKey ?? sessionKey) || sessionKey === shownLongEnough)
  useEffect(() => {
    if (sessionKey !== null) void refreshSettings()
  }, [sessionKey, refreshSettings])
  useEffect(() => {
    if (!ended || sessionKey === null || sessionKey === firstSeenKey) return
    const seconds = Math.max(3, autoSeconds, withReceipt ? RECEIPT_QR_SECONDS : 0)
    const timer = setTimeout(() => setShownLongEnough(sessionKey), seconds * 1000)
    return () => clearTimeout(timer)
  }, [sessionKey, ended, firstSeenKey, autoSeconds, withReceipt])

  return (
    <div className="customer" data-testid="customer-display">
      <HealthBanner />
      {/* Tips (#17): the charge waits for the customer's tip before any QR is made. */}
      {tip ? <TipChooser request={tip} /> : session && !endedLongAgo ? <CustomerSale session={session} /> : <Welcome />}
    </div>
  )
}

function Welcome() {
  const t = useT()
  const shopName = useShopStore((s) => s.merchant?.name)
  return (
    <div className="customer-idle" data-testid="customer-idle">
      <p className="customer-welcome">{t('customer.welcome')}</p>
      {shopName ? <p className="customer-shop">{shopName}</p> : null}
      <p className="muted">{t('customer.idle')}</p>
    </div>
  )
}

function CustomerSale({ session }: { session: PaymentSession }) {
  const t = useT()
  const language = useLanguage()
  const chains = useShopStore((s) => s.chains)
  const view = viewOf(session)
  const option = view.option
  const color = chains.find((c) => c.chain_id === option?.chain_id)?.color ?? '#6B7280'

  if (view.kind === 'paid') {
    return (
      <div className="customer-paid" data-testid="customer-paid" data-status={session.status} role="status">
        <div className="paid-check" aria-hidden="true">
          ✓
        </div>
        <p className="paid-title">{t('cashier.paid')}</p>
        <OrderNumber session={session} large />
        <p className="paid-amount">{formatToken(view.paid, view.option.token, language)}</p>
        <p className="customer-welcome">{t('customer.thanks')}</p>
        {/* Receipts (#16): the customer scans this to open the receipt page on their phone (no email, no login). */}
        {session.receipt_url ? (
          <div className="receipt-qr">
            <QrCode value={session.receipt_url} size={RECEIPT_QR_SIZE} label={t('receipts.scan')} testId="receipt-qr" />
            <p className="muted">{t('receipts.scan')}</p>
          </div>
        ) : null}
      </div>
    )
  }
  if (view.kind === 'expired' || view.kind === 'cancelled') {
    return (
      <div className="customer-ended" data-testid="customer-ended" data-status={session.status}>
        <StatusChip tone="idle" large>
          {t(view.kind === 'expired' ? 'status.EXPIRED' : 'status.CANCELLED')}
        </StatusChip>
        <p className="ended-text">{t(view.kind === 'expired' ? 'customer.expired' : 'customer.cancelled')}</p>
      </div>
    )
  }

  const qr = qrOption(view)
  const amount = formatToken(qr?.amount ?? view.option.amount, view.option.token, language)
  const incoming = incomingOf(session, view)
  const incomingLost = incomingLostOf(session, view)
  return (
    <div
      className="customer-sale"
      data-testid="customer-sale"
      data-status={session.status}
      data-view={view.kind}
      data-session-id={session.id}
    >
      <div className="customer-terms">
        <p className="customer-scan">{t('customer.scan')}</p>
        <OrderNumber session={session} />
        <p className="token-amount customer-amount" data-testid="customer-amount">
          {amount}
        </p>
        <NetworkName name={view.option.network} color={color} className="network-lg" />
        <p className="fiat-line">{formatFiat(session.amount, session.currency, language)}</p>
        <p className="muted">{t('customer.sendExactly', { network: view.option.network })}</p>
        <div className="status-area" aria-live="polite">
          {incoming ? (
            <IncomingStatus tx={incoming} large />
          ) : view.kind === 'waiting' ? (
            <StatusChip tone="neutral" large>
              {t('cashier.waiting')}
            </StatusChip>
          ) : view.kind === 'detected' ? (
            <StatusChip tone="info" large>
              {t('cashier.detected', { done: view.confirmations, n: view.required })}
            </StatusChip>
          ) : (
            <StatusChip tone="warn" large>
              {t('customer.remaining', { remaining: formatToken(view.remaining, view.option.token, language) })}
            </StatusChip>
          )}
          {incomingLost ? <IncomingLostNote lost={incomingLost} /> : null}
        </div>
        <Countdown expiresAt={session.expires_at} createdAt={session.created_at} large />
      </div>
      <div className="qr-zone">
        {qr ? <QrCode value={qr.payment_uri} size={QR_SIZE} label={amount} testId="customer-qr" /> : <div className="qr-missing" />}
      </div>
    </div>
  )
}
