import type { Page } from '@playwright/test'
import type { Merchant } from '../../src-preload/contract'
import { verifyWebhook } from '../../src-main/engine/webhooks/verify'
import { startHttpReceiver } from '../support/httpReceiver'
import { expect, snap, test } from './fixtures'
import { enterOwnerPin, OWNER_PIN } from './support/owner'
import { SHOP_ADDRESS } from './support/shop'

/** anvil account 2: the shop's new wallet. */
const NEW_ADDRESS = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
const HOOK_SECRET = 'whsec_e2e_owner_lock_secret_000000001'

const bridge = (page: Page, channel: string, input: unknown) => page.request.post(`/bridge/invoke/${channel}`, { data: input ?? null })

test('the cashier cannot reach Settings without the owner PIN', async ({ cashier: page }, testInfo) => {
  await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click()
  await expect(page.getByTestId('pin-dialog-unlock')).toBeVisible()
  await expect(page.getByTestId('settings')).toBeHidden()
  await snap(page, testInfo, '1-pin-asked')

  // A wrong PIN: the engine says so and counts it; still no Settings.
  await page.getByTestId('pin-input').fill('000000')
  await page.getByTestId('pin-submit').click()
  await expect(page.getByTestId('pin-error')).toContainText('Wrong PIN. 4 tries left before a lockout.')
  await expect(page.getByTestId('settings')).toBeHidden()

  // Cancel goes back to the sale.
  await page.getByTestId('pin-cancel').click()
  await expect(page).toHaveURL(/#\/$/)
  await expect(page.getByTestId('cashier')).toBeVisible()

  // Not only hidden: the engine refuses the owner's channels to this device (403 owner_required).
  const refused = await bridge(page, 'merchant:update', { receive: { mode: 'address', address: NEW_ADDRESS } })
  expect(refused.status()).toBe(403)
  expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'owner_required' } })
  expect((await (await bridge(page, 'merchant:get', null)).json()).value.receive.address).toBe(SHOP_ADDRESS)

  // In Chinese too.
  await page.getByTestId('language-switch').click()
  await page.goto('/#/settings')
  await expect(page.getByTestId('pin-dialog-unlock')).toContainText('店主 PIN')
  await snap(page, testInfo, '2-pin-asked-zh')
})

test('the owner changes the receiving address: the cashier screen shows the notice and the back office gets a signed merchant.updated', async ({
  cashier: page,
}, testInfo) => {
  const receiver = await startHttpReceiver()
  try {
    await page.goto('/#/settings')
    await enterOwnerPin(page, OWNER_PIN)
    await expect(page.getByTestId('settings')).toBeVisible()
    await expect(page.getByTestId('owner-lock')).toBeVisible()

    // The back office's endpoint, with a secret it knows (added as the owner would, through the same bridge).
    const created = await bridge(page, 'webhooks:create-endpoint', { url: `${receiver.url}/hooks`, events: ['merchant.updated'], secret: HOOK_SECRET })
    expect(created.status()).toBe(200)

    await page.getByTestId('settings-receive-input').fill(NEW_ADDRESS)
    await expect(page.getByTestId('settings-receive-feedback')).toHaveAttribute('data-state', 'ok')
    await page.getByTestId('settings-receive-save').click()
    await expect(page.getByTestId('receive-save-note')).toBeVisible()
    await snap(page, testInfo, '1-address-changed')

    // Lock: back to the cashier, where the change is announced.
    await page.getByTestId('owner-lock').click()
    await expect(page).toHaveURL(/#\/$/)
    await expect(page.getByTestId('owner-lock')).toBeHidden()
    const notice = page.getByTestId('receive-notice')
    await expect(notice).toContainText(NEW_ADDRESS)
    await expect(notice).toContainText(SHOP_ADDRESS)
    await snap(page, testInfo, '2-cashier-notice')
    await page.getByTestId('language-switch').click()
    await expect(notice).toContainText('收款地址已于')
    await snap(page, testInfo, '3-cashier-notice-zh')
    await page.getByTestId('language-switch').click()

    // After Lock, Settings asks again.
    await page.goto('/#/settings')
    await expect(page.getByTestId('pin-dialog-unlock')).toBeVisible()

    const [request] = await receiver.waitFor((r) => r.length >= 1, 20_000, 'merchant.updated')
    const event = verifyWebhook<Merchant>(request!.body, request!.headers as never, HOOK_SECRET, { toleranceSeconds: 300 })
    expect(event.type).toBe('merchant.updated')
    expect(event.data.object.receive).toEqual({ mode: 'address', address: NEW_ADDRESS })

    // The audit log has the change, device and before → after.
    await enterOwnerPin(page)
    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click()
    const row = page.locator('[data-testid="audit-row"][data-kind="receive"]').first()
    await expect(row).toContainText(NEW_ADDRESS)
    await expect(row).toContainText(SHOP_ADDRESS)
    await snap(page, testInfo, '4-audit-log')
  } finally {
    await receiver.stop()
  }
})
