/**
 * The cashier screen's start-up, in real Chromium against serve mode:
 *
 *   1. initial bundle: the JS and CSS that index.html loads before anything
 *      else (lazy chunks excluded), gzip-compressed, vs the 250 KB target;
 *   2. time from navigation start to an interactive cashier (the renderer's
 *      `stablepay:cashier-interactive` mark: amount, keypad and pay choices
 *      loaded from the engine), each run in a fresh browser context (cold
 *      HTTP cache), vs a baseline page from a bare node:http server whose one
 *      script sets the same mark. Target: ≤ 500 ms.
 *
 *   npx tsx bench/ui.ts [--runs 15]
 *
 * Needs the built renderer (`npm run build`; built here if missing) and
 * Chromium at /usr/bin/chromium (STABLEPAY_CHROMIUM overrides).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Browser, BrowserContext } from 'playwright-core'
import { chromium } from 'playwright-core'
import { startApp } from '../src-main/app'
import { startHttpServer } from '../src-main/http'
import { benchArgs } from './lib/args'

const { runs: RUNS } = benchArgs({ runs: 15 })
const ROOT = resolve(import.meta.dirname, '..')
const RENDERER = join(ROOT, 'out/renderer')
const CHROMIUM = process.env.STABLEPAY_CHROMIUM ?? '/usr/bin/chromium'
const MARK = 'stablepay:cashier-interactive'
const BUNDLE_TARGET_KB = 250
const INTERACTIVE_TARGET_MS = 500

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!

function ensureBuilt(): void {
  if (existsSync(join(RENDERER, 'index.html'))) return
  const cli = join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js')
  const build = spawnSync(process.execPath, [cli, 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  if (build.status !== 0) throw new Error('electron-vite build failed')
}

/** What the browser must fetch before the first screen: index.html's own scripts, modulepreloads and stylesheets. */
function initialBundle(): { files: Array<{ file: string; raw: number; gzip: number }>; gzip: number } {
  const html = readFileSync(join(RENDERER, 'index.html'), 'utf8')
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!)
  const files = [...new Set(refs)].map((file) => {
    const bytes = readFileSync(join(RENDERER, file))
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
  })
  files.push({ file: 'index.html', raw: Buffer.byteLength(html), gzip: gzipSync(html, { level: 9 }).length })
  return { files, gzip: files.reduce((sum, f) => sum + f.gzip, 0) }
}

/**
 * Navigation start → the mark, in a fresh context each run (no HTTP cache). The signed-in device comes along:
 * its cookie through the stored state, its header token (kept in the tab's sessionStorage, which no stored
 * state carries) put in place before the page's scripts run.
 */
async function timeToMark(browser: Browser, url: string, signedIn?: { context: BrowserContext; token: string }): Promise<number[]> {
  const storageState = signedIn ? await signedIn.context.storageState() : undefined
  const times: number[] = []
  for (let i = 0; i < RUNS + 2; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, storageState })
    if (signedIn) await context.addInitScript(`sessionStorage.setItem('stablepay.session', ${JSON.stringify(signedIn.token)})`)
    const page = await context.newPage()
    await page.goto(url, { waitUntil: 'commit' })
    // A string, not a function: tsx's name-keeping helpers do not exist in the page.
    const at = (await page.evaluate(
      `new Promise((done) => {
        const check = () => {
          const entry = performance.getEntriesByName(${JSON.stringify(MARK)})[0]
          if (entry) done(entry.startTime)
          else setTimeout(check, 5)
        }
        check()
      })`,
    )) as number
    // The first two runs warm Chromium's own caches (V8 code cache, font cache); they are not counted.
    if (i >= 2) times.push(at)
    await context.close()
  }
  return times
}

async function main(): Promise<void> {
  ensureBuilt()
  const bundle = initialBundle()
  console.log(`ui: node ${process.version}, ${RUNS} cold loads each, Chromium ${CHROMIUM}`)
  console.log('\ninitial bundle (gzip -9)')
  for (const f of bundle.files)
    console.log(`  ${f.file.padEnd(34)} ${fmt(f.raw / 1024, 1).padStart(7)} KB raw  ${fmt(f.gzip / 1024, 1).padStart(6)} KB gzip`)
  const bundleKb = bundle.gzip / 1024
  console.log(
    `  total                              ${fmt(bundleKb, 1).padStart(22)} KB gzip   target ≤ ${BUNDLE_TARGET_KB} KB  ${bundleKb <= BUNDLE_TARGET_KB ? 'PASS' : 'MISS'}`,
  )

  const dir = mkdtempSync(join(tmpdir(), 'stablepay-bench-ui-'))
  const app = await startApp({
    dataDir: dir,
    config: {
      merchants: [
        {
          id: 'shop',
          name: 'Bench Café',
          currency: 'USD',
          receive: { mode: 'address', address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc' },
        },
      ],
      chains: [
        {
          chainId: 31337,
          name: 'Local devnet',
          testnet: true,
          // Loopback port 9 refuses: the watcher stays off the network; the screen does not wait for chains.
          rpcUrls: ['http://127.0.0.1:9'],
          tokens: [{ symbol: 'USDC', address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', decimals: 6 }],
        },
      ],
      settings: { language: 'en', livemode: false },
    },
  })
  const server = await startHttpServer({ app, host: '127.0.0.1', port: 0, rendererDir: RENDERER })

  // The baseline: the cheapest page that can set the same mark over HTTP from loopback.
  const baseline = createServer((req, res) => {
    if (req.url === '/mark.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      res.end(`performance.mark(${JSON.stringify(MARK)})`)
      return
    }
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!doctype html><html><head><script type="module" src="/mark.js"></script></head><body>baseline</body></html>')
  })
  await new Promise<void>((done) => baseline.listen(0, '127.0.0.1', done))
  const baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}/`

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const login = await browser.newContext()
    const page = await login.newPage()
    await page.goto(server.loginUrl)
    // Interactive means it takes input: one keypress must show in the amount.
    await page.waitForSelector('[data-testid=cashier][data-ready=true]')
    await page.keyboard.type('1')
    await page.waitForSelector('[data-testid=amount]:not(.amount-empty)')

    const token = (await page.evaluate(`sessionStorage.getItem('stablepay.session')`)) as string | null
    if (!token) throw new Error('the cashier page holds no device token in sessionStorage')
    const appTimes = await timeToMark(browser, `${server.url}/`, { context: login, token })
    const baseTimes = await timeToMark(browser, baselineUrl)
    const appMedian = median(appTimes)
    const baseMedian = median(baseTimes)
    console.log('\nnavigation start → interactive cashier (fresh context, cold HTTP cache)')
    console.log(
      `  cashier            median ${fmt(appMedian, 0).padStart(5)} ms  p95 ${fmt(p95(appTimes), 0).padStart(5)} ms   target median ≤ ${INTERACTIVE_TARGET_MS} ms  ${appMedian <= INTERACTIVE_TARGET_MS ? 'PASS' : 'MISS'}`,
    )
    console.log(`  bare page (base)   median ${fmt(baseMedian, 0).padStart(5)} ms  p95 ${fmt(p95(baseTimes), 0).padStart(5)} ms`)
    console.log(`  ratio cashier/base        ${fmt(appMedian / baseMedian, 2).padStart(5)}`)
    await login.close()
  } finally {
    await browser.close()
    baseline.close()
    await server.close()
    await app.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
