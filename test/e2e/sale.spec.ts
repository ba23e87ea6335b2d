import { currentSession, expect, snap, test } from './fixtures'
import { decodeQr } from './support/qr'
import { mineBlock, payFromWallet } from './support/shop'

test.use({ shopOptions: { confirmations: 2 } })

test('a full sale paid by a real transfer reaches the paid screen', async ({ cashier: page, shop }, testInfo) => {
  // The customer display, as a second window following the shop's newest sale.
  const display = await page.context().newPage()
  await display.goto('/#/customer')
  await expect(display.getByTestId('customer-idle')).toBeVisible()

  for (const key of ['2', '5', '.', '5', '0']) await page.locator(`.keypad [data-key="${key}"]`).click()
  await expect(page.getByTestId('amount')).toContainText('25.50')
  await page.getByTestId('order-ref').fill('table 12')
  await page.getByTestId('choice-31337:USDC').click()
  await page.getByTestId('charge').click()

  await expect(page.getByTestId('token-amount')).toHaveText(/^25\.50\d* USDC$/)
  await expect(page.getByTestId('session')).toContainText('Local devnet')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  const session = await currentSession(page)
  const uri = session.payment_options[0]!.payment_uri

  // Read the QR from the screen as a phone would: whole screenshot, and scaled down to a quarter.
  const screen = await snap(page, testInfo, '1-waiting')
  expect(decodeQr(screen)).toBe(uri)
  expect(decodeQr(screen, 0.25)).toBe(uri)

  await expect(display.getByTestId('customer-sale')).toHaveAttribute('data-session-id', session.id)
  const customerScreen = await snap(display, testInfo, '2-customer-display')
  expect(decodeQr(customerScreen)).toBe(uri)
  expect(decodeQr(customerScreen, 0.25)).toBe(uri)

  // The customer pays exactly what the phone read; one block in, one confirmation of two.
  await payFromWallet(shop, decodeQr(screen)!)
  await expect(page.getByTestId('sale-status')).toContainText('Payment detected, 1/2 confirmations')
  await expect(display.getByTestId('customer-sale')).toContainText('Payment detected, 1/2 confirmations')
  await snap(page, testInfo, '3-detected')

  await mineBlock(shop)
  await expect(page.getByTestId('paid')).toBeVisible()
  await expect(page.getByTestId('paid')).toContainText('Paid')
  await expect(page.getByTestId('paid')).toContainText(`${session.payment_options[0]!.amount}`)
  await expect(display.getByTestId('customer-paid')).toBeVisible()
  await snap(page, testInfo, '4-paid')
  await snap(display, testInfo, '5-customer-paid')
  expect((await currentSession(page)).status).toBe('COMPLETED')

  // Back to a new sale by itself (auto_new_sale_seconds, 5 s by default).
  await expect(page.getByTestId('amount')).toBeVisible({ timeout: 10_000 })
  await expect(page.getByTestId('amount')).toContainText('0')
})

test('"keep this open" stops the automatic new sale', async ({ cashier: page, shop }, testInfo) => {
  await page.keyboard.type('3')
  await page.keyboard.press('Enter')
  const session = await currentSession(page)
  await payFromWallet(shop, session.payment_options[0]!.payment_uri)
  await mineBlock(shop)
  await expect(page.getByTestId('auto-new-sale')).toBeVisible()
  await page.getByTestId('keep-open').click()
  await expect(page.getByTestId('paid')).toContainText('Kept open')
  // Longer than the 5 s after which it would have gone: wait for that moment on the page's own clock, then check.
  await page.evaluate(() => new Promise((done) => setTimeout(done, 6_000)))
  await expect(page.getByTestId('paid')).toBeVisible()
  await snap(page, testInfo, 'kept-open')
  await page.getByTestId('new-sale').click()
  await expect(page.getByTestId('amount')).toBeVisible()
})

test.describe('simulate customer payment (test mode on the local chain)', () => {
  test.use({ shopOptions: { confirmations: 1 } })

  test('exact: paid', async ({ cashier: page }, testInfo) => {
    await page.keyboard.type('6.80')
    await page.keyboard.press('Enter')
    await page.getByTestId('simulate-exact').click()
    await expect(page.getByTestId('paid')).toBeVisible()
    await expect(page.getByTestId('paid-note')).toHaveCount(0)
    await snap(page, testInfo, 'simulated-exact')
  })

  test('too little, then the rest from the remainder QR: underpaid, then paid', async ({ cashier: page, shop }, testInfo) => {
    await page.keyboard.type('15')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('simulate')).toBeVisible()
    await page.getByTestId('simulate-under').click()
    await expect(page.getByTestId('session')).toHaveAttribute('data-view', 'underpaid')
    await expect(page.getByTestId('remaining')).toContainText('still to pay')
    const screen = await snap(page, testInfo, 'simulated-under')
    const remainder = (await currentSession(page)).remainder_option!.payment_uri
    expect(decodeQr(screen, 0.25)).toBe(remainder)
    await payFromWallet(shop, remainder)
    await expect(page.getByTestId('paid')).toBeVisible()
    await snap(page, testInfo, 'simulated-paid')
    expect((await currentSession(page)).status).toBe('COMPLETED')
  })

  test('too much: paid, flagged overpaid', async ({ cashier: page }) => {
    await page.keyboard.type('4.20')
    await page.keyboard.press('Enter')
    await page.getByTestId('simulate-over').click()
    await expect(page.getByTestId('paid-note')).toContainText('Overpaid')
  })
})

test('an 18-decimal stablecoin: the longer QR still reads at a quarter size, and the sale completes', async ({
  cashier: page,
  shop,
}, testInfo) => {
  await page.getByTestId('choice-31337:USDT').click()
  await page.keyboard.type('1234.56')
  await page.keyboard.press('Enter')
  // Above the owner's threshold (1,000 by default): the till asks first, Enter confirms (#15).
  await expect(page.getByTestId('confirm-large')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('token-amount')).toHaveText(/^1,234\.56\d* USDT$/)
  const session = await currentSession(page)
  expect(session.payment_options[0]!.decimals).toBe(18)
  const screen = await snap(page, testInfo, 'usdt-waiting')
  const uri = decodeQr(screen, 0.25)
  expect(uri).toBe(session.payment_options[0]!.payment_uri)
  await payFromWallet(shop, uri!)
  await mineBlock(shop)
  await expect(page.getByTestId('paid')).toContainText('USDT')
})
