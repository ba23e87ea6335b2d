import { currentSession, expect, snap, test } from './fixtures'
import { decodeQr } from './support/qr'
import { payFromWallet } from './support/shop'

test('a whole sale with the keyboard only', async ({ cashier: page, shop }, testInfo) => {
  await page.keyboard.type('42.5')
  await page.keyboard.press('Backspace')
  await page.keyboard.type('75')
  await expect(page.getByTestId('amount')).toContainText('42.75')
  // Esc clears the amount; type it again.
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('amount')).toHaveClass(/amount-empty/)
  await page.keyboard.type('42.75')
  await page.keyboard.press('Enter')

  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  const session = await currentSession(page)
  expect(session.amount).toBe('42.75')
  const screen = await snap(page, testInfo, 'waiting')
  const uri = decodeQr(screen, 0.25)
  expect(uri).toBe(session.payment_options[0]!.payment_uri)

  await payFromWallet(shop, uri!)
  await expect(page.getByTestId('paid')).toBeVisible()
  await snap(page, testInfo, 'paid')
  // Enter starts the next sale at once.
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('amount')).toHaveClass(/amount-empty/)

  // Esc on a waiting sale asks first (the QR is on screen), Enter confirms; Esc again is back to a new sale.
  await page.keyboard.type('5')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('alertdialog')).toContainText('Enter: cancel the sale · Esc: keep it')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('ended')).toHaveAttribute('data-status', 'CANCELLED')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('amount')).toHaveClass(/amount-empty/)
})
