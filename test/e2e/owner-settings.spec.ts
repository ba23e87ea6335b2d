import type { Page } from '@playwright/test'
import type { Channel, InputOf, OutputOf } from '../../src-preload/contract'
import { expect, snap, test } from './fixtures'
import { openOwnerScreen } from './support/owner'
import { SHOP_ADDRESS } from './support/shop'

/** Asks the engine through the page's own bridge and cookie (the same way the screens ask). */
async function invoke<C extends Channel>(page: Page, channel: C, input: InputOf<C>): Promise<OutputOf<C>> {
  const response = await page.request.post(`/bridge/invoke/${channel}`, { data: input ?? null })
  const result = (await response.json()) as { ok: true; value: OutputOf<C> } | { ok: false; error: { message: string } }
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`)
  return result.value
}

// The shop's address with its last letter's case flipped: still 40 hex digits, but the EIP-55 checksum no longer holds.
const BAD_CHECKSUM = SHOP_ADDRESS.slice(0, -1) + (SHOP_ADDRESS.endsWith('c') ? 'C' : 'c')
// BIP-32 test vector 1's m/0' xpub with one character changed (Y → a): the base58 checksum catches it.
const BAD_XPUB = 'xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXauXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw'

async function openSettings(page: Page): Promise<void> {
  // An owner screen: the PIN first (#13).
  await openOwnerScreen(page, '/settings', 'settings')
  await expect(page.getByTestId('settings-receive-input')).toHaveValue(SHOP_ADDRESS)
}

test('Settings: a bad address, a bad xpub and a bad RPC URL are named as typed, and nothing is saved', async ({
  cashier: page,
  shop,
}, testInfo) => {
  await openSettings(page)
  const before = { merchant: await invoke(page, 'merchant:get', undefined), chains: await invoke(page, 'chains:list', undefined) }

  const input = page.getByTestId('settings-receive-input')
  const feedback = page.getByTestId('settings-receive-feedback')
  const save = page.getByTestId('settings-receive-save')
  await input.fill(BAD_CHECKSUM)
  // The cashier's words, not the engine's ("checksum mismatch" goes to the log, #15).
  await expect(feedback).toHaveText('This is not a valid address. Copy it again from the shop’s wallet: 0x followed by 40 letters and digits.')
  await expect(feedback).toHaveAttribute('data-state', 'invalid')
  await expect(save).toBeDisabled()
  // Enter in the field submits the form: still nothing is sent.
  await input.press('Enter')
  await input.fill('0x1234')
  await expect(feedback).toHaveText('This is not a valid address. Copy it again from the shop’s wallet: 0x followed by 40 letters and digits.')
  await input.fill(BAD_CHECKSUM)
  // The cashier's words, not the engine's ("checksum mismatch" goes to the log, #15).
  await expect(feedback).toHaveText('This is not a valid address. Copy it again from the shop’s wallet: 0x followed by 40 letters and digits.')
  await snap(page, testInfo, '1-bad-address')

  await page.getByTestId('settings-receive-xpub').check()
  await input.fill(BAD_XPUB)
  await expect(feedback).toHaveText('This is not a valid extended public key. Copy it again from the wallet’s export; it starts with xpub.')
  await expect(feedback).toHaveAttribute('data-state', 'invalid')
  await expect(save).toBeDisabled()
  await input.fill(SHOP_ADDRESS)
  await expect(feedback).toHaveText('This is not a valid extended public key. Copy it again from the wallet’s export; it starts with xpub.')
  await snap(page, testInfo, '2-bad-xpub')

  const network = page.getByTestId('network-31337')
  const rpc = network.getByTestId('network-rpc')
  await rpc.fill('ftp://rpc.example.com')
  await expect(network.getByTestId('network-rpc-error')).toContainText('An RPC URL must start with http:// or https://.')
  await expect(network.getByTestId('network-save')).toBeDisabled()
  await rpc.fill(`${shop.rpcUrl}\nwss://rpc.example.com`)
  await expect(network.getByTestId('network-rpc-error')).toContainText('This is a WebSocket address (ws://); an RPC URL starts with http:// or https://.')
  await rpc.fill('https://user:secret@rpc.example.com')
  await expect(network.getByTestId('network-rpc-error')).toContainText('An RPC URL must not contain a user name or password')
  await expect(network.getByTestId('network-save')).toBeDisabled()
  await rpc.press('Enter')
  await network.getByTestId('network-confirmations').fill('0')
  await expect(network).toContainText('Type a whole number from 1 to 1000.')
  await snap(page, testInfo, '3-bad-rpc')

  // Nothing reached the engine.
  expect(await invoke(page, 'merchant:get', undefined)).toEqual(before.merchant)
  expect(await invoke(page, 'chains:list', undefined)).toEqual(before.chains)

  // A valid change does save, and says so.
  await rpc.fill(shop.rpcUrl)
  await network.getByTestId('network-confirmations').fill('3')
  await network.getByTestId('network-save').click()
  await expect(network.getByTestId('network-save-note')).toHaveText('✓ Saved.')
  const saved = (await invoke(page, 'chains:list', undefined)).find((c) => c.chain_id === 31337)!
  expect(saved.confirmations).toBe(3)
  expect(saved.rpc_urls).toEqual([shop.rpcUrl])
})

test('Settings in Chinese: the language choice switches the screen at once and is remembered', async ({ cashier: page }, testInfo) => {
  await openSettings(page)
  await page.getByTestId('settings-language-zh-CN').check()
  await expect(page.getByRole('heading', { name: '设置', exact: true })).toBeVisible()
  await expect(page.getByRole('heading', { name: '收款方式' })).toBeVisible()
  // The refusal in Chinese too (#15): the engine's own words go to the log.
  await page.getByTestId('settings-receive-input').fill(BAD_CHECKSUM)
  await expect(page.getByTestId('settings-receive-feedback')).toHaveText('这不是有效的地址。请从店铺钱包重新复制：0x 加 40 位字母和数字。')
  await snap(page, testInfo, 'settings-zh')
  expect((await invoke(page, 'settings:get', undefined)).language).toBe('zh-CN')
  await page.reload()
  await expect(page.getByRole('heading', { name: '设置', exact: true })).toBeVisible()
  await page.getByTestId('settings-language-en').check()
  await expect(page.getByRole('heading', { name: 'Settings', exact: true })).toBeVisible()
})

test('Settings: an API key and a webhook secret are shown once, with a copy button and a plain warning', async ({
  cashier: page,
}, testInfo) => {
  await openSettings(page)
  await page.getByTestId('key-create-test').click()
  const dialog = page.getByTestId('api-key-secret')
  await expect(dialog.getByTestId('secret-value')).toHaveText(/^sk_test_\w+$/)
  await expect(dialog).toContainText('shown only this once')
  await expect(page.getByTestId('secret-copy')).toBeVisible()
  const secret = (await dialog.getByTestId('secret-value').textContent())!
  await snap(page, testInfo, '1-api-key')
  await page.getByTestId('secret-done').click()
  // Afterwards only a hint remains, never the key.
  await expect(page.getByTestId('api-key').first()).toBeVisible()
  await expect(page.getByTestId('settings')).not.toContainText(secret)

  await page.goto('/#/webhooks')
  await page.getByTestId('endpoint-url').fill('http://127.0.0.1:9/hooks')
  await page.getByTestId('endpoint-save').click()
  await expect(page.getByTestId('webhook-secret').getByTestId('secret-value')).toHaveText(/^whsec_\w+$/)
  await expect(page.getByTestId('webhook-secret')).toContainText('cannot be shown again')
  await snap(page, testInfo, '2-webhook-secret')
  await page.getByTestId('secret-done').click()
  await expect(page.getByTestId('endpoint')).toHaveCount(1)
  await page.getByTestId('endpoint-test').click()
  await expect(page.getByTestId('delivery').first()).toContainText('webhook.test')
  await page.getByTestId('delivery-toggle').first().click()
  await expect(page.getByTestId('attempts')).toBeVisible()
  await snap(page, testInfo, '3-delivery-log')
})
