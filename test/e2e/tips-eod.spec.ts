/**
 * Tips and the end-of-day report (#17), as a shop uses them: the owner turns
 * tips on, pairs a customer display with Till 1; the cashier opens a shift,
 * types 25.00 and charges; the customer taps 10 % on the display; the QR asks
 * for 27.50; the customer's wallet pays it on the local chain; the cashier
 * closes the shift and the report shows the sale and the 2.50 tip.
 */
import type { Browser, Page } from '@playwright/test'
import type { EndOfDayReport, PaymentSession } from '../../src-preload/contract'
import { currentSession, expect, snap, test } from './fixtures'
import { openOwnerScreen } from './support/owner'
import { decodeQr } from './support/qr'
import { parsePaymentUri, payFromWallet } from './support/shop'

test.use({ shopOptions: { confirmations: 1 } })

async function bridge<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/bridge/invoke/${channel}`, { data: input })
  const result = (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } }
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`)
  return result.value
}

/** Owner → Settings → Tips on; a customer display paired with Till 1 in its own browser (its own device). */
async function tipsOnWithDisplay(page: Page, browser: Browser, shopUrl: string): Promise<Page> {
  await openOwnerScreen(page, '/settings', 'settings')
  const tips = page.getByTestId('tips-settings')
  // A controlled box: it shows ticked once the engine has stored it.
  await tips.getByTestId('tips-enabled').click()
  await expect(tips.getByTestId('tips-enabled')).toBeChecked()
  await expect.poll(async () => (await bridge<{ tips_enabled: boolean }>(page, 'settings:get', null)).tips_enabled).toBe(true)
  const pairing = await bridge<{ code: string }>(page, 'devices:pair', { till: 'till_1', role_hint: 'display' })
  const display = await (await browser.newContext()).newPage()
  await display.goto(`${shopUrl}/?pair=${pairing.code}#/customer`)
  await expect(display.getByTestId('customer-idle')).toBeVisible()
  return display
}

test('the customer picks 10 % on the display, pays 27.50 on anvil, and the shift report shows the sale and the tip', async ({
  cashier: page,
  browser,
  shop,
}, testInfo) => {
  test.setTimeout(120_000)
  const display = await tipsOnWithDisplay(page, browser, shop.url)

  // The cashier opens the shift at Till 1.
  await page.goto('/#/report')
  await page.getByTestId('shift-open-button').click()
  await expect(page.getByTestId('shift-open')).toBeVisible()

  await page.goto('/#/')
  await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
  for (const key of ['2', '5']) await page.locator(`.keypad [data-key="${key}"]`).click()
  await page.getByTestId('choice-31337:USDC').click()
  await page.getByTestId('charge').click()

  // The till waits; the display offers the owner's buttons, worked out by the engine.
  await expect(page.getByTestId('tip-wait')).toBeVisible()
  // A reload of the till meanwhile goes back to waiting for the same answer, rather than to an empty keypad.
  await page.reload()
  await expect(page.getByTestId('tip-wait')).toBeVisible()
  const chooser = display.getByTestId('tip-chooser')
  await expect(chooser).toBeVisible()
  await expect(chooser.getByTestId('tip-percent-10')).toContainText('2.50')
  await expect(chooser.getByTestId('tip-percent-10')).toContainText('27.50')
  await snap(display, testInfo, '1-tip-chooser')
  await chooser.getByTestId('tip-percent-10').click()

  // The sale is 27.50 with a 2.50 tip, and both QR codes ask for exactly that (plus the sale's reserved last digits).
  await expect(page.getByTestId('token-amount')).toHaveText(/^27\.50\d* USDC$/)
  const session: PaymentSession = await currentSession(page)
  expect(session).toMatchObject({ amount: '27.50', tip_amount: '2.50', till: 'till_1' })
  const uri = session.payment_options[0]!.payment_uri
  const cashierQr = decodeQr(await snap(page, testInfo, '2-cashier-qr'))
  expect(cashierQr).toBe(uri)
  await expect(display.getByTestId('customer-sale')).toHaveAttribute('data-session-id', session.id)
  expect(decodeQr(await snap(display, testInfo, '3-customer-qr'))).toBe(uri)
  const asked = parsePaymentUri(cashierQr!).amount
  expect(asked / 10_000n).toBe(2750n) // 27.50 USDC in 6-decimal base units, the last digits told apart per sale

  await payFromWallet(shop, cashierQr!)
  await expect(page.getByTestId('paid')).toBeVisible()
  await expect(display.getByTestId('customer-paid')).toBeVisible()

  // Close the shift: its report shows the sale, the tip, and what arrived in USDC.
  await page.goto('/#/report')
  page.once('dialog', (dialog) => void dialog.accept())
  await page.getByTestId('shift-close').click()
  await expect(page.getByTestId('shift-notice')).toBeVisible()
  const report = page.getByTestId('eod-report')
  await expect(report.getByTestId('eod-sales')).toHaveText('1')
  await expect(report.getByTestId('eod-gross')).toContainText('27.50')
  await expect(report.getByTestId('eod-tips')).toContainText('2.50')
  await expect(report.getByTestId('eod-net')).toContainText('27.50')
  await expect(report.getByTestId('eod-token-USDC')).toContainText('27.50')
  await snap(page, testInfo, '4-shift-report')

  // The owner's day report for Till 1 says the same.
  await page.getByTestId('day-show').click()
  await expect(page.getByTestId('eod-report')).toHaveAttribute('data-day', /\d{4}-\d{2}-\d{2}/)
  const day = await bridge<EndOfDayReport>(page, 'reports:end-of-day', { till: 'till_1' })
  expect(day.totals).toEqual([{ currency: 'USD', sales: 1, gross: '27.50', tips: '2.50', tax: '0.00', refunds: '0.00', net: '27.50' }])
  await expect(page.getByTestId('eod-report').getByTestId('eod-tips')).toContainText('2.50')
  await display.context().close()
})

test('the issue’s whole scenario: a cart of three products with a discount, a 10 % tip on the display, paid on anvil, and the report shows the sale, the tip and the tax', async ({
  cashier: page,
  browser,
  shop,
}, testInfo) => {
  test.setTimeout(120_000)
  const display = await tipsOnWithDisplay(page, browser, shop.url)
  // Tax added at the till, 10 % on each product; prices chosen so every step is exact (no rounding to argue about).
  await bridge(page, 'settings:update', { tax_mode: 'added' })
  const products = [
    { name: 'Flat white', price: '4.00' },
    { name: 'Bagel', price: '2.00' },
    { name: 'Orange juice', price: '4.00' },
  ]
  const ids: string[] = []
  for (const p of products) ids.push((await bridge<{ id: string }>(page, 'products:create', { ...p, tax_rate_bp: 1000 })).id)

  await page.goto('/#/report')
  await page.getByTestId('shift-open-button').click()
  await expect(page.getByTestId('shift-open')).toBeVisible()

  await page.goto('/#/')
  // The till reads the shop's tax mode when it loads.
  await page.reload()
  await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
  await page.getByTestId('sale-mode-products').click()
  for (const id of ids) await page.locator(`[data-testid="product-tile"][data-product="${id}"]`).click()
  await expect(page.getByTestId('cart-line')).toHaveCount(3)
  // 10 % off: 10.00 → 9.00; tax 10 % of each discounted line: 0.36 + 0.18 + 0.36 = 0.90; total 9.90.
  await page.getByTestId('discount-percent').click()
  await page.getByTestId('cart-discount').fill('10')
  await expect(page.getByTestId('cart-tax')).toContainText('0.90')
  await expect(page.getByTestId('cart-total')).toContainText('9.90')
  await page.getByTestId('choice-31337:USDC').click()
  await page.getByTestId('charge').click()

  // The customer's 10 % is of what the cart asks: 9.90 × 10 % = 0.99; the sale is 10.89.
  await expect(page.getByTestId('tip-wait')).toBeVisible()
  const chooser = display.getByTestId('tip-chooser')
  await expect(chooser.getByTestId('tip-percent-10')).toContainText('0.99')
  await expect(chooser.getByTestId('tip-percent-10')).toContainText('10.89')
  await chooser.getByTestId('tip-percent-10').click()

  await expect(page.getByTestId('token-amount')).toHaveText(/^10\.89\d* USDC$/)
  const session: PaymentSession = await currentSession(page)
  expect(session).toMatchObject({ amount: '10.89', tip_amount: '0.99', tax_amount: '0.90', discount_amount: '1.00' })
  expect(session.line_items.map((l) => `${l.quantity} × ${l.name} ${l.unit_amount}`)).toEqual([
    '1 × Flat white 4.00',
    '1 × Bagel 2.00',
    '1 × Orange juice 4.00',
  ])
  const qr = decodeQr(await snap(display, testInfo, '1-cart-customer-qr'))
  expect(qr).toBe(session.payment_options[0]!.payment_uri)
  expect(parsePaymentUri(qr!).amount / 10_000n).toBe(1089n)

  await payFromWallet(shop, qr!)
  await expect(page.getByTestId('paid')).toBeVisible()

  await page.goto('/#/report')
  page.once('dialog', (dialog) => void dialog.accept())
  await page.getByTestId('shift-close').click()
  const report = page.getByTestId('eod-report')
  await expect(report.getByTestId('eod-sales')).toHaveText('1')
  await expect(report.getByTestId('eod-gross')).toContainText('10.89')
  await expect(report.getByTestId('eod-tips')).toContainText('0.99')
  await expect(report.getByTestId('eod-tax')).toContainText('0.90')
  await expect(report.getByTestId('eod-product')).toHaveCount(3)
  await snap(page, testInfo, '2-cart-shift-report')
  const closed = await bridge<EndOfDayReport>(page, 'reports:end-of-day', { till: 'till_1' })
  expect(closed.totals).toEqual([{ currency: 'USD', sales: 1, gross: '10.89', tips: '0.99', tax: '0.90', refunds: '0.00', net: '10.89' }])
  expect(closed.by_product.map((p) => `${p.quantity} × ${p.name} ${p.amount}`).sort()).toEqual([
    '1 × Bagel 2.00',
    '1 × Flat white 4.00',
    '1 × Orange juice 4.00',
  ])
  await display.context().close()
})
