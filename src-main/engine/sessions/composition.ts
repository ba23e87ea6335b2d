import type { CreateSaleInput } from '../../../src-preload/contract'
import type { CreateSessionInput } from './create'

/** A create request's composition fields (the till's and the REST API's, both snake_case) in the engine's words. */
export function compositionInput(
  sale: Pick<CreateSaleInput, 'line_items' | 'tax_amount' | 'shipping_amount' | 'tip_amount' | 'discount_amount' | 'success_url' | 'cancel_url'>,
): Pick<CreateSessionInput, 'lineItems' | 'taxAmount' | 'shippingAmount' | 'tipAmount' | 'discountAmount' | 'successUrl' | 'cancelUrl'> {
  return {
    lineItems: sale.line_items?.map((l) => ({
      name: l.name,
      description: l.description,
      unitAmount: l.unit_amount,
      quantity: l.quantity,
      productId: l.product_id,
    })),
    taxAmount: sale.tax_amount,
    shippingAmount: sale.shipping_amount,
    tipAmount: sale.tip_amount,
    discountAmount: sale.discount_amount,
    successUrl: sale.success_url,
    cancelUrl: sale.cancel_url,
  }
}
