import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

test.use({ shopOptions: { language: 'zh-CN' } })

/**
 * Errors and words in the cashier's language (#15): every screen, in Chinese,
 * shows no untranslated English. Only brand, token, network and currency
 * names, key names and addresses may stay in Latin letters.
 */
const ALLOWED = [
  // The language switch names the other language in its own words.
  'English',
  // The dollar as Chinese formatting writes it.
  'US$',
  'StablePay POS',
  'StablePay',
  'Corner Café',
  'Local devnet',
  'USDC',
  'USDT',
  'USD',
  'EUR',
  'Esc',
  'xpub',
]

function untranslated(text: string): string[] {
  // Order numbers (A-0042, #15) are letters the cashier calls out, like a table number.
  let rest = text.replace(/0x[0-9a-fA-F…]+/g, ' ').replace(/\b[A-Z]{1,2}-\d{4,}\b/g, ' ').replace(/https?:\/\/\S+/g, ' ')
  for (const word of ALLOWED) rest = rest.split(word).join(' ')
  return [...new Set(rest.match(/[A-Za-z][A-Za-z'’-]+/g) ?? [])]
}

async function scan(page: Page, screen: string, found: Record<string, string[]>): Promise<void> {
  const words = untranslated(await page.locator('body').innerText())
  if (words.length > 0) found[screen] = words
}

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
