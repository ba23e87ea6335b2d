import { expect, test } from './fixtures'
import { scan } from './support/untranslated'

test.use({ shopOptions: { language: 'zh-CN' } })

/**
 * Errors and words in the cashier's language (#15): every screen, in Chinese,
 * shows no untranslated English (the allowed names are in support/untranslated.ts).
 */
test('every cashier screen in Chinese: no untranslated string', async ({ cashier: page }) => {
  const found: Record<string, string[]> = {}
  await expect(page.getByTestId('charge')).toHaveText('收款')
  await scan(page, 'entry', found)

  await page.keyboard.type('2000')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('alertdialog')).toBeVisible()
  await scan(page, 'large amount', found)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('等待付款')
  await scan(page, 'waiting', found)
  await page.keyboard.press('Escape')
  await expect(page.getByRole('alertdialog')).toBeVisible()
  await scan(page, 'cancel asks', found)
  await page.keyboard.press('Escape')

  await page.getByTestId('park-sale').click()
  await expect(page.getByTestId('open-sales')).toBeVisible()
  await scan(page, 'open-sales tray', found)

  await page.keyboard.type('5')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('等待付款')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('alertdialog')).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('ended')).toBeVisible()
  await scan(page, 'cancelled', found)

  const customer = await page.context().newPage()
  await customer.goto('/#/customer')
  await expect(customer.getByTestId('customer-display')).toBeVisible()
  await scan(customer, 'customer display', found)

  expect(found).toEqual({})
})
