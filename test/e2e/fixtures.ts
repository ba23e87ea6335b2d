import type { Page, TestInfo } from '@playwright/test'
import { expect, test as base } from '@playwright/test'
import type { PaymentSession } from '../../src-preload/contract'
import type { Shop, ShopOptions } from './support/shop'
import { startShop } from './support/shop'

/**
 * Per test: its own chain, data folder and serve process (`shop`), and a
 * cashier page logged in through the printed token URL (`cashier`).
 */
export const test = base.extend<{ shopOptions: ShopOptions; shop: Shop; cashier: Page }>({
  shopOptions: [{}, { option: true }],
  shop: async ({ shopOptions }, use, testInfo) => {
    const shop = await startShop(shopOptions)
    try {
      await use(shop)
    } finally {
      if (testInfo.status !== testInfo.expectedStatus)
        await testInfo.attach('serve-output.txt', { body: shop.output(), contentType: 'text/plain' })
      await shop.stop()
    }
  },
  // Relative URLs (page.request, page.goto('/#/customer')) go to this test's own server.
  baseURL: async ({ shop }, use) => use(shop.url),
  cashier: async ({ page, shop }, use) => {
    await page.goto(shop.loginUrl)
    await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
    await holdSession(page)
    await use(page)
  },
})

/**
 * The test's own calls (`page.request.post('/bridge/invoke/…')`) go as the
 * page's device: the cookie is shared with the context, the header token the
 * page keeps (in memory, and its tab's sessionStorage for a reload) is added here (#13: a cookie alone is refused).
 */
export async function holdSession(page: Page): Promise<void> {
  const token = await page.evaluate(() =>
    (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('stablepay.session'),
  )
  if (!token) throw new Error('the page has not signed in (no session in its storage)')
  await page.context().setExtraHTTPHeaders({ 'x-stablepay-session': token })
}

export { expect }

/** Asks the engine directly (same bridge and cookie as the page): what the screen shows is checked against this. */
export async function engineSession(page: Page, id: string): Promise<PaymentSession> {
  const response = await page.request.post('/bridge/invoke/sessions:get', { data: { id } })
  const result = (await response.json()) as { ok: true; value: PaymentSession } | { ok: false; error: { message: string } }
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

/** The session on the cashier's screen, as the engine holds it. */
export async function currentSession(page: Page): Promise<PaymentSession> {
  const id = await page.locator('[data-session-id]').first().getAttribute('data-session-id')
  if (!id) throw new Error('no session on screen')
  return engineSession(page, id)
}

/** A screenshot kept with the test's results (test-results/<test>/<name>.png). */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<Buffer> {
  const path = testInfo.outputPath(`${name}.png`)
  const png = await page.screenshot({ path, animations: 'disabled' })
  await testInfo.attach(name, { path, contentType: 'image/png' })
  return png
}
