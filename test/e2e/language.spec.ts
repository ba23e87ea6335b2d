import { currentSession, expect, snap, test } from './fixtures'
import { decodeQr } from './support/qr'

test('switching to Chinese at run time, remembered after a reload', async ({ cashier: page }, testInfo) => {
  await expect(page.getByTestId('charge')).toHaveText('Charge')
  await page.getByTestId('language-switch').click()
  await expect(page.getByTestId('charge')).toHaveText('收款')
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
  await expect(page.getByRole('navigation')).toContainText('历史记录')

  // Remembered by the engine: a fresh page (no local storage) opens in Chinese.
  const settings = await (await page.request.post('/bridge/invoke/settings:get', { data: null })).json()
  expect(settings).toMatchObject({ ok: true, value: { language: 'zh-CN' } })
  await page.evaluate('localStorage.clear()')
  await page.reload()
  await expect(page.getByTestId('charge')).toHaveText('收款')

  await page.keyboard.type('1234.5')
  await expect(page.getByTestId('amount')).toContainText('1,234.5')
  await snap(page, testInfo, 'zh-entry')
  await page.keyboard.press('Enter')
  // Above the owner's threshold (1,000 by default): the till asks first, Enter confirms (#15).
  await expect(page.getByRole('alertdialog')).toContainText('金额较大')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('等待付款')
  await expect(page.getByTestId('fiat-price')).toContainText('价格 US$1,234.50')
  const screen = await snap(page, testInfo, 'zh-waiting')
  expect(decodeQr(screen)).toBe((await currentSession(page)).payment_options[0]!.payment_uri)

  // And back.
  await page.getByTestId('language-switch').click()
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
})

test.describe('a shop set up in Chinese', () => {
  test.use({ shopOptions: { language: 'zh-CN', currency: 'EUR' } })

  test('opens in Chinese, prices in euros converted at the locked rate', async ({ cashier: page }, testInfo) => {
    await expect(page.getByTestId('charge')).toHaveText('收款')
    await page.keyboard.type('10')
    await page.keyboard.press('Enter')
    // 10 EUR at the manual rate 1.08 = 10.80 USD = 10.80 USDC.
    await expect(page.getByTestId('token-amount')).toHaveText(/^10\.80\d* USDC$/)
    await expect(page.getByTestId('fiat-price')).toContainText('€10.00')
    await expect(page.getByTestId('rate')).toContainText('1 EUR = 1.08 美元')
    await snap(page, testInfo, 'zh-eur')
  })
})
