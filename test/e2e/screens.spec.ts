/**
 * Every cashier and customer-display state, in English and Chinese, light
 * and dark, saved as screenshots (test-results/) for people to look at, with
 * the words each state must say checked in both languages. The engine here is
 * scripted (support/fakeEngine.ts) so every state can be shown on demand; the
 * real engine and chain are exercised by the other specs.
 */
import type { Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { ChainConfig, PaymentOption, PaymentSession } from '../../src-preload/contract'
import { decodeQr } from './support/qr'
import type { FakeState } from './support/fakeEngine'
import { installFakeEngine, pushSession, serveRenderer } from './support/fakeEngine'

const USDC = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const SHOP = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'
const now = Math.floor(Date.now() / 1000)

const option = (amount: string, base: string): PaymentOption => ({
  chain_id: 8453,
  network: 'Base',
  token: 'USDC',
  token_address: USDC,
  decimals: 6,
  address: SHOP,
  amount,
  amount_base_units: base,
  payment_uri: `ethereum:${USDC}@8453/transfer?address=${SHOP}&uint256=${base}`,
})

const waiting: PaymentSession = {
  id: 'ps_demo',
  object: 'payment_session',
  status: 'PENDING',
  livemode: true,
  merchant_id: 'shop',
  order_id: 'table 12',
  amount: '25.50',
  currency: 'EUR',
  metadata: {},
  created_at: now,
  expires_at: now + 900,
  exchange_rate: '1.08',
  rate_locked_at: now,
  amount_usd: '27.54',
  payment_options: [option('27.54', '27540000')],
  remainder_option: null,
  amount_paid_base_units: '0',
  amount_remaining_base_units: '27540000',
  confirmations: 0,
  required_confirmations: 2,
  transactions: [],
  exceptions: [],
  completed_at: null,
  pending_tx: null,
  pending_tx_dropped: null,
  receipt_url: null,
  amount_refunded: '0',
  refunds: [],
  till: 'till_1',
  line_items: [],
  tax_amount: '0.00',
  shipping_amount: '0.00',
  tip_amount: '0.00',
  discount_amount: '0.00',
  payment_url: null,
  success_url: null,
  cancel_url: null,
  order_number: 'A-0042',
}
const tx = (amount: string) => ({
  chain_id: 8453,
  tx_hash: '0xabc',
  log_index: 0,
  token: 'USDC',
  token_address: USDC,
  from: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  to: SHOP,
  amount_base_units: amount,
  block_number: 100,
  block_timestamp: now,
  confirmations: 1,
  state: 'pending' as const,
})
const detected: PaymentSession = {
  ...waiting,
  status: 'PROCESSING',
  confirmations: 1,
  amount_paid_base_units: '27540000',
  amount_remaining_base_units: '0',
  transactions: [tx('27540000')],
}
const underpaid: PaymentSession = {
  ...waiting,
  status: 'PROCESSING',
  expires_at: now + 45,
  amount_paid_base_units: '20000000',
  amount_remaining_base_units: '7540001',
  remainder_option: option('7.540001', '7540001'),
  transactions: [tx('20000000')],
  exceptions: ['underpaid'],
}
const paidOver: PaymentSession = {
  ...detected,
  status: 'COMPLETED',
  confirmations: 2,
  amount_paid_base_units: '30000000',
  exceptions: ['overpaid'],
  completed_at: now,
}
const expired: PaymentSession = { ...waiting, status: 'EXPIRED' }
const cancelled: PaymentSession = { ...waiting, status: 'CANCELLED' }

const base: ChainConfig = {
  chain_id: 8453,
  name: 'Base',
  testnet: false,
  rpc_urls: ['https://mainnet.base.org'],
  ws_urls: [],
  confirmations: 1,
  poll_interval_ms: null,
  block_time_ms: 2000,
  explorer_url: 'https://basescan.org',
  color: '#0052FF',
  enabled: true,
  tokens: [{ symbol: 'USDC', address: USDC, decimals: 6, enabled: true }],
}
const polygon: ChainConfig = {
  ...base,
  chain_id: 137,
  name: 'Polygon PoS',
  color: '#8247E5',
  tokens: [
    { symbol: 'USDC', address: USDC, decimals: 6, enabled: true },
    { symbol: 'USDT', address: USDC, decimals: 6, enabled: true },
  ],
}

function state(language: 'en' | 'zh-CN'): FakeState {
  return {
    settings: {
      language,
      livemode: true,
      auto_new_sale_seconds: 600,
      confirm_amount_above: '1000',
      late_window_seconds: 86400,
      sound_on_paid: true,
      theme: 'system',
      receipt_layout: '80mm',
      receipt_auto_print: false,
      receipt_printer: null,
      kiosk: false,
      tips_enabled: false,
      tip_percentages: [10, 15, 20],
      tip_custom: true,
      tax_mode: 'included',
    },
    merchant: {
      id: 'shop',
      name: 'Corner Café',
      currency: 'EUR',
      receive: { mode: 'address', address: SHOP },
      session_ttl_seconds: 900,
      time_zone: 'UTC',
      address: null,
    },
    chains: [base, polygon],
    devnet: false,
    configured: true,
    session: null,
  }
}

const WORDS = {
  en: {
    charge: 'Charge',
    waiting: 'Waiting for payment',
    detected: 'Payment detected, 1/2 confirmations',
    underpaid: 'still to pay',
    paid: 'Paid',
    overpaid: 'Overpaid',
    expired: 'Expired',
    cancelled: 'Cancelled',
    cannot: 'can no longer be cancelled',
    scan: 'Scan to pay',
    thanks: 'Thank you!',
  },
  'zh-CN': {
    charge: '收款',
    waiting: '等待付款',
    detected: '已检测到付款，1/2 个确认',
    underpaid: '还需支付',
    paid: '已付款',
    overpaid: '多付',
    expired: '已过期',
    cancelled: '已取消',
    cannot: '已无法取消',
    scan: '扫码付款',
    thanks: '谢谢惠顾！',
  },
} as const

let renderer: { url: string; close(): Promise<void> }
test.beforeAll(async () => {
  renderer = await serveRenderer()
})
test.afterAll(async () => {
  await renderer.close()
})

async function shot(page: Page, name: string): Promise<Buffer> {
  const path = test.info().outputPath(`${name}.png`)
  const png = await page.screenshot({ path, animations: 'disabled' })
  await test.info().attach(name, { path, contentType: 'image/png' })
  return png
}

for (const language of ['en', 'zh-CN'] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test.describe(`${language} ${scheme}`, () => {
      test.use({ colorScheme: scheme })
      const words = WORDS[language]

      test('cashier: entry, waiting, detected, underpaid, paid, expired, cancelled', async ({ page }) => {
        await installFakeEngine(page, { ...state(language), session: waiting })
        await page.goto(`${renderer.url}/#/`)
        await expect(page.getByTestId('charge')).toHaveText(words.charge)
        await page.keyboard.type('25.5')
        await page.getByTestId('order-ref').fill('table 12')
        await shot(page, '1-entry')

        await page.getByTestId('charge').click()
        await expect(page.getByTestId('sale-status')).toContainText(words.waiting)
        await expect(page.getByTestId('rate')).toContainText('1.08')
        const png = await shot(page, '2-waiting')
        expect(decodeQr(png, 0.25)).toBe(waiting.payment_options[0]!.payment_uri)

        await pushSession(page, detected)
        await expect(page.getByTestId('sale-status')).toContainText(words.detected)
        await shot(page, '3-detected')
        await page.keyboard.press('Escape')
        await expect(page.getByRole('alertdialog')).toContainText(words.cannot)
        await shot(page, '4-cannot-cancel')
        await page.keyboard.press('Escape')

        await pushSession(page, underpaid)
        await expect(page.getByTestId('sale-status')).toContainText(words.underpaid)
        await expect(page.getByTestId('countdown')).toHaveAttribute('data-hurry', 'true')
        const under = await shot(page, '5-underpaid')
        expect(decodeQr(under)).toBe(underpaid.remainder_option!.payment_uri)

        await pushSession(page, paidOver)
        await expect(page.getByTestId('paid')).toContainText(words.paid)
        await expect(page.getByTestId('paid-note')).toContainText(words.overpaid)
        await shot(page, '6-paid-overpaid')

        await page.getByTestId('new-sale').click()
        await page.keyboard.type('9')
        await page.keyboard.press('Enter')
        await pushSession(page, expired)
        await expect(page.getByTestId('ended')).toContainText(words.expired)
        await shot(page, '7-expired')
        await pushSession(page, cancelled)
        await expect(page.getByTestId('ended')).toContainText(words.cancelled)
        await shot(page, '8-cancelled')
      })

      test('customer display: idle, waiting, underpaid, paid', async ({ page }) => {
        await installFakeEngine(page, state(language))
        await page.goto(`${renderer.url}/#/customer`)
        await expect(page.getByTestId('customer-idle')).toBeVisible()
        await shot(page, 'c1-idle')
        await pushSession(page, waiting)
        await expect(page.getByTestId('customer-sale')).toContainText(words.scan)
        const png = await shot(page, 'c2-waiting')
        expect(decodeQr(png, 0.25)).toBe(waiting.payment_options[0]!.payment_uri)
        await pushSession(page, underpaid)
        await expect(page.getByTestId('customer-sale')).toHaveAttribute('data-view', 'underpaid')
        await shot(page, 'c3-underpaid')
        await pushSession(page, paidOver)
        await expect(page.getByTestId('customer-paid')).toContainText(words.thanks)
        await shot(page, 'c4-paid')
      })

      test('owner screens are reachable from the navigation', async ({ page }) => {
        await installFakeEngine(page, state(language))
        await page.goto(`${renderer.url}/#/`)
        await page.getByRole('navigation').locator('a[href$="#/history"]').click()
        await expect(page).toHaveURL(/#\/history$/)
        await expect(page.locator('.screen')).not.toBeEmpty()
        await shot(page, 'o1-history')
      })
    })
  }
}

for (const viewport of [
  { width: 1024, height: 768 },
  { width: 800, height: 1280 },
]) {
  test(`tablet ${viewport.width}×${viewport.height}: entry and waiting fit without scrolling`, async ({ page }) => {
    await page.setViewportSize(viewport)
    await installFakeEngine(page, { ...state('zh-CN'), session: waiting })
    await page.goto(`${renderer.url}/#/`)
    await page.keyboard.type('1234.5')
    await expect(page.getByTestId('charge')).toBeInViewport()
    await shot(page, 'entry')
    await page.keyboard.press('Enter')
    // Above the owner's threshold (1,000 by default): the till asks first, Enter confirms (#15).
    await expect(page.getByTestId('confirm-large')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('payment-qr')).toBeInViewport({ ratio: 1 })
    await expect(page.getByTestId('token-amount')).toBeInViewport()
    const png = await shot(page, 'waiting')
    expect(decodeQr(png, 0.25)).toBe(waiting.payment_options[0]!.payment_uri)
  })
}
