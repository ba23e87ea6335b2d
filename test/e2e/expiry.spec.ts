import { currentSession, expect, snap, test } from './fixtures'

// The engine's shortest session is 60 s; this shop's sessions last exactly that.
test.use({ shopOptions: { sessionTtlSeconds: 60 } })

test('an unpaid sale expires, with the countdown amber in its last minute', async ({ cashier: page }, testInfo) => {
  test.setTimeout(120_000)
  await page.keyboard.type('9.99')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  await expect(page.getByTestId('countdown')).toHaveAttribute('data-hurry', 'true')
  await snap(page, testInfo, 'last-minute')

  await expect(page.getByTestId('ended')).toHaveAttribute('data-status', 'EXPIRED', { timeout: 90_000 })
  await expect(page.getByTestId('ended')).toContainText('The time to pay ran out. Nothing was received.')
  await snap(page, testInfo, 'expired')
  expect((await currentSession(page)).status).toBe('EXPIRED')
  await page.getByTestId('new-sale').click()
  await expect(page.getByTestId('amount')).toHaveClass(/amount-empty/)
})
