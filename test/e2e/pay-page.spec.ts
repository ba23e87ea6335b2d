/**
 * The payment page (#12) in real Chromium on a phone's screen (390×844), no
 * login: a pay-by-link sale made over the REST API with a success_url (a real
 * page served by this test on 127.0.0.1), its QR read from a screenshot as a
 * wallet would, paid on anvil with what the QR says, and the page taking the
 * customer to success_url once the till sees the payment.
 */
import type { Browser, Page } from '@playwright/test'
import type { PaymentSession } from '../../src-preload/contract'
import { startHttpReceiver } from '../support/httpReceiver'
import { currentSession, expect, snap, test } from './fixtures'
import { decodeQr } from './support/qr'
import { payFromWallet } from './support/shop'

const API_KEY = 'sk_test_e2e_0123456789abcdef0123456789abcdef'

async function createSale(origin: string, body: Record<string, unknown>): Promise<PaymentSession> {
  const response = await fetch(`${origin}/v1/payment/sessions/create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ merchant_id: 'shop', currency: 'USD', ...body }),
  })
  expect(response.status).toBe(201)
  return (await response.json()) as PaymentSession
}

/** A customer's phone: a fresh context (no cookie, no token), 390×844, in `locale`. */
async function phone(browser: Browser, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, locale })
  return context.newPage()
}

test('a pay-by-link sale: the phone page shows the QR, the sale is paid on anvil, and the page goes to success_url', async ({
  shop,
  browser,
}, testInfo) => {
  const shopSite = await startHttpReceiver()
  try {
    shopSite.respondWith(
      200,
      { 'content-type': 'text/html; charset=utf-8' },
      '<!doctype html><title>Shop</title><h1>Thank you for your order</h1>',
    )
    const successUrl = `${shopSite.url}/thanks?order=chat-42`
    const sale = await createSale(shop.url, { order_id: 'chat-42', amount: '12.50', success_url: successUrl })
    expect(sale.payment_url).toBe(`${shop.url}/pay/${sale.id}`)

    const page = await phone(browser)
    const response = await page.goto(sale.payment_url!)
    expect(response?.status()).toBe(200)
    await expect(page.getByTestId('pay-status')).toHaveText('Waiting for your payment')
    await expect(page.getByTestId('pay-countdown')).toHaveText(/^Expires in 1[45]:\d\d$/)
    // The shop takes USDC and USDT here: the first is shown, the other one tap away.
    await expect(page.getByTestId('choose-option')).toHaveCount(sale.payment_options.length)
    const shown = page.locator('.option:not([hidden])')
    await expect(shown).toHaveCount(1)
    const first = sale.payment_options[0]!
    await expect(shown.getByTestId('pay-token-amount')).toHaveText(`${first.amount} ${first.token}`)
    await expect(shown.getByTestId('pay-address')).toHaveText(first.address)
    await expect(shown.getByTestId('open-wallet')).toHaveAttribute('href', first.payment_uri)
    await snap(page, testInfo, 'pay-page-phone')

    // The QR as a wallet's camera reads it.
    const qr = await shown.locator('svg.qr').screenshot()
    expect(decodeQr(qr)).toBe(first.payment_uri)

    // The other option: its own QR, amount and link.
    const second = sale.payment_options[1]
    if (second) {
      await page.getByTestId('choose-option').nth(1).check()
      await expect(shown.getByTestId('pay-token-amount')).toHaveText(`${second.amount} ${second.token}`)
      expect(decodeQr(await shown.locator('svg.qr').screenshot())).toBe(second.payment_uri)
      await page.getByTestId('choose-option').nth(0).check()
    }

    // The customer pays what the QR says; the page notices by itself and takes them back to the shop.
    await payFromWallet(shop, decodeQr(qr)!)
    await expect(page).toHaveURL(successUrl, { timeout: 20_000 })
    await expect(page.getByRole('heading')).toHaveText('Thank you for your order')
    expect(shopSite.requests.some((r) => r.method === 'GET' && r.url === '/thanks?order=chat-42')).toBe(true)
    await snap(page, testInfo, 'pay-page-success-url')

    // Opened again later (here without its script, which would move on at once), it says paid, in Chinese for a
    // Chinese phone, and offers the way back instead of a QR.
    const later = await (
      await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', javaScriptEnabled: false })
    ).newPage()
    await later.goto(sale.payment_url!)
    await expect(later.getByTestId('pay-status')).toContainText('已付款，谢谢！')
    await expect(later.getByTestId('pay-continue')).toHaveAttribute('href', successUrl)
    await expect(later.locator('svg.qr')).toHaveCount(0)
  } finally {
    await shopSite.stop()
  }
})

test('the cashier charges a sale and copies its payment link for a customer on the phone', async ({ cashier, browser }) => {
  await cashier.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await cashier.keyboard.type('8.40')
  await cashier.keyboard.press('Enter')
  const session = await currentSession(cashier)
  await expect(cashier.getByTestId('pay-link-url')).toHaveText(session.payment_url!)
  await cashier.getByTestId('copy-pay-link').click()
  await expect(cashier.getByTestId('copy-pay-link')).toHaveText('✓ Link copied')
  expect(await cashier.evaluate<string>('navigator.clipboard.readText()')).toBe(session.payment_url)
  const page = await phone(browser)
  await page.goto(session.payment_url!)
  await expect(page.getByTestId('pay-price')).toHaveText('Price 8.40 USD')
  expect(decodeQr(await page.locator('.option:not([hidden]) svg.qr').screenshot())).toBe(session.payment_options[0]!.payment_uri)
})

test('a sale cancelled at the till: the phone page says so and offers cancel_url; an unknown link is a 404 page', async ({
  shop,
  browser,
}, testInfo) => {
  const sale = await createSale(shop.url, { order_id: 'chat-43', amount: '3.00', cancel_url: 'http://127.0.0.1:9/cart' })
  const page = await phone(browser, 'zh-CN')
  await page.goto(sale.payment_url!)
  await expect(page.getByTestId('pay-status')).toHaveText('等待付款')
  const cancelled = await fetch(`${shop.url}/v1/payment/sessions/${sale.id}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}` },
  })
  expect(cancelled.status).toBe(200)
  // The page polls and redraws itself.
  await expect(page.getByTestId('pay-status')).toContainText('此付款已取消。', { timeout: 10_000 })
  await expect(page.getByTestId('pay-back')).toHaveAttribute('href', 'http://127.0.0.1:9/cart')
  await snap(page, testInfo, 'pay-page-cancelled-zh')

  const unknown = await page.goto(`${shop.url}/pay/ps_${'x'.repeat(24)}`)
  expect(unknown?.status()).toBe(404)
  await expect(page.getByTestId('pay-not-found')).toContainText('找不到此付款')
})
