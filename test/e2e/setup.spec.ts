import { expect, snap, test } from './fixtures'
import { SHOP_ADDRESS } from './support/shop'

test.use({ shopOptions: { configured: false } })

test('first run: a shop owner sets up the till in five steps', async ({ page, shop }, testInfo) => {
  await page.goto(shop.loginUrl)
  await expect(page).toHaveURL(/#\/setup$/)
  await page.getByTestId('shop-name').fill('Corner Café')
  await page.getByTestId('shop-currency').selectOption('EUR')
  await page.getByTestId('setup-next').click()

  // Checked as typed, with the engine's exact words; Next waits for a valid address.
  const typo = SHOP_ADDRESS.slice(0, -1) + 'C'
  await page.getByTestId('receive-input').fill(typo)
  await expect(page.getByTestId('receive-feedback')).toContainText('not a valid address: checksum mismatch')
  await expect(page.getByTestId('setup-next')).toBeDisabled()
  await snap(page, testInfo, '2-bad-address')
  await page.getByTestId('receive-input').fill(SHOP_ADDRESS.toLowerCase())
  await expect(page.getByTestId('receive-feedback')).toContainText(SHOP_ADDRESS)
  await page.getByTestId('setup-next').click()

  // Test networks come ticked; keep only the local devnet's USDT.
  await expect(page.getByTestId('setup-step-3')).toBeVisible()
  const ticked = await page
    .locator('[data-testid^="accept-"]:checked')
    .evaluateAll((boxes) => boxes.map((b) => b.getAttribute('data-testid')!))
  expect(ticked).toContain('accept-31337:USDC')
  for (const id of ticked) await page.getByTestId(id).uncheck()
  await page.getByTestId('accept-31337:USDT').check()
  await snap(page, testInfo, '3-networks')
  await page.getByTestId('setup-next').click()

  await page.getByTestId('mode-live').check()
  await expect(page.getByTestId('setup-step-4')).toContainText('Live mode needs at least one real network')
  await expect(page.getByTestId('setup-next')).toBeDisabled()
  await page.getByTestId('mode-test').check()
  await page.getByTestId('setup-next').click()

  // The owner PIN (#13): typed twice; then the recovery code is shown once over the first sale screen.
  await expect(page.getByTestId('setup-step-5')).toBeVisible()
  await page.getByTestId('setup-pin').fill('135790')
  await page.getByTestId('setup-pin-confirm').fill('135791')
  await expect(page.getByTestId('setup-step-5')).toContainText('The two PINs differ')
  await expect(page.getByTestId('setup-next')).toBeDisabled()
  await page.getByTestId('setup-pin-confirm').fill('135790')
  await page.getByTestId('setup-next').click()
  await expect(page.getByTestId('recovery-code-shown')).toHaveText(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/)
  await snap(page, testInfo, '5-recovery-code')
  await page.getByTestId('recovery-done').click()
  await expect(page.getByTestId('recovery-code-shown')).toBeHidden()

  await expect(page).toHaveURL(/#\/$/)
  await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
  await expect(page.getByTestId('choice-31337:USDT')).toBeVisible()
  await expect(page.getByTestId('amount')).toContainText('EUR')
  await snap(page, testInfo, '4-cashier')
  const info = await (await page.request.post('/bridge/invoke/app:info', { data: null })).json()
  expect(info).toMatchObject({ ok: true, value: { configured: true, devnet: true } })
})
