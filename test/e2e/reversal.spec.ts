import { currentSession, engineSession, expect, snap, test } from './fixtures'
import { enterOwnerPin } from './support/owner'
import { payFromWallet } from './support/shop'

/** Replaces the newest block with an empty one: the 1-confirmation payment in it is gone from the chain. */
async function reorgLastBlock(rpcUrl: string): Promise<void> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_reorg', params: [1, []] }),
  })
  const body = (await response.json()) as { error?: { message: string } }
  if (body.error) throw new Error(`anvil_reorg: ${body.error.message}`)
}

test('a paid sale whose payment a reorg took back: the alert shows on the cashier screen and in History, and goes once acknowledged', async ({
  cashier: page,
  shop,
}, testInfo) => {
  await page.keyboard.type('6.00')
  await page.keyboard.press('Enter')
  const session = await currentSession(page)
  await payFromWallet(shop, session.payment_options[0]!.payment_uri)
  await expect(page.getByTestId('paid')).toContainText('Paid')
  await expect(page.getByTestId('reversal-banner')).toBeHidden()
  // The cashier keeps the paid screen up (it would otherwise go back to a new sale by itself).
  await page.getByTestId('keep-open').click()

  await reorgLastBlock(shop.rpcUrl)
  const banner = page.getByTestId('reversal-banner')
  // No sale is open, so the watcher is at its idle pace (one look every 15 s): the alert comes with that look.
  await expect(banner).toContainText('1 paid sale lost its payment', { timeout: 30_000 })
  expect((await engineSession(page, session.id)).exceptions).toEqual(['reversed'])
  await expect(page.getByTestId('paid-note')).toContainText('this payment is no longer on the chain')
  await expect(banner).toContainText(`Sale ${session.order_id} (6.00 USD) was paid`)
  await snap(page, testInfo, 'cashier-alert')
  await page.getByTestId('language-switch').click()
  await expect(banner).toContainText('1 笔已付款的收款被撤回了付款')
  await expect(banner).toContainText(`订单 ${session.order_id}（6.00 USD）曾已付款`)
  await snap(page, testInfo, 'cashier-alert-zh')
  await page.getByTestId('language-switch').click()

  // The link opens the sale in History; the alert stays on that screen too.
  await banner.getByTestId('reversal-open').click()
  // History is an owner screen: the PIN first (#13).
  await enterOwnerPin(page)
  await expect(page.getByTestId('history')).toBeVisible()
  await expect(page.getByRole('dialog')).toContainText(`Sale ${session.order_number}`)
  await expect(page.getByRole('dialog')).toContainText(session.order_id)
  await expect(page.getByRole('dialog')).toContainText('Payment reversed')
  await expect(page.getByTestId('detail-timeline')).toContainText('payment reversed by a chain reorganisation')
  await expect(banner).toBeVisible()

  await snap(page, testInfo, 'history-alert')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toBeHidden()

  await banner.getByTestId('reversal-acknowledge').click()
  await expect(banner).toBeHidden()
  const timeline = (await (await page.request.post('/bridge/invoke/sessions:timeline', { data: { id: session.id } })).json()) as {
    value: Array<{ reason: string }>
  }
  expect(timeline.value.map((e) => e.reason)).toContain('reversal acknowledged by the owner')
  // Acknowledged in the engine, not just hidden on this page: a fresh page load asks, and shows nothing.
  await page.goto('/#/')
  const asked = page.waitForResponse((r) => r.url().includes('sessions:reversals'))
  await page.reload()
  expect(await (await asked).json()).toEqual({ ok: true, value: [] })
  await expect(page.getByTestId('cashier')).toBeVisible()
  await expect(page.getByTestId('reversal-banner')).toBeHidden()
})
