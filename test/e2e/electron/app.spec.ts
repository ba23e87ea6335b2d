/**
 * The desktop app itself, through Playwright's Electron driver. The Electron
 * binary cannot be downloaded on the build machines, so this suite runs where
 * it exists and otherwise skips, saying so plainly.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { makeTempDir } from '../../support/tempDir'
import type { TempDir } from '../../support/tempDir'
import { decodeQr } from '../support/qr'
import { ROOT, SHOP_ADDRESS } from '../support/shop'

/**
 * Where `require('electron')` would point, found without calling it: that
 * require tries to download the binary when it is missing, which these
 * machines must never do.
 */
function electronBinary(): string | null {
  const pkg = join(ROOT, 'node_modules/electron')
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron')
  const pathFile = join(pkg, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim())
  try {
    accessSync(binary, constants.X_OK)
    return binary
  } catch {
    return null
  }
}

const binary = electronBinary()
const SKIPPED = 'Electron binary not installed here: skipped'
test.skip(binary === null, SKIPPED)
// Said out loud too (once, by the runner's main process): a skip annotation alone is easy to miss in a list of results.
if (binary === null && process.env.TEST_WORKER_INDEX === undefined) console.log(SKIPPED)

let data: TempDir
test.beforeEach(() => {
  data = makeTempDir('stablepay-electron')
})
test.afterEach(async () => {
  await data.cleanup()
})

test('the desktop app starts sandboxed, runs the first-run wizard and shows a payment QR', async () => {
  const testInfo = test.info()
  const app = await electron.launch({
    executablePath: binary!,
    args: [ROOT, '--no-sandbox'],
    env: { ...process.env, STABLEPAY_DATA_DIR: data.path },
  })
  try {
    const page = await app.firstWindow()
    await expect(page).toHaveTitle(/StablePay POS/)
    // The renderer has the contract's bridge and nothing of Node.
    expect(await page.evaluate(() => typeof (globalThis as unknown as { stablepay?: unknown }).stablepay)).toBe('object')
    expect(await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined')

    await expect(page.getByTestId('setup-step-1')).toBeVisible()
    await page.getByTestId('shop-name').fill('Corner Café')
    await page.getByTestId('setup-next').click()
    await page.getByTestId('receive-input').fill(SHOP_ADDRESS)
    await expect(page.getByTestId('receive-feedback')).toHaveAttribute('data-state', 'ok')
    await page.getByTestId('setup-next').click()
    await page.getByTestId('setup-next').click()
    await page.getByTestId('setup-next').click()
    // The owner PIN step (#13), then the recovery code shown once.
    await page.getByTestId('setup-pin').fill('246810')
    await page.getByTestId('setup-pin-confirm').fill('246810')
    await page.getByTestId('setup-next').click()
    await page.getByTestId('recovery-done').click()

    await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
    await page.keyboard.type('25.5')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
    const path = testInfo.outputPath('electron-waiting.png')
    const png = await page.screenshot({ path, animations: 'disabled' })
    await testInfo.attach('electron-waiting', { path, contentType: 'image/png' })
    expect(decodeQr(png)).toMatch(/^ethereum:0x[0-9a-fA-F]{40}@\d+\/transfer\?address=0x[0-9a-fA-F]{40}&uint256=\d+$/)
  } finally {
    await app.close()
  }
})
