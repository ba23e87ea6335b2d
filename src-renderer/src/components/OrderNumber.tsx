import type { PaymentSession } from '../../../src-preload/contract'
import { useT } from '../i18n'

/**
 * The order number the cashier calls out ("A-0042", #15): large on the paid
 * screens, plain beside the terms while waiting. Nothing for a sale made
 * before order numbers existed.
 */
export function OrderNumber({ session, large = false }: { session: Pick<PaymentSession, 'order_number'>; large?: boolean }) {
  const t = useT()
  if (!session.order_number) return null
  return (
    <p className={large ? 'order-number order-number-lg' : 'order-number'} data-testid="order-number">
      {t('cashier.orderNumber', { number: session.order_number })}
    </p>
  )
}
