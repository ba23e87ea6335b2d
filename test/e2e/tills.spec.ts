import type { Page } from '@playwright/test'
import { currentSession, expect, holdSession, snap, test } from './fixtures'
import { openOwnerScreen } from './support/owner'
import { decodeQr } from './support/qr'

/** Owner → Settings → Devices and tills: a pairing code for `till`, as the QR's address. */
async function pairingAddress(owner: Page, till: string, kind: 'cashier' | 'display'): Promise<string> {
  await owner.getByTestId('pair-till').selectOption({ label: till })
  await owner.getByTestId(kind === 'cashier' ? 'pair-cashier' : 'pair-display').click()
  const pairing = owner.getByTestId('pairing')
  await expect(pairing).toBeVisible()
  const url = (await pairing.getAttribute('data-url'))!
  // The QR on the owner's screen is that very address.
  expect(decodeQr(await pairing.getByTestId('pairing-qr').screenshot({ animations: 'disabled' }))).toBe(url)
  await owner.getByTestId('pairing-done').click()
  return url
}

async function sell(page: Page, amount: string): Promise<void> {
  for (const key of amount) await page.locator(`.keypad [data-key="${key}"]`).click()
  await page.getByTestId('choice-31337:USDC').click()
  await page.getByTestId('charge').click()
}

test('a second browser pairs as till 2; both tills sell at once, each display shows its own till’s QR', async ({
  cashier: till1,
  browser,
  shop,
}, testInfo) => {
  // Three browsers, four pages and two sales on a shared machine: more than the default minute.
  test.setTimeout(150_000)
  // The owner (the first device, signed in with the printed address) adds Till 2 and pairs a tablet and a display for it.
  const owner = await till1.context().newPage()
  // Settings is an owner screen: the PIN first (#13).
  await openOwnerScreen(owner, '/settings', 'settings')
  await owner.getByTestId('new-till').fill('Till 2')
  await owner.getByTestId('add-till').click()
  await expect(owner.getByTestId('pair-till').locator('option')).toHaveCount(2)
  const tabletUrl = await pairingAddress(owner, 'Till 2', 'cashier')
  const displayUrl = await pairingAddress(owner, 'Till 2', 'display')
  expect(tabletUrl).toContain('?pair=')
  expect(tabletUrl).not.toContain(new URL(shop.loginUrl).searchParams.get('token')!)

  // Other browsers (their own cookies and storage): they never see the master token.
  const tabletContext = await browser.newContext()
  const displayContext = await browser.newContext()
  try {
    const till2 = await tabletContext.newPage()
    await till2.goto(tabletUrl)
    await expect(till2.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
    await expect(till2).not.toHaveURL(/pair=/)
    await holdSession(till2)
    const display2 = await displayContext.newPage()
    await display2.goto(displayUrl)
    await expect(display2.getByTestId('customer-idle')).toBeVisible()
    // Till 1's display: a second window of the first browser.
    const display1 = await till1.context().newPage()
    await display1.goto('/#/customer')
    await expect(display1.getByTestId('customer-idle')).toBeVisible()

    // A used pairing address signs nobody else in.
    const late = await (await browser.newContext()).newPage()
    await late.goto(tabletUrl)
    await expect(late.getByTestId('signed-out')).toBeVisible()
    await late.context().close()

    // Both counters at once.
    await Promise.all([sell(till1, '12'), sell(till2, '34')])
    await expect(till1.getByTestId('sale-status')).toContainText('Waiting for payment')
    await expect(till2.getByTestId('sale-status')).toContainText('Waiting for payment')
    const [sale1, sale2] = await Promise.all([currentSession(till1), currentSession(till2)])
    expect(sale1.till).toBe('till_1')
    expect(sale2.till).toBe('till_2')
    expect(sale1.amount).toBe('12.00')
    expect(sale2.amount).toBe('34.00')

    await expect(display1.getByTestId('customer-sale')).toHaveAttribute('data-session-id', sale1.id)
    await expect(display2.getByTestId('customer-sale')).toHaveAttribute('data-session-id', sale2.id)
    expect(decodeQr(await snap(display1, testInfo, 'till-1-display'))).toBe(sale1.payment_options[0]!.payment_uri)
    expect(decodeQr(await snap(display2, testInfo, 'till-2-display'))).toBe(sale2.payment_options[0]!.payment_uri)

    // The owner sees both devices of till 2, and revoking the tablet signs it out at once.
    await owner.reload()
    await expect(owner.getByTestId('device')).toHaveCount(3)
    const tabletRow = owner.locator('[data-testid="device"]', { has: owner.locator('option:checked', { hasText: 'Till 2' }) }).first()
    await tabletRow.getByTestId('device-revoke').click()
    await expect(tabletRow).toHaveAttribute('data-revoked', 'true')
    const refused = await till2.request.post('/bridge/invoke/app:info', { data: null })
    expect(refused.status()).toBe(401)
    // The tablet's screen says so by itself (its event stream met the 401), without a click (#15).
    await expect(till2.getByTestId('signed-out')).toBeVisible()
  } finally {
    await tabletContext.close()
    await displayContext.close()
  }
})
