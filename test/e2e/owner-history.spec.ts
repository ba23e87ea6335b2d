import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import type { Channel, InputOf, OutputOf, PaymentSession } from '../../src-preload/contract'
import { engineSession, expect, snap, test } from './fixtures'
import { openOwnerScreen } from './support/owner'
import { payFromWallet, SHOP_ADDRESS, transferToken } from './support/shop'

/** Asks the engine through the page's own bridge and cookie (the same way the screens ask). */
async function invoke<C extends Channel>(page: Page, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const response = await page.request.post(`/bridge/invoke/${channel}`, { data: input ?? null })
  const result = (await response.json()) as { ok: true; value: OutputOf<C> } | { ok: false; error: { message: string } }
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.value
}

const CHINESE_ORDER = '桌号 8 · 拿铁两杯'

interface Sales {
  paid: PaymentSession
  chinese: PaymentSession
  cancelled: PaymentSession
  open: PaymentSession
  txHash: string
  payer: string
}

/** Four sales made through the engine: one paid by a real transfer on the devnet, one Chinese, one cancelled, one open. */
async function makeSales(page: Page, shop: Parameters<typeof payFromWallet>[0]): Promise<Sales> {
  const paid = await invoke(page, 'sessions:create', { amount: '12.50', order_id: 'coffee-paid-001', chain_id: 31337, token: 'USDC' })
  const chinese = await invoke(page, 'sessions:create', { amount: '38.00', order_id: CHINESE_ORDER })
  const cancelled = await invoke(page, 'sessions:create', { amount: '5.00', order_id: 'walk-in-cancelled' })
  await invoke(page, 'sessions:cancel', { id: cancelled.id })
  const open = await invoke(page, 'sessions:create', { amount: '7.25', order_id: 'table-3-open', chain_id: 31337, token: 'USDT' })
  const txHash = await payFromWallet(shop, paid.payment_options[0]!.payment_uri)
  await expect.poll(async () => (await engineSession(page, paid.id)).status, { timeout: 20_000 }).toBe('COMPLETED')
  const settled = await engineSession(page, paid.id)
  return { paid: settled, chinese, cancelled, open, txHash, payer: settled.transactions[0]!.from }
}

async function openHistory(page: Page): Promise<void> {
  // An owner screen: the PIN first (#13).
  await openOwnerScreen(page, '/history', 'history')
  await expect(page.getByTestId('history-row').first()).toBeVisible()
}

const rowFor = (page: Page, id: string) => page.locator(`[data-testid="history-row"][data-session-id="${id}"]`)

test('History: search by order, session, tx hash, payer and amount; filters by status, token and date; totals follow', async ({
  cashier: page,
  shop,
}, testInfo) => {
  const sales = await makeSales(page, shop)
  await openHistory(page)
  await expect(page.getByTestId('history-row')).toHaveCount(4)
  await expect(rowFor(page, sales.chinese.id)).toContainText(CHINESE_ORDER)
  await expect(rowFor(page, sales.paid.id)).toContainText('Paid')
  await expect(rowFor(page, sales.paid.id)).toContainText('12.50')
  await expect(rowFor(page, sales.cancelled.id)).toContainText('Cancelled')
  // Totals: the one paid sale, in its price currency and in the token that arrived.
  const totals = page.getByTestId('totals-bar')
  await expect(totals.getByTestId('totals-count')).toHaveText('1 paid sale')
  await expect(totals.getByTestId('total-USD')).toHaveText('$12.50')
  await expect(totals.getByTestId('total-USDC-31337')).toContainText(`${sales.paid.payment_options[0]!.amount.replace(/0+$/, '')}`)
  await snap(page, testInfo, '1-history')

  const search = page.getByTestId('history-search')
  for (const [query, expected] of [
    [CHINESE_ORDER, sales.chinese.id],
    [sales.cancelled.id, sales.cancelled.id],
    [sales.txHash, sales.paid.id],
    [sales.payer.toUpperCase().replace('0X', '0x'), sales.paid.id],
    // The price as the cashier typed it (#15), also with a decimal comma.
    ['12.50', sales.paid.id],
    ['7,25', sales.open.id],
  ] as const) {
    await search.fill(query)
    await expect(page.getByTestId('history-row')).toHaveCount(1)
    await expect(page.getByTestId('history-row').first()).toHaveAttribute('data-session-id', expected)
  }
  await snap(page, testInfo, '2-search-tx-hash')
  await search.fill('no-such-order')
  await expect(page.getByTestId('history-empty')).toBeVisible()
  await expect(totals.getByTestId('totals-none')).toBeVisible()
  await search.fill('')
  await expect(page.getByTestId('history-row')).toHaveCount(4)

  await page.getByTestId('filter-status').selectOption('COMPLETED')
  await expect(page.getByTestId('history-row')).toHaveCount(1)
  await expect(page.getByTestId('history-row').first()).toHaveAttribute('data-session-id', sales.paid.id)
  await page.getByTestId('filter-status').selectOption('CANCELLED')
  await expect(page.getByTestId('history-row')).toHaveCount(1)
  await expect(totals.getByTestId('totals-none')).toBeVisible()
  await page.getByTestId('filter-status').selectOption('')

  // USDT: the open sale asked for it, and the unpaid ones offered it; the sale paid in USDC did not.
  await page.getByTestId('filter-token').selectOption('USDT')
  await expect(page.getByTestId('history-row')).toHaveCount(3)
  await expect(rowFor(page, sales.paid.id)).toHaveCount(0)
  await page.getByTestId('filter-token').selectOption('')
  await page.getByTestId('filter-network').selectOption('31337')
  await expect(page.getByTestId('history-row')).toHaveCount(4)

  // Days are the shop's days: everything is from today, nothing from yesterday.
  await page.getByTestId('filter-date').selectOption('yesterday')
  await expect(page.getByTestId('history-empty')).toBeVisible()
  await page.getByTestId('filter-date').selectOption('today')
  await expect(page.getByTestId('history-row')).toHaveCount(4)
  await snap(page, testInfo, '3-filters-today')
  await page.getByTestId('filter-clear').click()
  await expect(page.getByTestId('history-row')).toHaveCount(4)

  // The drawer: timeline, the payment with its hash, webhooks.
  await rowFor(page, sales.paid.id).click()
  const drawer = page.getByTestId('session-drawer')
  await expect(drawer).toContainText('coffee-paid-001')
  await expect(drawer.getByTestId('detail-timeline')).toContainText('Payment detected')
  await expect(drawer.getByTestId('detail-timeline')).toContainText('Paid')
  await expect(drawer.getByTestId('detail-payments')).toContainText(sales.txHash)
  await expect(drawer.getByTestId('detail-payments')).toContainText('Confirmed')
  await snap(page, testInfo, '4-drawer')
  await page.keyboard.press('Escape')
  await expect(drawer).toHaveCount(0)
})

test('History: the CSV export downloads the filtered set, UTF-8 with BOM, Chinese intact', async ({ cashier: page, shop }, testInfo) => {
  const sales = await makeSales(page, shop)
  await openHistory(page)

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
  expect(download.suggestedFilename()).toMatch(/^stablepay-sessions-\d{4}-\d{2}-\d{2}\.csv$/)
  const bytes = readFileSync((await download.path())!)
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  const lines = bytes.subarray(3).toString('utf8').split('\r\n')
  expect(lines[0]).toBe('created,session id,order id,status,amount,currency,token,network,paid amount,refunded,tx hash,payer,exceptions,in totals,tip')
  expect(lines.filter((l) => l !== '')).toHaveLength(5)
  const chineseLine = lines.find((l) => l.includes(sales.chinese.id))!
  expect(chineseLine).toContain(`,${CHINESE_ORDER},PENDING,38.00,USD,`)
  const paidLine = lines.find((l) => l.includes(sales.paid.id))!
  expect(paidLine).toContain(`,coffee-paid-001,COMPLETED,12.50,USD,USDC,Local devnet,`)
  expect(paidLine).toContain(sales.txHash)
  expect(paidLine.toLowerCase()).toContain(sales.payer.toLowerCase())

  // The filter travels with the link: only paid sales.
  await page.getByTestId('filter-status').selectOption('COMPLETED')
  await expect(page.getByTestId('history-row')).toHaveCount(1)
  const [filtered] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()])
  const filteredLines = readFileSync((await filtered.path())!)
    .toString('utf8')
    .split('\r\n')
    .filter((l) => l !== '')
  expect(filteredLines).toHaveLength(2)
  expect(filteredLines[1]).toContain(sales.paid.id)
  await snap(page, testInfo, 'export')
})

test('History in Chinese: the language switch on an owner screen changes every label, and is remembered', async ({
  cashier: page,
  shop,
}, testInfo) => {
  const sales = await makeSales(page, shop)
  await openHistory(page)
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible()
  await page.getByTestId('language-switch').click()
  await expect(page.getByRole('heading', { name: '历史记录' })).toBeVisible()
  await expect(page.getByTestId('tab-sales')).toHaveText('收款')
  await expect(page.getByTestId('totals-count')).toHaveText('1 笔已付款')
  await expect(rowFor(page, sales.paid.id)).toContainText('已付款')
  await expect(rowFor(page, sales.chinese.id)).toContainText(CHINESE_ORDER)
  await expect(page.getByTestId('export-csv')).toContainText('导出 CSV')
  await rowFor(page, sales.chinese.id).click()
  await expect(page.getByTestId('session-drawer')).toContainText(CHINESE_ORDER)
  await snap(page, testInfo, 'history-zh-drawer')
  await page.getByTestId('drawer-close').click()
  await snap(page, testInfo, 'history-zh')

  // Remembered by the engine: a fresh load comes back in Chinese.
  await page.reload()
  await expect(page.getByRole('heading', { name: '历史记录' })).toBeVisible()
  expect((await invoke(page, 'settings:get', undefined)).language).toBe('zh-CN')
})

test('History: a transfer no sale claimed is assigned to its sale by hand', async ({ cashier: page, shop }, testInfo) => {
  const sale = await invoke(page, 'sessions:create', { amount: '4.00', order_id: 'phone-order-77', chain_id: 31337, token: 'USDC' })
  // Two sales wait on the shop's address, so an amount matching neither cannot be guessed at: it stays unmatched.
  await invoke(page, 'sessions:create', { amount: '9.00', order_id: 'table-9', chain_id: 31337, token: 'USDC' })
  // The customer typed the amount by hand and sent a little more than asked.
  const asked = BigInt(sale.payment_options[0]!.amount_base_units)
  const sentHash = await transferToken(shop, { token: shop.usdc, to: SHOP_ADDRESS, amount: asked + 700_000n })
  await openOwnerScreen(page, '/history', 'history')
  await page.getByTestId('tab-unmatched').click()
  const row = page.locator(`[data-testid="transfer-row"][data-tx-hash="${sentHash}"]`)
  await expect(row).toBeVisible({ timeout: 20_000 })
  await expect(row).toContainText('4.70')
  await snap(page, testInfo, '1-unmatched')

  await row.getByTestId('transfer-assign').click()
  const candidate = page.getByTestId('assign-candidate').filter({ hasText: 'phone-order-77' })
  await candidate.click()
  await snap(page, testInfo, '2-assign-dialog')
  await page.getByTestId('assign-confirm').click()

  // The sale opens with the payment credited by the usual rules: paid, flagged as overpaid.
  const drawer = page.getByTestId('session-drawer')
  await expect(drawer).toContainText('phone-order-77')
  await expect(drawer.getByTestId('detail-payments')).toContainText(sentHash)
  await expect.poll(async () => (await engineSession(page, sale.id)).status, { timeout: 20_000 }).toBe('COMPLETED')
  await expect(drawer).toContainText('Overpaid')
  await expect(row).toHaveCount(0)
  await snap(page, testInfo, '3-assigned')
})
