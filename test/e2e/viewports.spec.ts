import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { openOwnerScreen } from './support/owner'

/** No screen scrolls sideways on the tablets a shop uses (#15): the page is never wider than the window. */
async function fits(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth }
  })
}

for (const viewport of [
  { width: 1024, height: 768 },
  { width: 800, height: 1280 },
]) {
  test(`${viewport.width}×${viewport.height}: no screen scrolls sideways`, async ({ cashier: page }) => {
    await page.setViewportSize(viewport)
    const wide: Record<string, { scrollWidth: number; clientWidth: number }> = {}
    const check = async (screen: string, on: Page = page) => {
      const size = await fits(on)
      if (size.scrollWidth > size.clientWidth) wide[screen] = size
    }
    await check('cashier: entry')
    await page.keyboard.type('12.50')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('payment-qr')).toBeVisible()
    await check('cashier: waiting')
    const customer = await page.context().newPage()
    await customer.setViewportSize(viewport)
    await customer.goto('/#/customer')
    await expect(customer.getByTestId('customer-display')).toBeVisible()
    await check('customer display', customer)

    await openOwnerScreen(page, '/history', 'history')
    await expect(page.getByTestId('history-row').first()).toBeVisible()
    await check('history')
    await page.getByTestId('history-row').first().click()
    await expect(page.getByTestId('session-drawer')).toBeVisible()
    await check('history: drawer')
    await openOwnerScreen(page, '/settings', 'settings')
    await expect(page.getByTestId('settings-receive-input')).not.toHaveValue('')
    await check('settings')
    await openOwnerScreen(page, '/webhooks', 'webhooks')
    await check('webhooks')
    await openOwnerScreen(page, '/audit', 'audit')
    await check('audit')
    await page.goto('/#/report')
    await expect(page.getByTestId('report-screen')).toBeVisible()
    await check('shift & report')
    expect(wide).toEqual({})
  })
}
