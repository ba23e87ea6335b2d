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
import type { Page } from 'playwright-core'
import { transaction } from '../src-main/engine/db/transaction'
import { benchArgs } from './lib/args'
import { armKeyClock, bridgeFetch, CASHIER_INTERACTIVE, CHROMIUM, keyToPaint, ms, openBenchTill, paintedWhen } from './lib/chromium'
import { stats } from './lib/stats'

const { runs: RUNS, products: PRODUCTS } = benchArgs({ runs: 10, products: 2000 })
const CATEGORIES = ['Coffee', 'Tea', 'Bakery', 'Snacks', 'Drinks', 'Deli', 'Frozen', 'Household']
const WORDS = ['Classic', 'Large', 'Small', 'Organic', 'Spicy', 'Sweet', 'Fresh', 'House', 'Double', 'Mini']

async function setMode(page: Page, mode: 'keypad' | 'products'): Promise<void> {
  // A refusal stops the bench: otherwise both figures would time the same screen.
  await page.evaluate(
    `${bridgeFetch('sale-mode:set', `JSON.stringify({ mode: ${JSON.stringify(mode)} })`)}.then((r) => r.json()).then((r) => { if (!r.ok) throw new Error(r.error.message) })`,
  )
}

/** A fresh load of the keypad screen: navigation → interactive (the mark the screen sets when it takes input). */
async function keypadLoad(page: Page): Promise<number> {
  await page.reload()
  await page.waitForSelector('[data-testid=cashier][data-ready=true]')
  await page.waitForFunction(`performance.getEntriesByName(${JSON.stringify(CASHIER_INTERACTIVE)}).length > 0`)
  return (await page.evaluate(`performance.getEntriesByName(${JSON.stringify(CASHIER_INTERACTIVE)})[0].startTime`)) as number
}

/** A fresh load of the products screen: navigation → the first product tiles painted. */
async function productsLoad(page: Page): Promise<number> {
  await page.reload()
  return (await page.evaluate(paintedWhen('[data-testid=product-tile]'))) as number
}

/** A digit on the keypad → the amount showing it painted. */
async function keypadKey(page: Page, digit: string): Promise<number> {
  const before = (await page.textContent('[data-testid=amount]')) ?? ''
  await armKeyClock(page)
  await page.keyboard.press(digit)
  return keyToPaint(page, `document.querySelector('[data-testid=amount]').textContent !== ${JSON.stringify(before)}`, 'the amount did not change')
}

/** The last character of a search typed (the rest already in the box) → the narrowed grid (other tiles) painted. */
async function searchKey(page: Page, text: string): Promise<number> {
  const search = page.getByTestId('product-search')
  await search.fill(text.slice(0, -1))
  await page.evaluate(paintedWhen('[data-testid=product-tile]'))
  const ids = `[...document.querySelectorAll('[data-testid=product-tile]')].map((t) => t.getAttribute('data-product')).join()`
  const before = (await page.evaluate(ids)) as string
  await search.focus()
  await armKeyClock(page)
  await page.keyboard.press(text.slice(-1))
  return keyToPaint(page, `${ids} !== ${JSON.stringify(before)}`, `the grid did not change for ${text}`)
}

async function main(): Promise<void> {
  const till = await openBenchTill({
    dirName: 'products',
    shopName: 'Bench Market',
    seed: (app) =>
      transaction(app.engine.db, () => {
        for (let i = 0; i < PRODUCTS; i++)
          app.engine.products.create('shop', {
            name: `${WORDS[i % WORDS.length]} item ${String(i).padStart(4, '0')}`,
            price: `${1 + (i % 40)}.${String(i % 100).padStart(2, '0')}`,
            category: CATEGORIES[i % CATEGORIES.length],
            tax_rate_bp: 825,
            color: i % 3 === 0 ? '#8b5a2b' : null,
          })
      }),
  })
  try {
    const { page } = till
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
    console.log(`  first paint, products screen    p50 ${ms(pl.p50)} ms  p95 ${ms(pl.p95)} ms`)
    console.log(`  first paint, keypad (base)      p50 ${ms(kl.p50)} ms  p95 ${ms(kl.p95)} ms`)
    console.log(`  ratio products/keypad (p50)         ${(pl.p50 / kl.p50).toFixed(2).padStart(7)}`)
    console.log(`  search → grid painted           p50 ${ms(s.p50)} ms  p95 ${ms(s.p95)} ms`)
    console.log(`  keypad digit → amount (base)    p50 ${ms(k.p50)} ms  p95 ${ms(k.p95)} ms`)
    console.log(`  ratio search/keypad (p50)           ${(s.p50 / k.p50).toFixed(2).padStart(7)}`)
  } finally {
    await till.close()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
