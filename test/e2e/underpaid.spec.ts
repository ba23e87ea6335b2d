import { currentSession, expect, snap, test } from './fixtures'
import { decodeQr } from './support/qr'
import { parsePaymentUri, payFromWallet } from './support/shop'

test('underpaid, then topped up with the remainder QR', async ({ cashier: page, shop }, testInfo) => {
  await page.keyboard.type('20')
  await page.keyboard.press('Enter')
  const session = await currentSession(page)
  const asked = parsePaymentUri(session.payment_options[0]!.payment_uri).amount

  // The customer sends 15 USDC of 20.
  await payFromWallet(shop, session.payment_options[0]!.payment_uri, 15_000_000n)
  await expect(page.getByTestId('session')).toHaveAttribute('data-view', 'underpaid')
  await expect(page.getByTestId('sale-status')).toContainText('Not enough received')
  await expect(page.getByTestId('remaining')).toContainText(/^5\.\d+ USDC still to pay$/)

  const after = await currentSession(page)
  expect(after.remainder_option).not.toBeNull()
  const screen = await snap(page, testInfo, 'underpaid')
  const remainderUri = decodeQr(screen)
  expect(remainderUri).toBe(after.remainder_option!.payment_uri)
  expect(decodeQr(screen, 0.25)).toBe(remainderUri)
  expect(parsePaymentUri(remainderUri!).amount).toBeGreaterThanOrEqual(asked - 15_000_000n)

  await payFromWallet(shop, remainderUri!)
  await expect(page.getByTestId('paid')).toBeVisible()
  await snap(page, testInfo, 'topped-up')
  const paid = await currentSession(page)
  expect(paid.status).toBe('COMPLETED')
  expect(paid.transactions).toHaveLength(2)
})

test('overpaid: paid, and the screen says so and points to refunds', async ({ cashier: page, shop }, testInfo) => {
  await page.keyboard.type('10')
  await page.keyboard.press('Enter')
  const session = await currentSession(page)
  await payFromWallet(shop, session.payment_options[0]!.payment_uri, 12_000_000n)
  await expect(page.getByTestId('paid')).toBeVisible()
  await expect(page.getByTestId('paid-note')).toContainText(
    /Overpaid: the customer sent 2\.\d+ USDC more than asked\. Refund the difference from History\./,
  )
  await snap(page, testInfo, 'overpaid')
})
