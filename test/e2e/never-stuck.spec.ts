import { currentSession, engineSession, expect, test } from './fixtures'
import { payFromWallet } from './support/shop'

/** Never stuck (#15): park and bring back, a cancel that asks, Enter after the header, charge again. */

test('park a sale, serve the next customer, see a sale from another tab, bring the parked one back and get it paid', async ({
  cashier: page,
  shop,
}) => {
  await page.keyboard.type('4')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  const parked = await currentSession(page)

  await page.getByTestId('park-sale').click()
  await expect(page.getByTestId('amount')).toHaveClass(/amount-empty/)
  await expect(page.getByTestId('open-sale')).toHaveCount(1)
  await expect(page.getByTestId('open-sale')).toContainText('4.00')

  // Another till tab opens a sale: it shows up in this tray too.
  const other = await page.context().newPage()
  await other.goto('/')
  await expect(other.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
  await other.keyboard.type('7')
  await other.keyboard.press('Enter')
  await expect(other.getByTestId('sale-status')).toContainText('Waiting for payment')
  await expect(page.getByTestId('open-sale')).toHaveCount(2)

  // The next customer here; then the parked sale comes back and is paid.
  await page.keyboard.type('9')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  await page.locator(`[data-testid="open-sale"][data-session-id="${parked.id}"]`).click()
  await expect(page.getByTestId('session')).toHaveAttribute('data-session-id', parked.id)
  await payFromWallet(shop, parked.payment_options[0]!.payment_uri)
  await expect(page.getByTestId('paid')).toBeVisible()
  expect((await engineSession(page, parked.id)).status).toBe('COMPLETED')
  await expect(page.locator(`[data-testid="open-sale"][data-session-id="${parked.id}"]`)).toHaveCount(0)
})

test('Esc on the QR asks: Esc keeps the sale, Enter cancels it; Charge again starts a new sale for the same amount', async ({
  cashier: page,
}) => {
  await page.keyboard.type('12.34')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  await expect(page.getByTestId('session')).toContainText('Esc asks before cancelling')
  const first = await currentSession(page)

  await page.keyboard.press('Escape')
  await expect(page.getByRole('alertdialog')).toContainText('Esc: keep it')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('alertdialog')).toBeHidden()
  expect((await engineSession(page, first.id)).status).toBe('PENDING')

  await page.keyboard.press('Escape')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('ended')).toHaveAttribute('data-status', 'CANCELLED')

  await page.getByTestId('charge-again').click()
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  const again = await currentSession(page)
  expect(again.id).not.toBe(first.id)
  expect(again.amount).toBe('12.34')
  expect(again.status).toBe('PENDING')
})

test('Enter charges on the sale-entry screen after a click on any header control', async ({ cashier: page }) => {
  const controls = [
    page.locator('.topbar .nav-link').first(),
    page.getByTestId('language-switch'),
    page.getByTestId('open-customer-display'),
    page.locator('.topbar .brand-name'),
  ]
  let n = 1
  for (const control of controls) {
    await control.click()
    await page.bringToFront()
    const language = await page.locator('html').getAttribute('lang')
    await page.keyboard.type(String(n))
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('session')).toBeVisible()
    expect((await currentSession(page)).amount).toBe(`${n}.00`)
    // Enter charged; it did not also toggle the language.
    expect(await page.locator('html').getAttribute('lang')).toBe(language)
    await page.getByTestId('park-sale').click()
    await expect(page.getByTestId('amount')).toHaveClass(/amount-empty/)
    n++
  }
})

test('an amount above the owner’s threshold (default 1,000) asks first: Esc goes back to the amount, Enter charges', async ({
  cashier: page,
}) => {
  await page.keyboard.type('1000')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('session')).toBeVisible()
  await page.getByTestId('park-sale').click()

  await page.keyboard.type('12000')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('alertdialog')).toContainText('12,000.00')
  await expect(page.getByTestId('session')).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(page.getByRole('alertdialog')).toBeHidden()
  await expect(page.getByTestId('amount')).toContainText('12,000')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('session')).toBeVisible()
  expect((await currentSession(page)).amount).toBe('12000.00')
})
