import type { Page } from '@playwright/test'
import type { Channel, InputOf, OutputOf } from '../../src-preload/contract'
import { currentSession, expect, snap, test } from './fixtures'
import { openOwnerScreen } from './support/owner'
import { mineBlock, payFromWallet } from './support/shop'

/** Asks the engine through the page's own bridge and cookie (the same way the screens ask). */
async function invoke<C extends Channel>(page: Page, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const response = await page.request.post(`/bridge/invoke/${channel}`, { data: input ?? null })
  const result = (await response.json()) as { ok: true; value: OutputOf<C> } | { ok: false; error: { message: string } }
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.value
}

/** The paid chime is two WebAudio tones: counting the oscillators the page makes counts the chimes' tones. */
async function countTones(page: Page): Promise<void> {
  // Runs in the page; typed without the DOM library (the node tsconfig has none).
  await page.addInitScript(() => {
    type Oscillators = { prototype: { createOscillator(this: unknown): unknown } }
    const w = globalThis as unknown as { tones: number; AudioContext: Oscillators }
    w.tones = 0
    const create = w.AudioContext.prototype.createOscillator
    w.AudioContext.prototype.createOscillator = function (this: unknown) {
      w.tones++
      return create.call(this)
    }
  })
  await page.reload()
  await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
}
const tones = (page: Page) => page.evaluate(() => (globalThis as unknown as { tones: number }).tones)

/** Types an amount on the keypad screen and charges it; a large one is confirmed. */
async function charge(page: Page, amount: string, confirm = false): Promise<void> {
  await page.keyboard.type(amount)
  await page.keyboard.press('Enter')
  if (confirm) {
    await expect(page.getByTestId('confirm-large')).toBeFocused()
    await page.keyboard.press('Enter')
  }
  await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
}

async function payCurrent(page: Page, shop: Parameters<typeof payFromWallet>[0]): Promise<void> {
  const session = await currentSession(page)
  await payFromWallet(shop, session.payment_options[0]!.payment_uri)
  await mineBlock(shop)
  await expect(page.getByTestId('paid')).toBeVisible()
}

test('Settings → At the counter: each choice saved by the owner is what the till does next (#15)', async ({
  cashier: page,
  shop,
}, testInfo) => {
  await countTones(page)
  // As shipped: 15 minutes to pay, the chime, a new sale by itself, light or dark as the system says.
  await charge(page, '5')
  await expect(page.getByTestId('countdown').locator('.countdown-time')).toHaveText(/^(15:00|14:5\d)$/)
  await payCurrent(page, shop)
  await expect.poll(() => tones(page)).toBeGreaterThan(0)
  const chimedBefore = await tones(page)
  await expect(page.getByTestId('auto-new-sale')).toBeVisible()
  await page.getByTestId('new-sale').click()

  await openOwnerScreen(page, '/settings', 'settings')
  const form = page.getByTestId('counter-form')
  await form.scrollIntoViewIfNeeded()
  const save = page.getByTestId('counter-save')
  const stored = { settings: await invoke(page, 'settings:get', undefined), merchant: await invoke(page, 'merchant:get', undefined) }

  // A bad value: said on screen, nothing can be saved, nothing changes.
  for (const [field, bad, message] of [
    ['counter-expiry', '0', 'Enter whole minutes from 1 to 1440.'],
    ['counter-late', 'two', null],
    ['counter-auto', '601', null],
    ['counter-confirm-above', '2,50', null],
  ] as const) {
    const input = page.getByTestId(field)
    const before = await input.inputValue()
    await input.fill(bad)
    await expect(input).toHaveAttribute('aria-invalid', 'true')
    await expect(input.locator('xpath=..').locator('.field-error')).toBeVisible()
    if (message) await expect(input.locator('xpath=..').locator('.field-error')).toHaveText(message)
    await expect(save).toBeDisabled()
    await input.press('Enter')
    await snap(page, testInfo, `bad-${field}`)
    await input.fill(before)
    await expect(input).not.toHaveAttribute('aria-invalid', 'true')
  }
  expect(await invoke(page, 'settings:get', undefined)).toEqual(stored.settings)
  expect(await invoke(page, 'merchant:get', undefined)).toEqual(stored.merchant)

  // The owner's choices, as typed.
  await page.getByTestId('counter-expiry').fill('3')
  await page.getByTestId('counter-late').fill('2')
  await page.getByTestId('counter-auto').fill('0')
  await page.getByTestId('counter-sound').uncheck()
  await page.getByTestId('counter-theme-dark').check()
  await page.getByTestId('counter-confirm-above').fill('250')
  await save.click()
  await expect(page.getByTestId('counter-save-note')).toContainText('Saved.')
  // Dark at once, on this screen too: the page's own colour scheme.
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  expect(
    await page
      .locator('html')
      .evaluate(
        (root) =>
          (root.ownerDocument.defaultView as unknown as { getComputedStyle(e: unknown): { colorScheme: string } }).getComputedStyle(root)
            .colorScheme,
      ),
  ).toBe('dark')
  await snap(page, testInfo, 'saved-dark')
  expect(await invoke(page, 'settings:get', undefined)).toMatchObject({
    late_window_seconds: 2 * 3600,
    auto_new_sale_seconds: 0,
    sound_on_paid: false,
    theme: 'dark',
    confirm_amount_above: '250',
  })
  expect((await invoke(page, 'merchant:get', undefined)).session_ttl_seconds).toBe(180)

  // On record (#15): the Audit screen lists the change, key by key.
  await openOwnerScreen(page, '/audit', 'audit')
  await expect(page.getByTestId('audit-row').first()).toContainText('Settings')
  await expect(page.getByTestId('audit-row').first()).toContainText('late_window_seconds: 7200')

  // The till follows: 300 is above the new threshold and asks first; the sale has 3 minutes to be paid.
  await page.goto('/#/')
  await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await charge(page, '300', true)
  await expect(page.getByTestId('countdown').locator('.countdown-time')).toHaveText(/^(3:00|2:5\d)$/)
  await snap(page, testInfo, 'till-3-minutes')
  await payCurrent(page, shop)
  // No chime, and no new sale by itself: the paid sale stays until the cashier starts the next.
  await expect(page.getByTestId('paid')).toContainText('Paid')
  await expect(page.getByTestId('auto-new-sale')).toHaveCount(0)
  await expect(page.getByTestId('keep-open')).toHaveCount(0)
  await expect(page.getByTestId('new-sale')).toBeVisible()
  expect(await tones(page)).toBe(chimedBefore)
  // Below the threshold the till does not ask.
  await page.getByTestId('new-sale').click()
  await charge(page, '249')
})
