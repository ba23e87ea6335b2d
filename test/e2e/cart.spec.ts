/**
 * Catalog and cart (#17) in real Chromium against serve mode on anvil: the
 * owner's products, a cashier who builds a cart of three products with a
 * discount in the products mode, charges it, the customer's wallet pays what
 * the QR says, and the owner's History shows the sale's lines.
 */
import type { Page } from '@playwright/test'
import type { PaymentSession, Product } from '../../src-preload/contract'
import { currentSession, expect, snap, test } from './fixtures'
import { openOwnerScreen, OWNER_PIN } from './support/owner'
import { decodeQr } from './support/qr'
import { mineBlock, payFromWallet } from './support/shop'

test.use({ shopOptions: { confirmations: 1 } })

async function bridge<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/bridge/invoke/${channel}`, { data: input })
  const result = (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } }
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`)
  return result.value
}

test('a cashier sells three products with 10 % off, the customer pays the QR, History shows the lines', async ({ cashier: page, shop }, testInfo) => {
  // The owner's catalog: sales tax added at the till (8.25 % on food and drink, none on water).
  await bridge(page, 'owner:unlock', { pin: OWNER_PIN })
  await bridge(page, 'settings:update', { tax_mode: 'added' })
  await bridge<Product>(page, 'products:create', { name: 'Coffee', name_zh: '咖啡', price: '3.50', category: 'Drinks', tax_rate_bp: 825, color: '#8b5a2b' })
  await bridge<Product>(page, 'products:create', { name: 'Muffin', price: '2.25', category: 'Food', tax_rate_bp: 825 })
  await bridge<Product>(page, 'products:create', { name: 'Water', price: '1.00', category: 'Drinks' })
  await bridge<Product>(page, 'products:create', { name: 'Old cake', price: '9.99', category: 'Food', active: false })
  await bridge(page, 'owner:lock', null)

  // The cashier switches the till to products; it stays so after a reload (kept per till by the engine).
  await page.reload()
  await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
  await page.getByTestId('sale-mode-products').click()
  await expect(page.getByTestId('product-tile')).toHaveCount(3)
  await page.reload()
  await expect(page.getByTestId('sale-mode-products')).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByTestId('product-tile')).toHaveCount(3)

  // Category tabs and search narrow the grid.
  await page.getByTestId('product-tab').filter({ hasText: 'Food' }).click()
  await expect(page.getByTestId('product-tile')).toHaveCount(1)
  await page.getByTestId('product-tab').filter({ hasText: 'All' }).click()
  await page.getByTestId('product-search').fill('wat')
  await expect(page.getByTestId('product-tile')).toHaveCount(1)
  await page.getByTestId('product-tile').click()
  await page.getByTestId('product-search').fill('')

  // Coffee twice, a muffin, three waters (typed), 10 % off.
  const tile = (name: string) => page.getByTestId('product-tile').filter({ hasText: name })
  await tile('Coffee').click()
  await tile('Coffee').click()
  await tile('Muffin').click()
  await page.getByTestId('cart-line').filter({ hasText: 'Water' }).getByTestId('cart-qty').fill('3')
  await page.getByTestId('discount-percent').click()
  await page.getByTestId('cart-discount').fill('10')
  // 12.25 − 1.23 + tax 0.52 + 0.17 (per line, half up, on the discounted lines) = 11.71 (test/unit/cart.test.ts).
  await expect(page.getByTestId('cart-subtotal')).toHaveText('$12.25')
  await expect(page.getByTestId('cart-discount-amount')).toHaveText('−$1.23')
  await expect(page.getByTestId('cart-tax')).toHaveText('$0.69')
  await expect(page.getByTestId('cart-total')).toHaveText('$11.71')
  await snap(page, testInfo, '1-cart')

  await page.getByTestId('choice-31337:USDC').click()
  await page.getByTestId('charge').click()
  await expect(page.getByTestId('token-amount')).toHaveText(/^11\.71\d* USDC$/)
  const session: PaymentSession = await currentSession(page)
  expect(session).toMatchObject({ amount: '11.71', currency: 'USD', tax_amount: '0.69', discount_amount: '1.23', tip_amount: '0.00' })
  expect(session.line_items.map((l) => [l.name, l.unit_amount, l.quantity, l.amount])).toEqual([
    ['Water', '1.00', 3, '3.00'],
    ['Coffee', '3.50', 2, '7.00'],
    ['Muffin', '2.25', 1, '2.25'],
  ])

  // The customer's wallet reads the QR on the screen and pays exactly that.
  const screen = await snap(page, testInfo, '2-qr')
  const uri = decodeQr(screen)
  expect(uri).toBe(session.payment_options[0]!.payment_uri)
  expect(session.payment_options[0]!.amount).toMatch(/^11\.71\d*$/)
  await payFromWallet(shop, uri!)
  await mineBlock(shop)
  await expect(page.getByTestId('paid')).toBeVisible()
  expect((await currentSession(page)).status).toBe('COMPLETED')

  // The owner's History: the sale's drawer lists what was sold.
  await openOwnerScreen(page, '/history', 'history')
  await page.locator(`[data-testid="history-row"][data-session-id="${session.id}"]`).click()
  const lines = page.getByTestId('session-drawer').getByTestId('detail-lines')
  await expect(lines.getByTestId('detail-line')).toHaveCount(3)
  await expect(lines).toContainText('Coffee')
  await expect(lines).toContainText('2 × $3.50')
  await expect(lines.getByTestId('detail-discount')).toHaveText('−$1.23')
  await expect(lines.getByTestId('detail-tax')).toHaveText('$0.69')
  await snap(page, testInfo, '3-history-lines')
})
