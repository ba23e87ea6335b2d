import { currentSession, engineSession, expect, test } from './fixtures'
import { enterOwnerPin } from './support/owner'
import { SHOP_ADDRESS, transferToken } from './support/shop'

test('money that matches no open sale shows at the till, and one click says which sale it was for', async ({ cashier: page, shop }) => {
  // Two sales wait on the shop's one address.
  await page.keyboard.type('4')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  const first = await currentSession(page)
  await page.getByTestId('park-sale').click()
  await page.keyboard.type('5')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
  const second = await currentSession(page)

  // The customer types a wrong amount.
  await transferToken(shop, { token: shop.usdc, to: SHOP_ADDRESS, amount: 2_700_000n })
  await expect(page.getByTestId('unmatched')).toContainText('A payment of 2.70 USDC arrived that matches no open sale.')
  await expect(page.getByTestId('assign-to')).toHaveCount(2)

  await page.locator(`[data-testid="assign-to"][data-session-id="${first.id}"]`).click()
  // Assigning money to a sale is the owner's (#13): the PIN is asked, then the click goes through.
  await enterOwnerPin(page)
  await expect(page.getByTestId('unmatched')).toHaveCount(0)
  await expect(page.getByTestId('session')).toHaveAttribute('data-session-id', first.id)
  await expect(page.getByTestId('session')).toHaveAttribute('data-view', 'underpaid')
  expect((await engineSession(page, first.id)).amount_paid_base_units).toBe('2700000')
  expect((await engineSession(page, second.id)).amount_paid_base_units).toBe('0')
})
