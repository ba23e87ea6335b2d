/**
 * The desktop app itself, through Playwright's Electron driver. The Electron
 * binary cannot be downloaded on the build machines, so this suite runs where
 * it exists and otherwise skips, saying so plainly.
 */
import { spawn, spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ElectronApplication } from '@playwright/test'
import { _electron as electron, expect, test } from '@playwright/test'
import { makeTempDir } from '../../support/tempDir'
import type { TempDir } from '../../support/tempDir'
import { decodeQr } from '../support/qr'
import type { Shop } from '../support/shop'
import { mineBlock, payFromWallet, ROOT, SHOP_ADDRESS, startShop } from '../support/shop'
import { enterOwnerPin } from '../support/owner'
import { getFreePort } from '../../support/freePort'

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

// The app loads better-sqlite3 built for Electron from native/: the same preparation as `npm start`
// (once per worker; it is quick when the build is already there, and fails with its one sentence offline).
test.beforeAll(() => {
  if (binary === null) return
  const prepared = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/electron-sqlite.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  if (prepared.status !== 0) throw new Error(prepared.stderr.trim())
})

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

/** The desktop app on its own data folder; a config file (serve mode's shape) when the test needs a chain. */
function launch(env: Record<string, string> = {}): Promise<ElectronApplication> {
  return electron.launch({
    executablePath: binary!,
    args: [ROOT, '--no-sandbox'],
    env: { ...process.env, STABLEPAY_DATA_DIR: data.path, ...env },
  })
}

/** A shop on anvil: serve mode's test shop gives the chain and a config file the desktop app applies (STABLEPAY_CONFIG). */
async function withAnvilShop(body: (shop: Shop, app: ElectronApplication) => Promise<void>): Promise<void> {
  const shop = await startShop()
  try {
    const app = await launch({ STABLEPAY_CONFIG: join(shop.dataDir, '..', 'config.json') })
    try {
      await body(shop, app)
    } finally {
      await app.close()
    }
  } finally {
    await shop.stop()
  }
}

test('a full sale on anvil: the customer display follows its till to paid', async () => {
  await withAnvilShop(async (shop, app) => {
    const page = await app.firstWindow()
    await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
    // No second monitor here: the cashier opens the customer display on demand.
    const [display] = await Promise.all([app.waitForEvent('window'), page.getByTestId('open-customer-display').click()])
    await expect(display.getByTestId('customer-idle')).toBeVisible()

    await page.keyboard.type('12.5')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
    const uri = decodeQr(await page.screenshot({ animations: 'disabled' }))
    expect(uri).not.toBeNull()
    await expect(display.getByTestId('customer-sale')).toBeVisible()
    expect(decodeQr(await display.screenshot({ animations: 'disabled' }))).toBe(uri)

    await payFromWallet(shop, uri!)
    await mineBlock(shop)
    await expect(page.getByTestId('paid')).toBeVisible()
    await expect(display.getByTestId('customer-paid')).toBeVisible()
  })
})

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures from a destructured first argument
test("a paid sale's receipt is saved as a PDF (webContents.printToPDF), one page on the 80 mm roll", async ({}, testInfo) => {
  await withAnvilShop(async (shop, app) => {
    const page = await app.firstWindow()
    await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
    await page.keyboard.type('12.5')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('sale-status')).toContainText('Waiting for payment')
    const uri = decodeQr(await page.screenshot({ animations: 'disabled' }))
    await payFromWallet(shop, uri!)
    await mineBlock(shop)
    await expect(page.getByTestId('paid')).toBeVisible()

    // The save dialog answers with a path in the test's output folder, as the owner would choose one.
    const file = testInfo.outputPath('receipt.pdf')
    await app.evaluate(({ dialog }, path) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: path })) as typeof dialog.showSaveDialog
    }, file)
    await page.getByTestId('save-receipt-pdf').click()
    await expect.poll(() => existsSync(file)).toBe(true)
    const pdf = readFileSync(file, 'latin1')
    expect(pdf.startsWith('%PDF-')).toBe(true)
    expect(pdf.match(/\/Type\s*\/Page\b/g)).toHaveLength(1)
    await testInfo.attach('receipt-pdf', { path: file, contentType: 'application/pdf' })
  })
})

test('the app page cannot navigate away or open windows other than the customer display', async () => {
  const app = await launch()
  try {
    const page = await app.firstWindow()
    await expect(page.getByTestId('setup-step-1')).toBeVisible()
    const before = page.url()
    await page.evaluate(() => {
      ;(globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'
    })
    await page.waitForTimeout(500)
    expect(page.url()).toBe(before)
    for (const url of ['https://example.com/', 'file:///etc/passwd'])
      expect(await page.evaluate((u) => (globalThis as unknown as { open(url: string): unknown }).open(u) === null, url)).toBe(true)
    expect(app.windows()).toHaveLength(1)
  } finally {
    await app.close()
  }
})

test('a second launch quits and brings the first one forward', async () => {
  const first = await launch()
  try {
    const page = await first.firstWindow()
    await expect(page.getByTestId('setup-step-1')).toBeVisible()
    await first.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.minimize())
    await expect.poll(() => first.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isMinimized())).toBe(true)

    // Launched as a user would (not through Playwright, which waits for a window that never comes):
    // the second instance finds the lock taken and quits by itself.
    const second = spawn(binary!, [ROOT, '--no-sandbox'], { env: { ...process.env, STABLEPAY_DATA_DIR: data.path }, stdio: 'ignore' })
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve))
    expect(code).toBe(0)
    await expect.poll(() => first.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isMinimized())).toBe(false)
    expect(first.windows()).toHaveLength(1)
  } finally {
    await first.close()
  }
})

/** What a back office does against the till's REST API: the HTTP status, or the connection error's code when nothing answers. */
async function createOverApi(port: number, orderId: string): Promise<number | string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/v1/payment/sessions/create`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_e2e_0123456789abcdef0123456789abcdef', 'content-type': 'application/json' },
      body: JSON.stringify({ merchant_id: 'merchant_123', order_id: orderId, amount: '4.20', currency: 'USD' }),
    })
    return res.status
  } catch (error) {
    return String(((error as Error).cause as { code?: string } | undefined)?.code)
  }
}

test('Settings turns the REST API on at a chosen port and off again, and kiosk mode on and off; quitting stops the API', async () => {
  await withAnvilShop(async (_shop, app) => {
    const page = await app.firstWindow()
    await expect(page.getByTestId('cashier')).toHaveAttribute('data-ready', 'true')
    await page.evaluate(() => {
      ;(globalThis as unknown as { location: { hash: string } }).location.hash = '#/settings'
    })
    await enterOwnerPin(page)
    const section = page.getByTestId('api-server')
    await expect(section.getByTestId('api-server-status')).toHaveAttribute('data-running', 'false')
    const port = await getFreePort()
    expect(await createOverApi(port, 'order_before')).toBe('ECONNREFUSED')

    await section.getByTestId('api-server-port').fill(String(port))
    await section.getByTestId('api-server-save').click()
    await section.getByTestId('api-server-enabled').check()
    await expect(section.getByTestId('api-server-status')).toHaveAttribute('data-running', 'true')
    await expect(section.getByTestId('api-server-status')).toContainText(`http://127.0.0.1:${port}/v1`)
    expect(await createOverApi(port, 'order_on')).toBe(201)

    await section.getByTestId('api-server-enabled').uncheck()
    await expect(section.getByTestId('api-server-status')).toHaveAttribute('data-running', 'false')
    await expect.poll(() => createOverApi(port, 'order_off')).not.toBe(201)

    // Kiosk mode: the owner's switch applies to the cashier window at once.
    const kiosk = () => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.isKiosk())
    expect(await kiosk()).toBe(false)
    await page.getByTestId('settings-kiosk').check()
    await expect.poll(kiosk).toBe(true)
    await page.getByTestId('settings-kiosk').uncheck()
    await expect.poll(kiosk).toBe(false)

    // On again, then the app quits: nothing listens any more.
    await section.getByTestId('api-server-enabled').check()
    await expect(section.getByTestId('api-server-status')).toHaveAttribute('data-running', 'true')
    await app.close()
    await expect.poll(() => createOverApi(port, 'order_after_quit')).toMatch(/^(ECONNREFUSED|UND_ERR_SOCKET)$/)
  })
})
