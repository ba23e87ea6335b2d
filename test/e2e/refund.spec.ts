import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import type { Channel, InputOf, OutputOf } from '../../src-preload/contract'
import { engineSession, expect, snap, test } from './fixtures'
import { decodeQr } from './support/qr'
import type { Shop } from './support/shop'
import { parsePaymentUri, payFromWallet, SHOP_ADDRESS, transferToken } from './support/shop'
import { enterOwnerPin, openOwnerScreen } from './support/owner'

/** Asks the engine through the page's own bridge and cookie (the same way the screens ask). */
async function invoke<C extends Channel>(page: Page, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const response = await page.request.post(`/bridge/invoke/${channel}`, { data: input ?? null })
  const result = (await response.json()) as { ok: true; value: OutputOf<C> } | { ok: false; error: { message: string } }
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.value
}

async function rpc(shop: Shop, method: string, params: unknown[]): Promise<void> {
  const response = await fetch(shop.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as { error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
}

/**
 * The owner's wallet app, played by anvil: the app holds no key, so the
 * shop's own address sends the refund (impersonated, with a little gas money).
 */
async function payFromShopWallet(shop: Shop, uri: string): Promise<string> {
  const request = parsePaymentUri(uri)
  expect(request.chainId).toBe(shop.devnet.chainId)
  await rpc(shop, 'anvil_setBalance', [SHOP_ADDRESS, '0xDE0B6B3A7640000'])
  await rpc(shop, 'anvil_impersonateAccount', [SHOP_ADDRESS])
  try {
    return await transferToken(shop, { token: request.token, to: request.to, amount: request.amount, from: SHOP_ADDRESS })
  } finally {
    await rpc(shop, 'anvil_stopImpersonatingAccount', [SHOP_ADDRESS])
  }
}

test('the owner refunds the overpaid part of a sale from its drawer, paid from the shop wallet and confirmed on the chain', async ({
  cashier: page,
  shop,
  browser,
}, testInfo) => {
  // A sale of 12.50 USDC paid with 3 USDC too much.
  const sale = await invoke(page, 'sessions:create', { amount: '12.50', order_id: 'refund-me-001', chain_id: 31337, token: 'USDC' })
  const asked = BigInt(sale.payment_options[0]!.amount_base_units)
  await payFromWallet(shop, sale.payment_options[0]!.payment_uri, asked + 3_000_000n)
  await expect.poll(async () => (await engineSession(page, sale.id)).status, { timeout: 20_000 }).toBe('COMPLETED')
  const paid = await engineSession(page, sale.id)
  expect(paid.exceptions).toContain('overpaid')
  const customer = paid.transactions[0]!.from

  // History → the sale's drawer → Refund (an owner screen: the PIN first, #13).
  await openOwnerScreen(page, `/history?session=${sale.id}`, 'session-drawer')
  const drawer = page.getByTestId('session-drawer')
  await expect(drawer.locator(`[data-session-id="${sale.id}"]`)).toBeVisible()
  await drawer.getByTestId('refund-open-form').click()
  const form = drawer.getByTestId('refund-form')

  // Prefilled with the overpaid part and the address the payment came from, with the warning about exchanges.
  const amountInput = form.getByTestId('refund-amount-input')
  await expect(amountInput).toHaveValue(/^3(\.0*)?$/)
  await expect(form.getByTestId('refund-destination-input')).toHaveValue(customer)
  await expect(form.getByTestId('refund-destination-warning')).toContainText('Exchanges and custodial wallets')
  await expect(form.getByTestId('refund-destination-feedback')).toContainText('Valid address')

  // Checked as typed, in words: too much, then too precise, then a mistyped address; the button waits.
  await amountInput.fill('40')
  await expect(form.getByTestId('refund-amount-feedback')).toContainText('more than is left to refund')
  await expect(form.getByTestId('refund-create')).toBeDisabled()
  await amountInput.fill('1.0000001')
  await expect(form.getByTestId('refund-amount-feedback')).toContainText('at most 6 after the point')
  await amountInput.fill('3')
  await form.getByTestId('refund-destination-input').fill(customer.slice(0, 20))
  await expect(form.getByTestId('refund-destination-feedback')).toContainText('Not a valid address')
  await form.getByTestId('refund-destination-input').fill(customer)
  await expect(form.getByTestId('refund-destination-feedback')).toContainText('Valid address')
  await form.getByTestId('refund-reason').selectOption('requested_by_customer')
  await snap(page, testInfo, '1-refund-form')
  await form.getByTestId('refund-create').click()

  // The refund's QR for the owner's wallet app: it decodes to the refund's EIP-681 URI.
  const panel = drawer.getByTestId('refund-panel')
  await expect(panel).toHaveAttribute('data-status', 'pending')
  const refundId = await panel.getAttribute('data-refund-id')
  const refund = await invoke(page, 'refunds:get', { id: refundId! })
  expect(refund).toMatchObject({ session_id: sale.id, amount_base_units: '3000000', destination: customer, status: 'pending' })
  await panel.getByTestId('refund-qr').scrollIntoViewIfNeeded()
  await snap(page, testInfo, '2-refund-qr')
  const uri = decodeQr(await panel.getByTestId('refund-qr').screenshot())
  expect(uri).toBe(refund.payment_uri)
  expect(uri).toBe(`ethereum:${shop.usdc}@31337/transfer?address=${customer}&uint256=3000000`)
  await expect(panel.getByTestId('refund-amount')).toHaveText(refund.amount)
  await expect(panel.getByTestId('refund-destination')).toHaveText(customer)

  // The owner's wallet sends what the QR says; the app sees it on the chain.
  const txHash = await payFromShopWallet(shop, uri!)
  await expect(panel.getByTestId('refund-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 })
  await expect(panel.getByTestId('refund-status')).toContainText('Refunded')
  await expect(panel.getByTestId('refund-tx')).toHaveAttribute('data-tx-hash', txHash)
  await expect(panel.getByTestId('refund-tx')).toContainText(txHash)
  // Its receipt (#16): the public page, on the customer's phone (no sign-in), says what went back and how.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const receiptPage = await phone.newPage()
  expect((await receiptPage.goto(`${shop.url}/receipt/${refund.id}`))?.status()).toBe(200)
  const receipt = receiptPage.locator('.receipt')
  for (const fact of ['REFUND', '3.00 USDC', refund.id, 'Local devnet', txHash.slice(0, 6)]) await expect(receipt).toContainText(fact)
  await snap(receiptPage, testInfo, 'refund-receipt-phone')
  await phone.close()
  await expect(drawer.getByTestId('detail-refund')).toHaveCount(1)
  await expect(drawer.getByTestId('detail-refund').first()).toHaveAttribute('data-status', 'succeeded')
  await expect(drawer.getByTestId('detail-amount-refunded')).toContainText('3')
  await snap(page, testInfo, '3-refunded')

  // The Refunds tab lists it; a click opens it again in its sale's drawer.
  await drawer.getByTestId('drawer-close').click()
  // The totals: the token shows gross, refunded and net (the excess went back; the price itself is untouched).
  await expect(page.getByTestId('total-USDC-31337-refunded')).toContainText('3.00 USDC refunded')
  await expect(page.getByTestId('total-USDC-31337-net')).toContainText('12.50 USDC net')
  await expect(page.getByTestId('total-USD')).toHaveText('$12.50')
  await page.getByTestId('tab-refunds').click()
  const row = page.locator(`[data-testid="refund-row"][data-refund-id="${refund.id}"]`)
  await expect(row).toHaveAttribute('data-status', 'succeeded')
  await page.getByTestId('refunds-filter-status').selectOption('pending')
  await expect(page.getByTestId('refunds-empty')).toBeVisible()
  await page.getByTestId('refunds-filter-status').selectOption('')
  await expect(row).toBeVisible()
  await snap(page, testInfo, '4-refunds-tab')
  // Its CSV: the Export link downloads this filter's refunds, one row each.
  const href = await page.getByTestId('refunds-export-csv').getAttribute('href')
  expect(href).toBe('export/refunds.csv')
  // The click fetches a one-time download ticket (a link cannot carry the device's header, #13), then downloads.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('refunds-export-csv').click()])
  const csv = readFileSync((await download.path())!, 'utf8')
  expect(csv).toContain(refund.id)
  expect(csv).toContain(txHash)

  // In Chinese this time (the drawer covers the switch, so switch first).
  await page.getByTestId('language-switch').click()
  await expect(row).toContainText('已退款')
  await row.click()
  const reopened = page.getByTestId('session-drawer').getByTestId('refund-panel')
  await expect(reopened).toHaveAttribute('data-refund-id', refund.id)
  await expect(reopened.getByTestId('refund-status')).toContainText('已退款')
  await snap(page, testInfo, '5-refunded-zh')
})

test('the cashier’s "refund the difference from History" leads to that sale’s refund form', async ({ cashier: page, shop }, testInfo) => {
  await page.keyboard.type('10')
  await page.keyboard.press('Enter')
  const session = await engineSession(page, (await page.locator('[data-session-id]').first().getAttribute('data-session-id'))!)
  await payFromWallet(shop, session.payment_options[0]!.payment_uri, 12_000_000n)
  await expect(page.getByTestId('paid-note')).toContainText('Refund the difference from History')
  await page.getByTestId('keep-open').click()
  await page.getByTestId('refund-in-history').click()
  await enterOwnerPin(page)

  // History, on this sale, with the refund form open and the overpaid 2 USDC prefilled.
  const drawer = page.getByTestId('session-drawer')
  await expect(drawer.locator(`[data-session-id="${session.id}"]`)).toBeVisible()
  await expect(drawer.getByTestId('refund-form')).toBeVisible()
  await expect(drawer.getByTestId('refund-amount-input')).toHaveValue(/^2(\.0*)?$/)
  await expect(drawer.getByTestId('refund-amount-feedback')).toContainText('overpaid part')
  await snap(page, testInfo, 'refund-from-cashier')
})
