import { currentSession, expect, snap, test } from './fixtures'
import { payFromWallet } from './support/shop'

test('cancelling a sale that is still waiting', async ({ cashier: page }, testInfo) => {
  await page.keyboard.type('12.00')
  await page.getByTestId('charge').click()
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  const session = await currentSession(page)

  await page.getByTestId('cancel-sale').click()
  await page.getByTestId('confirm-cancel').click()
  await expect(page.getByTestId('ended')).toHaveAttribute('data-status', 'CANCELLED')
  await expect(page.getByTestId('ended')).toContainText('Cancelled')
  await expect(page.getByTestId('ended')).toContainText('This sale was cancelled.')
  await snap(page, testInfo, 'cancelled')
  expect((await currentSession(page)).status).toBe('CANCELLED')
  expect(session.status).toBe('PENDING')

  // The one obvious action: a new sale.
  await page.getByTestId('new-sale').click()
  await expect(page.getByTestId('amount')).toContainText('0')
})

test('a sale whose payment was detected cannot be cancelled, and the screen says why', async ({ cashier: page, shop }, testInfo) => {
  await page.keyboard.type('7')
  await page.keyboard.press('Enter')
  const session = await currentSession(page)
  // Too little: the session stays open (PROCESSING, underpaid) but a payment is in.
  await payFromWallet(shop, session.payment_options[0]!.payment_uri, 1_000_000n)
  await expect(page.getByTestId('session')).toHaveAttribute('data-status', 'PROCESSING')

  await page.keyboard.press('Escape')
  await expect(page.getByRole('alertdialog')).toContainText('This sale can no longer be cancelled')
  await expect(page.getByRole('alertdialog')).toContainText('Only a sale still waiting for payment can be cancelled')
  await snap(page, testInfo, 'cannot-cancel')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('alertdialog')).toBeHidden()
  expect((await currentSession(page)).status).toBe('PROCESSING')
})
