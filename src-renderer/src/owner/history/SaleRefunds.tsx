import { useEffect, useRef } from 'react'
import type { PaymentSession, Refund } from '../../../../src-preload/contract'
import { formatToken, useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { ExplorerLink, shortHash, ToneChip, useChainsById } from '../components'
import { useOwnerT } from '../i18n'
import { refundTone } from '../refunds'
import { useSaleRefundsStore } from '../state'
import { formatShortDateTime, safeTimeZone } from '../time'
import { RefundForm } from './RefundForm'
import { RefundPanel } from './RefundPanel'

/**
 * The sale's refunds, in its drawer: what was refunded, each refund with its
 * status and transaction, the Refund button while something is left to
 * refund, the form, and the open refund's QR and live status.
 */
export function SaleRefunds({ session }: { session: PaymentSession }) {
  const t = useOwnerT()
  const language = useLanguage()
  const storeSession = useSaleRefundsStore((s) => s.sessionId)
  const loaded = useSaleRefundsStore((s) => s.loaded)
  const error = useSaleRefundsStore((s) => s.error)
  const refundable = useSaleRefundsStore((s) => s.refundable)
  const refunds = useSaleRefundsStore((s) => s.refunds)
  const activeId = useSaleRefundsStore((s) => s.activeId)
  const formOpen = useSaleRefundsStore((s) => s.formOpen)
  const load = useSaleRefundsStore((s) => s.load)
  const refresh = useSaleRefundsStore((s) => s.refresh)
  const openForm = useSaleRefundsStore((s) => s.openForm)
  const show = useSaleRefundsStore((s) => s.show)

  // This sale's refunds: asked when the drawer shows it, and again when what it received or refunded
  // changes (a late payment, a refund that succeeded).
  const current = storeSession === session.id
  useEffect(() => {
    if (useSaleRefundsStore.getState().sessionId !== session.id || !useSaleRefundsStore.getState().loaded) void load(session.id)
  }, [session.id, load])
  const received = `${session.amount_paid_base_units}/${session.amount_refunded}/${session.status}`
  useEffect(() => {
    if (useSaleRefundsStore.getState().sessionId === session.id && useSaleRefundsStore.getState().loaded) void refresh()
  }, [received, session.id, refresh])

  // The form or refund just opened (from the Refund button, a link, the Refunds tab, or a refund just made)
  // comes into view: it sits below the sale's facts in a tall drawer.
  const opened = useRef<HTMLDivElement>(null)
  const openedKey = current && loaded ? (formOpen ? 'form' : (activeId ?? '')) : ''
  useEffect(() => {
    if (openedKey) opened.current?.scrollIntoView({ block: 'start' })
  }, [openedKey])

  const paidToken = refunds[0]?.token ?? refundable?.options[0]?.token ?? session.payment_options[0]?.token ?? ''
  const active = current ? refunds.find((r) => r.id === activeId) : undefined
  const canRefund = current && refundable?.refundable === true

  return (
    <section className="owner-detail-section" data-testid="detail-refunds" aria-labelledby="detail-refunds-title">
      <div className="owner-line owner-refunds-head">
        <h3 id="detail-refunds-title">{t('history.refunds.section')}</h3>
        {canRefund && !formOpen ? (
          <button type="button" className="btn btn-primary" onClick={openForm} data-testid="refund-open-form">
            {t('history.refunds.refund')}
          </button>
        ) : null}
      </div>
      {session.amount_refunded !== '0' ? (
        <p className="owner-refunded" data-testid="detail-amount-refunded">
          {t('history.refunds.refunded')}: <strong>{formatToken(session.amount_refunded, paidToken, language)}</strong>
        </p>
      ) : null}

      {!current || !loaded ? (
        <p className="muted">{t('history.loading')}</p>
      ) : error ? (
        <p className="muted" data-testid="refunds-load-error">
          {t('history.refunds.loadFailed', { message: error })}
        </p>
      ) : (
        <>
          {refunds.length === 0 ? (
            <p className="muted">{t('history.refunds.none')}</p>
          ) : (
            <ul className="owner-list" data-testid="detail-refund-list">
              {refunds.map((refund) => (
                <RefundLine
                  key={refund.id}
                  refund={refund}
                  open={refund.id === activeId}
                  onToggle={() => show(refund.id === activeId ? null : refund.id)}
                />
              ))}
            </ul>
          )}
          {refundable && !refundable.refundable && session.amount_paid_base_units !== '0' ? (
            <p className="help">{t('history.refunds.nothingLeft')}</p>
          ) : null}
        </>
      )}

      <div ref={opened}>
        {formOpen && canRefund && refundable ? <RefundForm session={session} refundable={refundable} /> : null}
        {active ? <RefundPanel refund={active} /> : null}
      </div>
    </section>
  )
}

function RefundLine({ refund, open, onToggle }: { refund: Refund; open: boolean; onToggle: () => void }) {
  const t = useOwnerT()
  const language = useLanguage()
  const chain = useChainsById().get(refund.chain_id)
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  return (
    <li data-testid="detail-refund" data-refund-id={refund.id} data-status={refund.status}>
      <div className="owner-line">
        <strong>{formatToken(refund.amount, refund.token, language)}</strong>
        <ToneChip tone={refundTone(refund.status)} label={t(`history.refunds.status.${refund.status}`)} />
        <button
          type="button"
          className="btn btn-ghost owner-link-button"
          aria-expanded={open}
          onClick={onToggle}
          data-testid="detail-refund-toggle"
        >
          {open ? t('history.refunds.hide') : t('history.refunds.show')}
        </button>
      </div>
      <div className="help">
        {formatShortDateTime(refund.created_at, zone, language)} · {t('history.refunds.col.destination')}{' '}
        <span className="mono" title={refund.destination}>
          {shortHash(refund.destination)}
        </span>
        {refund.tx_hash ? (
          <>
            {' · '}
            <ExplorerLink chain={chain} txHash={refund.tx_hash} />
          </>
        ) : null}
      </div>
    </li>
  )
}
