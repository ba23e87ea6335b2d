import { formatFiat, useLanguage, useT } from '../i18n'
import { useOpenSalesStore, useSaleStore, viewOf } from '../state'

/**
 * Open sales waiting at this shop (#15): a parked sale, or one opened in
 * another tab or window, stays here until it is paid, expires or is
 * cancelled; one touch brings it back to the screen.
 */
export function OpenSalesTray() {
  const t = useT()
  const language = useLanguage()
  const sales = useOpenSalesStore((s) => s.sales)
  const currentId = useSaleStore((s) => s.session?.id ?? null)
  const bringBack = useSaleStore((s) => s.bringBack)
  const others = sales.filter((s) => s.id !== currentId)
  if (others.length === 0) return null
  return (
    <section className="open-sales" aria-label={t('tray.title')} data-testid="open-sales">
      <h2 className="field-label">{t('tray.title')}</h2>
      <ul className="open-sales-list">
        {others.map((sale) => {
          const view = viewOf(sale)
          return (
            <li key={sale.id}>
              <button
                type="button"
                className="btn btn-secondary open-sale"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => void bringBack(sale.id)}
                data-testid="open-sale"
                data-session-id={sale.id}
              >
                {sale.order_number ? <strong className="open-sale-number">{sale.order_number}</strong> : null}
                <span className="open-sale-amount">{formatFiat(sale.amount, sale.currency, language)}</span>
                <span className="open-sale-status">
                  {view.kind === 'underpaid'
                    ? t('cashier.underpaidTitle')
                    : view.kind === 'detected'
                      ? t('tray.detected')
                      : t('cashier.waiting')}
                </span>
                {!sale.order_id.startsWith('pos-') ? <span className="muted">{sale.order_id}</span> : null}
              </button>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
