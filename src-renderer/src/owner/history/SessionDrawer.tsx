import type { ReactNode } from 'react'
import type { PaymentSession, SessionTransaction, TimelineEntry, WebhookDelivery } from '../../../../src-preload/contract'
import { NetworkName } from '../../components'
import { baseUnitsToDecimal, formatFiat, formatToken, useLanguage } from '../../i18n'
import { useShopStore } from '../../state'
import { CopyButton, Drawer, ExplorerLink, SessionStatusChip, ToneChip, useChainsById } from '../components'
import { useOwnerT } from '../i18n'
import { useDetailStore } from '../state'
import { formatFullDateTime, safeTimeZone } from '../time'
import { PrintReceipt } from '../../receipts'
import { SaleRefunds } from './SaleRefunds'

/** One sale in full: terms, payments (with explorer links), its status timeline and its webhooks. */
export function SessionDrawer() {
  const t = useOwnerT()
  const session = useDetailStore((s) => s.session)
  const loading = useDetailStore((s) => s.loading)
  const error = useDetailStore((s) => s.error)
  const close = useDetailStore((s) => s.close)

  return (
    <Drawer
      title={session ? t('history.detail.title', { order: session.order_id }) : t('history.detail.loading')}
      closeLabel={t('history.detail.close')}
      onClose={close}
      testId="session-drawer"
    >
      {error ? (
        <p className="notice notice-bad" role="alert">
          {error}
        </p>
      ) : loading || !session ? (
        <p className="muted">{t('history.detail.loading')}</p>
      ) : (
        <SessionDetail session={session} />
      )}
    </Drawer>
  )
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="owner-fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function SessionDetail({ session }: { session: PaymentSession }) {
  const t = useOwnerT()
  const language = useLanguage()
  const zone = safeTimeZone(useShopStore((s) => s.merchant?.time_zone))
  const chains = useChainsById()
  const timeline = useDetailStore((s) => s.timeline)
  const deliveries = useDetailStore((s) => s.deliveries)
  const deliveriesError = useDetailStore((s) => s.deliveriesError)
  const when = (at: number) => formatFullDateTime(at, zone, language)

  const payTx = session.transactions.find((tx) => tx.state !== 'orphaned')
  const paidOption = payTx
    ? session.payment_options.find((o) => o.chain_id === payTx.chain_id && o.token === payTx.token)
    : session.payment_options[0]
  const tokenAmount = (baseUnits: string) =>
    paidOption ? formatToken(baseUnitsToDecimal(baseUnits, paidOption.decimals), paidOption.token, language) : baseUnits

  return (
    <div className="owner-detail" data-session-id={session.id}>
      <div className="owner-detail-head">
        <p className="owner-detail-amount">{formatFiat(session.amount, session.currency, language)}</p>
        <SessionStatusChip status={session.status} label={t(`status.${session.status}`)} />
        {session.exceptions.map((e) => (
          <ToneChip key={e} tone="warn" label={t(`history.exception.${e}`)} />
        ))}
      </div>
      {/* Receipts (#16): a paid sale's receipt, printed again on demand. */}
      {session.status === 'COMPLETED' ? <PrintReceipt saleId={session.id} /> : null}

      <dl className="owner-facts">
        <Fact label={t('history.detail.order')}>{session.order_id}</Fact>
        <Fact label={t('history.detail.session')} testId="detail-session-id">
          <span className="mono break" id="detail-session-id">
            {session.id}
          </span>{' '}
          <CopyButton text={session.id} label={t('action.copy')} copiedLabel={t('action.copied')} targetId="detail-session-id" />
        </Fact>
        <Fact label={t('history.detail.created')}>{when(session.created_at)}</Fact>
        {session.completed_at ? (
          <Fact label={t('history.detail.completed')}>{when(session.completed_at)}</Fact>
        ) : (
          <Fact label={t('history.detail.expires')}>{when(session.expires_at)}</Fact>
        )}
        <Fact label={t('history.detail.price')}>{formatFiat(session.amount, session.currency, language)}</Fact>
        {session.exchange_rate ? (
          <>
            <Fact label={t('history.detail.usd')}>{formatFiat(session.amount_usd, 'USD', language)}</Fact>
            <Fact label={t('history.detail.rate')}>
              {t('history.detail.rateValue', { currency: session.currency, rate: session.exchange_rate })}
            </Fact>
          </>
        ) : null}
        <Fact label={t('history.detail.paid')}>{tokenAmount(session.amount_paid_base_units)}</Fact>
        {session.amount_remaining_base_units !== '0' && (session.status === 'PENDING' || session.status === 'PROCESSING') ? (
          <Fact label={t('history.detail.remaining')}>{tokenAmount(session.amount_remaining_base_units)}</Fact>
        ) : null}
        {session.transactions.length > 0 ? (
          <Fact label={t('history.detail.confirmations')}>
            {t('history.detail.confirmationsValue', {
              n: Math.min(session.confirmations, session.required_confirmations),
              m: session.required_confirmations,
            })}
          </Fact>
        ) : null}
      </dl>

      {session.line_items.length > 0 ? <SaleLines session={session} /> : null}

      <section className="owner-detail-section">
        <h3>{t('history.detail.options')}</h3>
        <ul className="owner-list">
          {session.payment_options.map((o) => {
            const chain = chains.get(o.chain_id)
            return (
              <li key={`${o.chain_id}:${o.token}`}>
                <strong>{formatToken(o.amount, o.token, language)}</strong> <NetworkName name={o.network} color={chain?.color ?? '#888'} />
                <div className="help">
                  {t('history.detail.address')}: <span className="mono break">{o.address}</span>
                </div>
              </li>
            )
          })}
        </ul>
      </section>

      <section className="owner-detail-section" data-testid="detail-payments">
        <h3>{t('history.detail.payments')}</h3>
        {session.transactions.length === 0 ? (
          <p className="muted">{t('history.detail.noPayments')}</p>
        ) : (
          <ul className="owner-list">
            {session.transactions.map((tx) => (
              <PaymentLine key={`${tx.chain_id}:${tx.tx_hash}:${tx.log_index}`} tx={tx} session={session} />
            ))}
          </ul>
        )}
      </section>

      {/* Refunds (#11): amount refunded, the sale's refunds, the Refund button, form and live refund. */}
      <SaleRefunds session={session} />

      <section className="owner-detail-section" data-testid="detail-timeline">
        <h3>{t('history.detail.timeline')}</h3>
        <ol className="owner-timeline">
          {/* The engine records creation as the first entry; older databases may not have it. */}
          {timeline.some((entry) => entry.from_status === null) ? null : (
            <li>
              <time>{when(session.created_at)}</time>
              <span>
                <SessionStatusChip status="PENDING" label={t('status.PENDING')} />{' '}
                <span className="muted">{t('history.detail.created.entry')}</span>
              </span>
            </li>
          )}
          {timeline.map((entry, i) => (
            <TimelineLine key={i} entry={entry} when={when} />
          ))}
        </ol>
      </section>

      <section className="owner-detail-section" data-testid="detail-webhooks">
        <h3>{t('history.detail.webhooks')}</h3>
        {deliveriesError ? (
          <p className="muted">{t('history.detail.webhooksError', { message: deliveriesError })}</p>
        ) : deliveries === null ? (
          <p className="muted">{t('history.loading')}</p>
        ) : deliveries.length === 0 ? (
          <p className="muted">{t('history.detail.noWebhooks')}</p>
        ) : (
          <ul className="owner-list">
            {deliveries.map((d) => (
              <DeliveryLine key={d.id} delivery={d} when={when} />
            ))}
          </ul>
        )}
      </section>
    </div>
  )
}

function PaymentLine({ tx, session }: { tx: SessionTransaction; session: PaymentSession }) {
  const t = useOwnerT()
  const language = useLanguage()
  const chains = useChainsById()
  const chain = chains.get(tx.chain_id)
  const option = session.payment_options.find((o) => o.chain_id === tx.chain_id && o.token === tx.token)
  const decimals = option?.decimals ?? chain?.tokens.find((tk) => tk.symbol === tx.token)?.decimals
  const tone = tx.state === 'confirmed' ? 'ok' : tx.state === 'pending' ? 'info' : 'bad'
  return (
    <li data-testid="detail-payment">
      <div className="owner-line">
        <strong>
          {decimals !== undefined
            ? formatToken(baseUnitsToDecimal(tx.amount_base_units, decimals), tx.token, language)
            : `${tx.amount_base_units} ${tx.token}`}
        </strong>
        <NetworkName name={chain?.name ?? `#${tx.chain_id}`} color={chain?.color ?? '#888'} />
        <ToneChip tone={tone} label={t(`history.detail.txState.${tx.state}`)} />
      </div>
      <div className="help">
        {t('history.detail.from')}: <span className="mono break">{tx.from}</span> · {t('history.detail.block', { n: tx.block_number })}
      </div>
      <div className="owner-line">
        <ExplorerLink chain={chain} txHash={tx.tx_hash} full title={t('history.detail.explorer')} />
      </div>
    </li>
  )
}

function TimelineLine({ entry, when }: { entry: TimelineEntry; when: (at: number) => string }) {
  const t = useOwnerT()
  return (
    <li>
      <time>{when(entry.at)}</time>
      <span>
        <SessionStatusChip status={entry.to_status} label={t(`status.${entry.to_status}`)} /> <span className="muted">{entry.reason}</span>
      </span>
    </li>
  )
}

function DeliveryLine({ delivery, when }: { delivery: WebhookDelivery; when: (at: number) => string }) {
  const t = useOwnerT()
  const tone = delivery.state === 'delivered' ? 'ok' : delivery.state === 'pending' ? 'info' : 'bad'
  return (
    <li>
      <div className="owner-line">
        <span className="mono">{delivery.event_type}</span>
        <ToneChip tone={tone} label={t(`webhooks.state.${delivery.state}`)} />
        <span className="muted">
          {t('webhooks.log.attempts')}: {delivery.attempts}
          {delivery.last_status !== null ? ` · HTTP ${delivery.last_status}` : ''}
        </span>
      </div>
      <div className="help">
        {when(delivery.created_at)}
        {delivery.last_error ? ` · ${delivery.last_error}` : ''}
      </div>
    </li>
  )
}

/** Catalog and cart (#17): the sale's lines as they were charged, and the parts of its amount that are not goods. */
function SaleLines({ session }: { session: PaymentSession }) {
  const t = useOwnerT()
  const language = useLanguage()
  const money = (amount: string) => formatFiat(amount, session.currency, language)
  const nonZero = (amount: string) => /[1-9]/.test(amount)
  return (
    <section className="owner-detail-section" data-testid="detail-lines">
      <h3>{t('history.detail.lines')}</h3>
      <table className="owner-table owner-lines">
        <tbody>
          {session.line_items.map((l, i) => (
            <tr key={i} data-testid="detail-line">
              <td>{l.name}</td>
              <td className="num">
                {l.quantity} × {money(l.unit_amount)}
              </td>
              <td className="num">{money(l.amount)}</td>
            </tr>
          ))}
          {nonZero(session.discount_amount) ? (
            <tr>
              <td colSpan={2}>{t('history.detail.linesDiscount')}</td>
              <td className="num" data-testid="detail-discount">
                −{money(session.discount_amount)}
              </td>
            </tr>
          ) : null}
          {nonZero(session.tax_amount) ? (
            <tr>
              <td colSpan={2}>{t('history.detail.linesTax')}</td>
              <td className="num" data-testid="detail-tax">
                {money(session.tax_amount)}
              </td>
            </tr>
          ) : null}
          {nonZero(session.shipping_amount) ? (
            <tr>
              <td colSpan={2}>{t('history.detail.linesShipping')}</td>
              <td className="num">{money(session.shipping_amount)}</td>
            </tr>
          ) : null}
          {nonZero(session.tip_amount) ? (
            <tr>
              <td colSpan={2}>{t('history.detail.linesTip')}</td>
              <td className="num">{money(session.tip_amount)}</td>
            </tr>
          ) : null}
          <tr>
            <th colSpan={2}>{t('history.detail.linesTotal')}</th>
            <th className="num">{money(session.amount)}</th>
          </tr>
        </tbody>
      </table>
    </section>
  )
}
