/**
 * The sale screen's products mode (#17) with 2,000 products, in real Chromium
 * against the real engine: first paint (navigation → the first product tiles
 * painted) beside the keypad screen's (navigation → interactive, as
 * bench/cashier.ts measures it), and search latency (a typed letter → the
 * narrowed grid painted) beside the keypad's own latency (a digit → the
 * amount painted). Ratios printed; the grid renders only the rows on screen.
 *
 *   npx tsx bench/products.ts [--runs 10] [--products 2000]
 *
 * Needs the built renderer (`npm run build`), anvil, and Chromium at
 * /usr/bin/chromium (STABLEPAY_CHROMIUM overrides).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { startApp } from '../src-main/app'
import { transaction } from '../src-main/engine/db/transaction'
import { startHttpServer } from '../src-main/http'
import { startDevnet } from '../test/support/anvil'
import { demoTokens, shopConfig } from '../test/support/shopConfig'
import { benchArgs } from './lib/args'
import { stats } from './lib/stats'

const { runs: RUNS, products: PRODUCTS } = benchArgs({ runs: 10, products: 2000 })
const ROOT = resolve(import.meta.dirname, '..')
const RENDERER = join(ROOT, 'out/renderer')
const CHROMIUM = process.env.STABLEPAY_CHROMIUM ?? '/usr/bin/chromium'
const MARK = 'stablepay:cashier-interactive'
const CATEGORIES = ['Coffee', 'Tea', 'Bakery', 'Snacks', 'Drinks', 'Deli', 'Frozen', 'Household']
const WORDS = ['Classic', 'Large', 'Small', 'Organic', 'Spicy', 'Sweet', 'Fresh', 'House', 'Double', 'Mini']

const fmt = (n: number) => n.toFixed(1).padStart(7)

/** Two animation frames after `selector` matches: the frame it is in has been painted. */
const paintedWhen = (selector: string) => `new Promise((done, fail) => {
  const give = setTimeout(() => fail(new Error('not painted after 10 s: ${selector}')), 10000)
  const check = () => {
    if (document.querySelector(${JSON.stringify(selector)})) requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(give); done(performance.now()) }))
    else requestAnimationFrame(check)
  }
  check()
})`

async function setMode(page: Page, mode: 'keypad' | 'products'): Promise<void> {
  await page.evaluate(`fetch('/bridge/invoke/sale-mode:set', { method: 'POST', headers: { 'content-type': 'application/json', 'x-stablepay-session': localStorage.getItem('stablepay.session') }, body: JSON.stringify({ mode: ${JSON.stringify(mode)} }) }).then((r) => r.json())`)
}

/** A fresh load of the keypad screen: navigation → interactive (the mark the screen sets when it takes input). */
async function keypadLoad(page: Page): Promise<number> {
  await page.reload()
  await page.waitForSelector('[data-testid=cashier][data-ready=true]')
  await page.waitForFunction(`performance.getEntriesByName(${JSON.stringify(MARK)}).length > 0`)
  return (await page.evaluate(`performance.getEntriesByName(${JSON.stringify(MARK)})[0].startTime`)) as number
}

/** A fresh load of the products screen: navigation → the first product tiles painted. */
async function productsLoad(page: Page): Promise<number> {
  await page.reload()
  return (await page.evaluate(paintedWhen('[data-testid=product-tile]'))) as number
}

/** A digit on the keypad → the amount showing it painted. */
async function keypadKey(page: Page, digit: string): Promise<number> {
  await page.evaluate(`(() => { window.__at = 0; addEventListener('keydown', () => { window.__at = performance.now() }, { capture: true, once: true }) })()`)
  const before = (await page.textContent('[data-testid=amount]')) ?? ''
  await page.keyboard.press(digit)
  return (await page.evaluate(`new Promise((done) => {
    const check = () => {
      if (document.querySelector('[data-testid=amount]').textContent !== ${JSON.stringify(before)}) requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - window.__at)))
      else requestAnimationFrame(check)
    }
    check()
  })`)) as number
}

/** The last character of a search typed (the rest already in the box) → the narrowed grid (other tiles) painted. */
async function searchKey(page: Page, text: string): Promise<number> {
  const search = page.getByTestId('product-search')
  await search.fill(text.slice(0, -1))
  await page.evaluate(paintedWhen('[data-testid=product-tile]'))
  const ids = `[...document.querySelectorAll('[data-testid=product-tile]')].map((t) => t.getAttribute('data-product')).join()`
  const before = (await page.evaluate(ids)) as string
  await search.focus()
  await page.evaluate(`(() => { window.__at = 0; addEventListener('keydown', () => { window.__at = performance.now() }, { capture: true, once: true }) })()`)
  await page.keyboard.press(text.slice(-1))
  return (await page.evaluate(`new Promise((done, fail) => {
    const give = setTimeout(() => fail(new Error('the grid did not change for ${text}')), 10000)
    const check = () => {
      if (${ids} !== ${JSON.stringify(before)}) requestAnimationFrame(() => requestAnimationFrame(() => { clearTimeout(give); done(performance.now() - window.__at) }))
      else requestAnimationFrame(check)
    }
    check()
  })`)) as number
}

async function main(): Promise<void> {
  if (!existsSync(join(RENDERER, 'index.html'))) throw new Error('build the renderer first: npm run build')
  const devnet = await startDevnet()
  const dir = mkdtempSync(join(tmpdir(), 'stablepay-bench-products-'))
  const app = await startApp({
    dataDir: dir,
    config: shopConfig({
      merchant: { id: 'shop', name: 'Bench Market' },
      chain: { chainId: devnet.chainId, name: 'Local devnet', rpcUrls: [devnet.rpcUrl], pollIntervalMs: 1000, tokens: demoTokens(devnet) },
      settings: { language: 'en', livemode: false },
    }),
  })
  transaction(app.engine.db, () => {
    for (let i = 0; i < PRODUCTS; i++)
      app.engine.products.create('shop', {
        name: `${WORDS[i % WORDS.length]} item ${String(i).padStart(4, '0')}`,
        price: `${1 + (i % 40)}.${String(i % 100).padStart(2, '0')}`,
        category: CATEGORIES[i % CATEGORIES.length],
        tax_rate_bp: 825,
        color: i % 3 === 0 ? '#8b5a2b' : null,
      })
  })
  const server = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: RENDERER })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(server.loginUrl)
    await page.waitForSelector('[data-testid=cashier][data-ready=true]')

    // One warm-up load of each, then alternate so both see the same machine.
    const keypadLoads: number[] = []
    const productLoads: number[] = []
    await setMode(page, 'keypad')
    await keypadLoad(page)
    await setMode(page, 'products')
    await productsLoad(page)
    for (let i = 0; i < RUNS; i++) {
      await setMode(page, 'keypad')
      keypadLoads.push(await keypadLoad(page))
      await setMode(page, 'products')
      productLoads.push(await productsLoad(page))
    }
    const tiles = (await page.locator('[data-testid=product-tile]').count()) as number

    const searches: number[] = []
    // Each query's last character narrows the set (other tiles show).
    const queries = ['item 09', 'item 0042', 'item 123', 'item 17', 'item 0555', 'item 08']
    for (let i = 0; i < RUNS; i++) searches.push(await searchKey(page, queries[i % queries.length]!))

    await setMode(page, 'keypad')
    await keypadLoad(page)
    const keys: number[] = []
    for (let i = 0; i < RUNS; i++) keys.push(await keypadKey(page, String((i % 9) + 1)))

    const kl = stats(keypadLoads)
    const pl = stats(productLoads)
    const s = stats(searches)
    const k = stats(keys)
    console.log(`products: node ${process.version}, ${PRODUCTS} products, ${RUNS} runs each, Chromium ${CHROMIUM}`)
    console.log(`  (the grid renders ${tiles} tiles of ${PRODUCTS}: only the rows on screen)`)
    console.log(`  first paint, products screen    p50 ${fmt(pl.p50)} ms  p95 ${fmt(pl.p95)} ms`)
    console.log(`  first paint, keypad (base)      p50 ${fmt(kl.p50)} ms  p95 ${fmt(kl.p95)} ms`)
    console.log(`  ratio products/keypad (p50)         ${(pl.p50 / kl.p50).toFixed(2).padStart(7)}`)
    console.log(`  search → grid painted           p50 ${fmt(s.p50)} ms  p95 ${fmt(s.p95)} ms`)
    console.log(`  keypad digit → amount (base)    p50 ${fmt(k.p50)} ms  p95 ${fmt(k.p95)} ms`)
    console.log(`  ratio search/keypad (p50)           ${(s.p50 / k.p50).toFixed(2).padStart(7)}`)
    await context.close()
  } finally {
    await browser.close()
    await server.close()
    await app.stop()
    await devnet.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
