import type { Page } from '@playwright/test'
import type { Channel, InputOf, OutputOf } from '../../src-preload/contract'
import { currentSession, engineSession, expect, snap, test } from './fixtures'
import { openOwnerScreen } from './support/owner'
import { payFromWallet } from './support/shop'

test.use({ shopOptions: { confirmations: 1 } })

/** Asks the engine through the page's own bridge and session (the same way the screens ask). */
async function invoke<C extends Channel>(page: Page, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const response = await page.request.post(`/bridge/invoke/${channel}`, { data: input ?? null })
  const result = (await response.json()) as { ok: true; value: OutputOf<C> } | { ok: false; error: { message: string } }
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.value
}

/** #15: a number the cashier can call out, on every screen the sale passes through; History finds it by its start and shows new sales by itself. */
test('order numbers on the sale, paid, customer and receipt screens; History finds them by prefix and shows new sales live', async ({
  cashier: page,
  shop,
}, testInfo) => {
  const display = await page.context().newPage()
  await display.goto('/#/customer')
  await expect(display.getByTestId('customer-idle')).toBeVisible()

  await page.keyboard.type('4.20')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('session').getByTestId('order-number')).toHaveText('Order no. A-0001')
  await expect(display.getByTestId('customer-sale').getByTestId('order-number')).toHaveText('Order no. A-0001')
  const sale = await currentSession(page)
  expect(sale.order_number).toBe('A-0001')

  const txHash = await payFromWallet(shop, sale.payment_options[0]!.payment_uri)
  await expect(page.getByTestId('paid').getByTestId('order-number')).toHaveText('Order no. A-0001')
  await expect(display.getByTestId('customer-paid').getByTestId('order-number')).toHaveText('Order no. A-0001')
  await snap(page, testInfo, '1-paid-with-number')
  await expect.poll(async () => (await engineSession(page, sale.id)).receipt_url).not.toBeNull()
  const receipt = (await engineSession(page, sale.id)).receipt_url!
  const phone = await page.context().newPage()
  await phone.goto(receipt)
  await expect(phone.locator('[data-fact="orderNumber"]')).toHaveText('Order no. A-0001')
  await phone.close()

  // Another sale at the counter before History opens: A-0002.
  const second = await invoke(page, 'sessions:create', { amount: '3.00', order_id: 'Table 7' })
  expect(second.order_number).toBe('A-0002')

  await openOwnerScreen(page, '/history', 'history')
  const rows = page.getByTestId('history-row')
  await expect(rows).toHaveCount(2)
  await expect(page.locator(`[data-testid="history-row"][data-session-id="${sale.id}"]`)).toContainText('A-0001')

  // Live: a sale made elsewhere (the REST API, another till) appears without a reload, and a change shows in place.
  const third = await invoke(page, 'sessions:create', { amount: '9.99', order_id: 'walk-in-3' })
  await expect(rows).toHaveCount(3)
  await expect(rows.first()).toHaveAttribute('data-session-id', third.id)
  await expect(rows.first()).toContainText('A-0003')
  await invoke(page, 'sessions:cancel', { id: third.id })
  await expect(rows.first()).toContainText('Cancelled')
  await snap(page, testInfo, '2-history-live')

  // Prefix search, in any case: the order number as called out, an order id's start, a tx hash as shortened on screen.
  const search = page.getByTestId('history-search')
  for (const [query, expected] of [
    ['a-0002', [second.id]],
    ['a-000', [third.id, second.id, sale.id]],
    ['table', [second.id]],
    [txHash.slice(0, 8).toUpperCase().replace('0X', '0x'), [sale.id]],
    [sale.id.slice(0, 10), [sale.id]],
  ] as const) {
    await search.fill(query)
    await expect.poll(async () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-session-id')))).toEqual(expected)
  }
  await snap(page, testInfo, '3-history-prefix')
})
