/**
 * Receipts (#16) in real Chromium against serve mode on anvil: a paid sale's
 * receipt printed from the paid screen and the History drawer (the browser's
 * print of the receipt page), the receipt QR on the customer display opening
 * the public page on a phone without login, each paper's layout screenshotted
 * and printed to a PDF that is exactly one page on a 58 mm and an 80 mm roll.
 */
import type { Browser, Page, TestInfo } from '@playwright/test'
import type { PaymentSession } from '../../src-preload/contract'
import { currentSession, expect, snap, test } from './fixtures'
import { openOwnerScreen, OWNER_PIN } from './support/owner'
import { decodeQr } from './support/qr'

const ADDRESS = '12 Market Street\nSpringfield'
const EXPLORER = 'https://explorer.example'

/** Every frame of the page (the hidden receipt frame too) counts its print() calls on the top window instead of opening a dialog. */
async function spyOnPrint(page: Page): Promise<void> {
  // A string, not a function: this file is compiled without the DOM's types.
  await page.addInitScript({
    content: `window.print = () => { const top = window.top; top.__prints = [...(top.__prints || []), window.location.href] }`,
  })
}
const prints = (page: Page) => page.evaluate<string[]>('window.__prints || []')

async function bridge<T>(page: Page, channel: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/bridge/invoke/${channel}`, { data: input })
  const result = (await response.json()) as { ok: true; value: T } | { ok: false; error: { message: string } }
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.value
}

/** This device takes the owner role (#13): the shop's settings are the owner's. */
const asOwner = (page: Page) => bridge(page, 'owner:unlock', { pin: OWNER_PIN })

/** The shop's address and a block explorer for the local chain (so the receipt carries the transaction's QR). */
async function prepareShop(page: Page): Promise<void> {
  await asOwner(page)
  await bridge(page, 'merchant:update', { address: ADDRESS })
  await bridge(page, 'chains:update', { chain_id: 31337, explorer_url: EXPLORER })
}

/** A sale charged at the keypad and paid by "simulate customer payment" (a real transfer on anvil). */
async function paidSale(page: Page, amount: string): Promise<PaymentSession> {
  await page.keyboard.type(amount)
  await page.keyboard.press('Enter')
  await page.getByTestId('simulate-exact').click()
  await expect(page.getByTestId('paid')).toBeVisible()
  const session = await currentSession(page)
  expect(session.status).toBe('COMPLETED')
  return session
}

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length

/** The receipt page, as a customer's phone opens it: a fresh browser context (no cookie, no token), 390×844. */
async function onPhone(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true })
  const phone = await context.newPage()
  const response = await phone.goto(url)
  expect(response?.status()).toBe(200)
  return phone
}

/** Each paper: screenshot kept, and the PDF Chromium prints at the roll's width is one page. */
async function layouts(browser: Browser, url: string, testInfo: TestInfo, name: string): Promise<Record<string, string>> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1200 } })
  const page = await context.newPage()
  const texts: Record<string, string> = {}
  for (const layout of ['58mm', '80mm', 'a4'] as const) {
    await page.goto(`${url}?layout=${layout}`)
    await expect(page.locator(`.receipt[data-layout="${layout}"]`)).toBeVisible()
    texts[layout] = await page.locator('.receipt').innerText()
    await snap(page, testInfo, `${name}-${layout}`)
    const file = testInfo.outputPath(`${name}-${layout}.pdf`)
    const pdf =
      layout === 'a4'
        ? await page.pdf({ path: file, format: 'A4', preferCSSPageSize: true })
        : await page.pdf({ path: file, width: layout, margin: { top: '0', bottom: '0', left: '0', right: '0' } })
    await testInfo.attach(`${name}-${layout}.pdf`, { path: file, contentType: 'application/pdf' })
    expect(pageCount(pdf), `${layout} PDF pages`).toBe(1)
    if (layout !== 'a4') {
      // The page's own @page size (the roll's width and the receipt's length) is one page too.
      expect(pageCount(await page.pdf({ preferCSSPageSize: true })), `${layout} @page size`).toBe(1)
    }
  }
  await context.close()
  return texts
}

test('a USD sale: printed from the paid screen and the History drawer, its QR opens the receipt on a phone', async ({
  cashier: page,
  shop,
  browser,
}, testInfo) => {
  // A whole sale, three papers printed to PDF, a phone and the History screen.
  test.setTimeout(120_000)
  await spyOnPrint(page)
  await prepareShop(page)
  await page.reload()
  await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
  const display = await page.context().newPage()
  await display.goto('/#/customer')
  await expect(display.getByTestId('customer-idle')).toBeVisible()

  const session = await paidSale(page, '25.50')
  const url = `${shop.url}/receipt/${session.id}`
  expect(session.receipt_url).toBe(url)
  const tx = session.transactions[0]!.tx_hash

  // The paid screen's Print: the browser prints the receipt page laid out for the shop's paper (80 mm by default).
  await page.getByTestId('keep-open').click()
  await page.getByTestId('print-receipt').click()
  await expect(page.locator('#receipt-print-frame')).toHaveAttribute('src', `/receipt/${session.id}?layout=80mm`)
  await expect.poll(() => prints(page)).toEqual([`${url}?layout=80mm`])
  await snap(page, testInfo, 'paid-with-print')

  // The customer display: a receipt QR that a phone reads as the receipt page's address.
  await expect(display.getByTestId('receipt-qr')).toBeVisible()
  const screen = await snap(display, testInfo, 'customer-receipt-qr')
  expect(decodeQr(screen)).toBe(url)
  expect(decodeQr(screen, 0.5)).toBe(url)

  // The phone: no login, every fact of the receipt.
  const phone = await onPhone(browser, decodeQr(screen)!)
  const receipt = phone.locator('.receipt')
  for (const fact of [
    'Corner Café',
    '12 Market Street',
    'Springfield',
    '25.50 USD',
    `${session.payment_options[0]!.amount} USDC`,
    'Local devnet',
    `${tx.slice(0, 10)}...${tx.slice(-8)}`,
    session.id,
  ])
    await expect(receipt).toContainText(fact)
  await expect(receipt).not.toContainText('Rate')
  await expect(phone.locator('.tx a')).toHaveAttribute('href', `${EXPLORER}/tx/${tx}`)
  // Fits the phone: nothing wider than the screen.
  expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
  await snap(phone, testInfo, 'phone')

  const texts = await layouts(browser, url, testInfo, 'usd')
  expect(texts['58mm']).toContain('25.50 USD')
  expect(texts['80mm']).toContain('Scan to see the payment')
  expect(texts.a4).toContain('Springfield')
  // The thermal QR is the transaction on the explorer.
  const roll = await browser.newPage({ viewport: { width: 400, height: 1400 } })
  await roll.goto(`${url}?layout=80mm`)
  expect(decodeQr(await roll.locator('.qr-block svg').screenshot())).toBe(`${EXPLORER}/tx/${tx}`)
  await roll.close()

  // The History drawer prints it again.
  await page.getByTestId('new-sale').click()
  await page.goto('/#/history')
  await page.locator(`[data-testid="history-row"][data-session-id="${session.id}"]`).click()
  const drawer = page.getByTestId('session-drawer')
  await drawer.getByTestId('print-receipt').click()
  // The same page (the hash router): the paid screen's print and this one.
  await expect.poll(() => prints(page)).toEqual([`${url}?layout=80mm`, `${url}?layout=80mm`])
  await snap(page, testInfo, 'drawer-with-print')

  // A sale not paid has no receipt page.
  const open = await bridge<PaymentSession>(page, 'sessions:create', { amount: '4.00' })
  expect(open.receipt_url).toBeNull()
  const anonymous = await browser.newPage()
  expect((await anonymous.goto(`${shop.url}/receipt/${open.id}`))?.status()).toBe(404)
  await anonymous.close()
})

test.describe('a JPY shop in Chinese', () => {
  test.use({ shopOptions: { currency: 'JPY', language: 'zh-CN' } })

  test('the receipt states the rate and the USD value, in Chinese', async ({ cashier: page, browser }, testInfo) => {
    await asOwner(page)
    await bridge(page, 'rates:set-manual', { currency: 'JPY', rate: '0.0067' })
    // 1,500 yen is above the default large-amount threshold (1,000 in the shop's currency): no confirm step here.
    await bridge(page, 'settings:update', { confirm_amount_above: '0' })
    await page.reload()
    await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
    const session = await paidSale(page, '1500')
    expect(session.exchange_rate).toBe('0.0067')
    const phone = await onPhone(browser, session.receipt_url!)
    const receipt = phone.locator('.receipt')
    for (const fact of ['收据', '金额', '1,500 JPY', '汇率', '1 JPY = 0.0067 USD', '折合美元', `${session.amount_usd} USD`, '销售单号'])
      await expect(receipt).toContainText(fact)
    await snap(phone, testInfo, 'phone-zh')
    const texts = await layouts(browser, session.receipt_url!, testInfo, 'jpy')
    expect(texts['58mm']).toContain('1 JPY = 0.0067 USD')
    expect(texts['80mm']).toContain('谢谢惠顾')
  })
})

test('an 18-decimal token: every digit on every paper; "print automatically" prints with no click', async ({
  cashier: page,
  browser,
}, testInfo) => {
  await spyOnPrint(page)
  await asOwner(page)
  // confirm_amount_above "0": 1,234.56 would otherwise ask the cashier to confirm the large amount first.
  await bridge(page, 'settings:update', { receipt_auto_print: true, receipt_layout: '58mm', confirm_amount_above: '0' })
  await page.reload()
  await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
  await page.getByTestId('choice-31337:USDT').click()
  const session = await paidSale(page, '1234.56')
  const option = session.payment_options[0]!
  expect(option.decimals).toBe(18)
  await expect.poll(() => prints(page)).toEqual([`${session.receipt_url}?layout=58mm`])

  const [whole, fraction] = option.amount.split('.')
  const exact = `${Number(whole).toLocaleString('en-US')}.${fraction} USDT`
  const phone = await onPhone(browser, session.receipt_url!)
  await expect(phone.locator('.receipt')).toContainText(exact)
  const texts = await layouts(browser, session.receipt_url!, testInfo, 'usdt18')
  // On a roll a long amount takes its own line (or two): all its digits are there.
  const squeeze = (s: string) => s.replace(/\s+/g, '')
  for (const layout of ['58mm', '80mm', 'a4']) expect(squeeze(texts[layout]!)).toContain(squeeze(exact))
})

test('Settings → Receipts: the address, the paper and printing after each sale are kept', async ({ cashier: page }, testInfo) => {
  await openOwnerScreen(page, '/settings', 'settings')
  const section = page.getByTestId('receipts-settings')
  await section.scrollIntoViewIfNeeded()
  await section.getByTestId('receipt-address').fill('8 Harbour Lane\nKowloon')
  await section.getByTestId('receipt-address-save').click()
  await expect(section).toContainText('Saved')
  // Saved, then shown as the engine answers.
  await section.getByTestId('receipt-layout-58mm').click()
  await expect(section.getByTestId('receipt-layout-58mm')).toBeChecked()
  await section.getByTestId('receipt-auto-print').click()
  await expect(section.getByTestId('receipt-auto-print')).toBeChecked()
  // The browser chooses its printer itself: no printer list here.
  await expect(section.getByTestId('receipt-printer')).toHaveCount(0)
  await expect.poll(async () => (await bridge<{ receipt_auto_print: boolean }>(page, 'settings:get', null)).receipt_auto_print).toBe(true)
  expect(await bridge(page, 'settings:get', null)).toMatchObject({
    receipt_layout: '58mm',
    receipt_auto_print: true,
    receipt_printer: null,
  })
  expect(await bridge(page, 'merchant:get', null)).toMatchObject({ address: '8 Harbour Lane\nKowloon' })
  await page.reload()
  await openOwnerScreen(page, '/settings', 'settings')
  await expect(page.getByTestId('receipt-address')).toHaveValue('8 Harbour Lane\nKowloon')
  await expect(page.getByTestId('receipt-layout-58mm')).toBeChecked()
  await page.getByTestId('receipts-settings').scrollIntoViewIfNeeded()
  await snap(page, testInfo, 'settings-receipts')
})
