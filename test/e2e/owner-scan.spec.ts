import type { Page } from '@playwright/test'
import { startHttpReceiver } from '../support/httpReceiver'
import { engineSession, expect, test } from './fixtures'
import { openOwnerScreen } from './support/owner'
import { payFromWallet, SHOP_ADDRESS } from './support/shop'
import { ALLOWED, scan } from './support/untranslated'

/**
 * The owner's screens and the first-run wizard in Chinese (#15): no English
 * left behind. Besides the cashier's allowed names, the owner sees CSV column
 * names (they are the file's format, the same in every language).
 */
const OWNER_ALLOWED = [
  ...ALLOWED,
  // The order references this test gave its sales (the shop's own data). The first till is "收银台 1" here (#15).
  'coffee-1',
  'walk-in',
  // Webhook event types are the API's names, like CSV columns.
  'payment.completed',
  'payment.processing',
  'payment.cancelled',
  // The products CSV file's column names.
  ...['id', 'name_zh', 'name', 'price', 'category', 'color', 'tax_rate', 'active'].map((column) => new RegExp(`\\b${column}\\b`, 'g')),
]

const bridge = async (page: Page, channel: string, input: unknown) => {
  const response = await page.request.post(`/bridge/invoke/${channel}`, { data: input ?? null })
  const result = (await response.json()) as { ok: true; value: { id: string; payment_options: Array<{ payment_uri: string }> } } | { ok: false; error: { message: string } }
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.value
}

test.describe('in Chinese', () => {
  test.use({ shopOptions: { language: 'zh-CN' } })

  test('every owner screen in Chinese: no untranslated string', async ({ cashier: page, shop }) => {
    const found: Record<string, string[]> = {}
    const receiver = await startHttpReceiver()
    try {
      await openOwnerScreen(page, '/settings', 'settings')
      // A paid sale (with its payment and webhook deliveries), a cancelled one, and an endpoint for the webhooks screen.
      await bridge(page, 'webhooks:create-endpoint', { url: `${receiver.url}/hooks` })
      const paid = await bridge(page, 'sessions:create', { amount: '12.50', order_id: 'coffee-1', chain_id: 31337, token: 'USDC' })
      const cancelled = await bridge(page, 'sessions:create', { amount: '5.00', order_id: 'walk-in' })
      await bridge(page, 'sessions:cancel', { id: cancelled.id })
      await payFromWallet(shop, paid.payment_options[0]!.payment_uri)
      await expect.poll(async () => (await engineSession(page, paid.id)).status, { timeout: 20_000 }).toBe('COMPLETED')

      await expect(page.getByTestId('settings-receive-input')).toHaveValue(SHOP_ADDRESS)
      await scan(page, 'settings', found, OWNER_ALLOWED)
      // The first till in the shop's language, where the owner picks a till (#15).
      await expect(page.locator('select option', { hasText: '收银台 1' }).first()).toBeAttached()

      await openOwnerScreen(page, '/history', 'history')
      await expect(page.getByTestId('history-row')).toHaveCount(2)
      await scan(page, 'history', found, OWNER_ALLOWED)
      await page.locator(`[data-testid="history-row"][data-session-id="${paid.id}"]`).click()
      const drawer = page.getByTestId('session-drawer')
      await expect(drawer.getByTestId('detail-payments')).toBeVisible()
      await scan(page, 'history: sale drawer', found, OWNER_ALLOWED)
      await page.getByTestId('drawer-close').click()
      await expect(drawer).toHaveCount(0)
      for (const tab of ['transactions', 'unmatched', 'refunds']) {
        await page.getByTestId(`tab-${tab}`).click()
        await expect(page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-selected', 'true')
        await scan(page, `history: ${tab}`, found, OWNER_ALLOWED)
      }

      await openOwnerScreen(page, '/webhooks', 'webhooks')
      await expect(page.getByTestId('no-endpoints')).toHaveCount(0)
      await expect.poll(() => receiver.requests.length, { timeout: 15_000 }).toBeGreaterThan(0)
      await scan(page, 'webhooks', found, OWNER_ALLOWED)

      await openOwnerScreen(page, '/audit', 'audit')
      await expect(page.getByTestId('audit-row').first()).toBeVisible()
      await scan(page, 'audit log', found, OWNER_ALLOWED)

      await page.goto('/#/report')
      await expect(page.getByTestId('report-screen')).toBeVisible()
      await scan(page, 'report: no shift', found, OWNER_ALLOWED)
      await page.getByTestId('shift-open-button').click()
      await expect(page.getByTestId('shift-open')).toBeVisible()
      await page.getByTestId('shift-report').click()
      await expect(page.getByTestId('eod-report')).toBeVisible()
      await scan(page, 'report: shift', found, OWNER_ALLOWED)
      await expect(page.getByTestId('eod-report')).toContainText('收银台 1')
      await expect(page.getByTestId('day-till')).toContainText('收银台 1')
      await page.getByTestId('day-show').click()
      await expect(page.getByTestId('report-error')).toHaveCount(0)
      await scan(page, 'report: day', found, OWNER_ALLOWED)
    } finally {
      await receiver.stop()
    }
    expect(found).toEqual({})
  })
})

test.describe('first run in Chinese', () => {
  test.use({ shopOptions: { configured: false, language: 'zh-CN' } })

  test('the first-run wizard in Chinese: no untranslated string', async ({ page, shop }) => {
    const found: Record<string, string[]> = {}
    await page.goto(shop.loginUrl)
    await expect(page).toHaveURL(/#\/setup$/)
    await scan(page, 'wizard: shop', found)
    await page.getByTestId('shop-name').fill('Corner Café')
    await page.getByTestId('setup-next').click()
    await page.getByTestId('receive-input').fill(SHOP_ADDRESS.slice(0, -1) + 'C')
    await expect(page.getByTestId('receive-feedback')).toBeVisible()
    await scan(page, 'wizard: bad address', found)
    await page.getByTestId('receive-input').fill(SHOP_ADDRESS.toLowerCase())
    await expect(page.getByTestId('receive-feedback')).toContainText(SHOP_ADDRESS)
    await scan(page, 'wizard: address', found)
    await page.getByTestId('setup-next').click()
    await expect(page.getByTestId('setup-step-3')).toBeVisible()
    await scan(page, 'wizard: networks', found)
    await page.getByTestId('setup-next').click()
    await page.getByTestId('mode-live').check()
    await scan(page, 'wizard: live mode', found)
    await page.getByTestId('mode-test').check()
    await scan(page, 'wizard: mode', found)
    await page.getByTestId('setup-next').click()
    await expect(page.getByTestId('setup-step-5')).toBeVisible()
    await page.getByTestId('setup-pin').fill('135790')
    await page.getByTestId('setup-pin-confirm').fill('135791')
    await scan(page, 'wizard: PIN', found)
    await page.getByTestId('setup-pin-confirm').fill('135790')
    await page.getByTestId('setup-next').click()
    await expect(page.getByTestId('recovery-code-shown')).toBeVisible()
    await scan(page, 'wizard: recovery code', found)
    expect(found).toEqual({})
  })
})
