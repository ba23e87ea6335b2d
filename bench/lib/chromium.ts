/**
 * What the screen benches share: the built renderer, Chromium launched the
 * same way, a shop on anvil behind the HTTP server with a signed-in cashier
 * page, and timing inside the page (a key's own timestamp → the frame that
 * shows its effect painted).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { startDevnet } from '../../test/support/anvil'
import { demoTokens, shopConfig } from '../../test/support/shopConfig'

export const RENDERER = join(resolve(import.meta.dirname, '../..'), 'out/renderer')
export const CHROMIUM = process.env.STABLEPAY_CHROMIUM ?? '/usr/bin/chromium'
/** The mark the cashier screen sets when it takes input. */
export const CASHIER_INTERACTIVE = 'stablepay:cashier-interactive'

/** Milliseconds, one decimal, right-aligned for the printed table. */
export const ms = (n: number) => n.toFixed(1).padStart(7)

/** Headless Chromium without the background work that would skew a timing. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export interface BenchTill {
  app: App
  page: Page
  close(): Promise<void>
}

/**
 * A test-mode shop on a fresh anvil chain, served over HTTP, and a 1280×800
 * Chromium page signed in on the cashier screen, ready for input. `seed`
 * runs on the engine before the server starts (products, …).
 */
export async function openBenchTill(options: { dirName: string; shopName: string; seed?: (app: App) => void }): Promise<BenchTill> {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('build the renderer first: npm run build')
  const devnet = await startDevnet()
  const dir = mkdtempSync(join(tmpdir(), `stablepay-bench-${options.dirName}-`))
  let app: App | undefined
  let server: HttpServerHandle | undefined
  let browser: Browser | undefined
  const close = async () => {
    await browser?.close()
    await server?.close()
    await app?.stop()
    await devnet.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    app = await startApp({
      dataDir: dir,
      config: shopConfig({
        merchant: { id: 'shop', name: options.shopName },
        chain: {
          chainId: devnet.chainId,
          name: 'Local devnet',
          rpcUrls: [devnet.rpcUrl],
          pollIntervalMs: 1000,
          tokens: demoTokens(devnet),
        },
        settings: { language: 'en', livemode: false },
      }),
    })
    options.seed?.(app)
    server = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: RENDERER })
    browser = await launchChromium()
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(server.loginUrl)
    await page.waitForSelector('[data-testid=cashier][data-ready=true]')
    return { app, page, close }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * A promise (page-side JavaScript) for the time two animation frames after
 * `condition` (an expression) holds: the frame that shows it has been
 * painted. Fails after 10 s, saying what did not appear.
 */
export function paintedAfter(condition: string, what: string): string {
  return `new Promise((done, fail) => {
  const give = setTimeout(() => fail(new Error(${JSON.stringify(`${what} after 10 s: `)} + document.body.innerText.slice(0, 300))), 10000)
  const check = () => {
    if (${condition}) requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(give); done(performance.now()) }))
    else requestAnimationFrame(check)
  }
  check()
})`
}

/** paintedAfter for the first element matching `selector`. */
export const paintedWhen = (selector: string) =>
  paintedAfter(`document.querySelector(${JSON.stringify(selector)})`, `not painted: ${selector}`)

/**
 * Arms the page's clock for the next key: its keydown's own timestamp (seen
 * first, in the capture phase) starts it. Call just before the key is sent.
 */
export async function armKeyClock(page: Page): Promise<void> {
  await page.evaluate(
    `(() => { window.__keyAt = 0; addEventListener('keydown', () => { window.__keyAt = performance.now() }, { capture: true, once: true }) })()`,
  )
}

/** After armKeyClock and the key: the key → the frame where `condition` holds painted, in ms. */
export async function keyToPaint(page: Page, condition: string, what: string): Promise<number> {
  return (await page.evaluate(`${paintedAfter(condition, what)}.then((at) => at - window.__keyAt)`)) as number
}

/**
 * Page-side JavaScript: a bare bridge call (a fetch, nothing rendered) with
 * the device session the signed-in page holds (in sessionStorage, see
 * src-renderer/src/bridge/transport.ts); `body` is a JS expression.
 */
export function bridgeFetch(channel: string, body: string): string {
  return `fetch(${JSON.stringify(`/bridge/invoke/${channel}`)}, { method: 'POST', headers: { 'content-type': 'application/json', 'x-stablepay-session': sessionStorage.getItem('stablepay.session') }, body: ${body} })`
}
