import { currentSession, expect, snap, test } from './fixtures'
import { payFromWallet } from './support/shop'

test('after a dropped connection the cashier asks again and shows the true status', async ({ cashier: page, shop }, testInfo) => {
  await page.keyboard.type('8.40')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  const session = await currentSession(page)

  // The app goes away; meanwhile the customer pays. When it is back, its watcher finds the payment,
  // usually before the browser's event stream reconnects, so only a refetch can show it.
  const refetched = page.waitForRequest((r) => r.url().endsWith('/bridge/invoke/sessions:get'), { timeout: 30_000 })
  await shop.restart({ whileDown: async () => void (await payFromWallet(shop, session.payment_options[0]!.payment_uri)) })
  await refetched
  await expect(page.getByTestId('paid')).toBeVisible({ timeout: 20_000 })
  await snap(page, testInfo, 'paid-after-reconnect')
  expect((await currentSession(page)).status).toBe('COMPLETED')
})
