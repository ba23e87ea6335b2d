import { expect, test } from './fixtures'

/**
 * Health at the till (#15): with the chain's RPC frozen (anvil stopped by its
 * PID) the cashier screen and the customer display say so within 3 s, the
 * sale's QR is marked, the engine refuses a new sale on that network in plain
 * words, and both screens say when it is back.
 */
test('a frozen network is shown within 3 s on both screens, new sales on it are refused, and its return is shown', async ({
  cashier: page,
  shop,
}) => {
  const pid = shop.devnet.pid
  if (!pid) throw new Error('the devnet did not report anvil’s PID')
  const customer = await page.context().newPage()
  await customer.goto('/#/customer')

  await page.keyboard.type('5')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  await expect(customer.getByTestId('customer-sale')).toBeVisible()
  await expect(page.getByTestId('health-banner')).toBeHidden()

  process.kill(pid, 'SIGSTOP')
  try {
    // The user's check: a cashier looking at the till sees it within 3 s.
    await expect(page.getByTestId('health-banner')).toContainText('Local devnet cannot be reached', { timeout: 3000 })
    await expect(page.getByTestId('qr-offline')).toBeVisible()
    await expect(customer.getByTestId('health-banner')).toContainText('Local devnet cannot be reached', { timeout: 3000 })

    // A new sale on the only network is refused by the engine, in words (a second till tab).
    const other = await page.context().newPage()
    await other.goto('/')
    await expect(other.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
    await other.keyboard.type('3')
    await other.keyboard.press('Enter')
    await expect(other.getByTestId('sale-error')).toContainText('cannot be reached right now')
    await expect(other.getByTestId('session')).toHaveCount(0)
    const answer = (await (
      await page.request.post('/bridge/invoke/sessions:create', { data: { amount: '3', require_online: true } })
    ).json()) as {
      ok: boolean
      error?: { code: string }
    }
    expect(answer).toMatchObject({ ok: false, error: { code: 'network_offline' } })
  } finally {
    process.kill(pid, 'SIGCONT')
  }

  await expect(page.getByTestId('health-banner')).toBeHidden({ timeout: 3000 })
  await expect(page.getByTestId('health-back')).toBeVisible()
  await expect(page.getByTestId('qr-offline')).toBeHidden()
  await expect(customer.getByTestId('health-banner')).toBeHidden({ timeout: 3000 })
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
})
