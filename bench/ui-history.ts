/**
 * History screen benchmark: render and scroll cost with a million sessions,
 * in real Chromium against serve mode, beside a non-virtualised rendering of
 * 10,000 rows in the same browser as the baseline.
 *
 *   npx tsx bench/ui-history.ts [--sessions 1000000] [--baseline 10000] [--depth 20000]
 *   npx tsx bench/ui-history.ts --serve [--sessions 5000]   # fill, serve, print the URL, wait for Ctrl-C
 *
 * What is measured:
 * - time to first rows: from opening #/history to the first row painted
 *   (virtualised: the owner chunk, one page of 100 sessions; baseline: the
 *   10,000 rows fetched by the same bridge, then put in the page as plain DOM);
 * - scrolling: the page scrolls by 10 rows a frame until `depth` rows have
 *   gone past (the virtualised list fetches pages by cursor on the way);
 *   frame intervals (p50/p95/max), long tasks (> 50 ms) and DOM size;
 * - cursor paging at depth: a page of 100 just above the oldest session vs the
 *   newest page, straight from the bridge (keyset paging costs the same anywhere).
 *
 * The baseline is built with plain DOM calls, not React: the cheapest
 * non-virtualised rendering there is, so the ratios are conservative.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import type { App } from '../src-main/app'
import { startApp } from '../src-main/app'
import type { Db } from '../src-main/engine'
import { newId } from '../src-main/engine/ids'
import { startHttpServer } from '../src-main/http'
import { makeTempDir } from '../test/support/tempDir'
import { benchArgs } from './lib/args'

const args = benchArgs({ serve: false, sessions: null, baseline: 10_000, depth: 20_000 })
const SERVE_ONLY = args.serve
// Serving only is for a look at the screen: a small shop fills in a second.
const SESSIONS = args.sessions ?? (SERVE_ONLY ? 5000 : 1_000_000)
const BASELINE_ROWS = args.baseline
const DEPTH = args.depth
const ROW_HEIGHT = 52
const ROWS_PER_FRAME = 10
const CHROMIUM = process.env.STABLEPAY_CHROMIUM ?? '/usr/bin/chromium'
const ROOT = resolve(__dirname, '..')

const MERCHANT = 'shop'
const CHAIN_ID = 31337
const SHOP_ADDRESS = '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc'
/** The bench shop's owner PIN. */
const OWNER_PIN = '246810'
const TOKENS = [
  { symbol: 'USDC', address: '0x5FbDB2315678afecb367f032d93F642f64180aa3', decimals: 6 },
  { symbol: 'USDT', address: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512', decimals: 18 },
] as const
const PAYERS = [
  '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
  '0x90f79bf6eb2c4f870365e785982e1f101e93b906',
]
const ORDER_NAMES = ['table', '桌号', 'takeaway', '外卖', 'counter', 'web']

// ------------------------------------------------------------------ filling the database

/**
 * N sessions over the past year, newest last (as a till writes them), by
 * direct SQL: 70 % paid (with their transfer), the rest expired, cancelled
 * or open. Amounts vary; every tenth order id is Chinese.
 */
function fillHistory(db: Db, count: number, nowSeconds: number): void {
  const insertSession = db.prepare(
    `INSERT INTO sessions (seq, id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at, ended_at,
       usd_cents, paid_option_id, amount_due, amount_paid, confirmations, required_confirmations, exceptions, ever_processing, completed_at, updated_at)
     VALUES (@seq, @id, @merchant, 0, @order, @minor, 'USD', '{}', @status, @created, @expires, @ended,
       @minor, @paidOption, @due, @paid, @confirmations, 1, @exceptions, @everProcessing, @completed, @created)`,
  )
  const insertOption = db.prepare(
    `INSERT INTO payment_options (id, session_seq, kind, chain_id, token_symbol, token_address, decimals, address, base_amount, suffix, amount, active)
     VALUES (@id, @seq, 'payment', ${CHAIN_ID}, @symbol, @tokenAddress, @decimals, '${SHOP_ADDRESS}', @amount, 0, @amount, @active)`,
  )
  const insertTransfer = db.prepare(
    `INSERT INTO transfers (chain_id, tx_hash, log_index, token_symbol, token_address, from_address, to_address, amount, block_number, block_hash,
       block_timestamp, confirmations, state, session_seq, option_id, seen_at)
     VALUES (${CHAIN_ID}, @hash, 0, @symbol, @tokenAddress, @from, '${SHOP_ADDRESS}', @amount, @block, @blockHash, @at, 12, 'confirmed', @seq, @option, @at)`,
  )
  const span = 365 * 86400
  const start = nowSeconds - span
  const seed = randomBytes(4).toString('hex')
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const seq = i + 1
      const created = start + Math.floor((i / count) * span)
      const token = TOKENS[i % 2]!
      const cents = 150 + ((i * 7919) % 25_000)
      const amount = (BigInt(cents) * 10n ** BigInt(token.decimals - 2)).toString()
      const kind = i % 10
      // The newest few are still open; older ones ended one way or another.
      const open = i >= count - 3
      const status = open ? 'PENDING' : kind < 7 ? 'COMPLETED' : kind < 9 ? 'EXPIRED' : 'CANCELLED'
      const paid = status === 'COMPLETED'
      const over = paid && i % 97 === 0
      const paidAmount = paid ? (over ? (BigInt(amount) + 10n ** BigInt(token.decimals)).toString() : amount) : '0'
      const name = ORDER_NAMES[i % ORDER_NAMES.length]!
      insertSession.run({
        seq,
        id: newId('ps'),
        merchant: MERCHANT,
        order: i % 10 === 3 ? `${name} ${(i % 40) + 1} · 拿铁 #${seq}` : `${name}-${seq}`,
        minor: cents,
        status,
        created,
        expires: created + 900,
        ended: open ? null : created + (paid ? 40 : 900),
        paidOption: paid ? seq : null,
        due: paid ? amount : null,
        paid: paidAmount,
        confirmations: paid ? 1 : 0,
        exceptions: over ? '["overpaid"]' : '[]',
        everProcessing: paid ? 1 : 0,
        completed: paid ? created + 40 : null,
      })
      insertOption.run({
        id: seq, // one option per session
        seq,
        symbol: token.symbol,
        tokenAddress: token.address,
        decimals: token.decimals,
        amount,
        active: open ? 1 : 0,
      })
      if (paid)
        insertTransfer.run({
          hash: `0x${createHash('sha256').update(`${seed}:${seq}`).digest('hex')}`,
          symbol: token.symbol,
          tokenAddress: token.address,
          from: PAYERS[i % PAYERS.length],
          amount: paidAmount,
          block: 1000 + seq,
          blockHash: `0x${seq.toString(16).padStart(64, '0')}`,
          at: created + 30,
          seq,
          option: seq,
        })
    }
  })()
}

// ------------------------------------------------------------------ the shop

interface Served {
  app: App
  loginUrl: string
  url: string
  close(): Promise<void>
}

async function serveShop(count: number): Promise<Served> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) throw new Error('out/renderer is missing: run `npx electron-vite build` first')
  const dir = makeTempDir('stablepay-bench-history')
  const app = await startApp({
    dataDir: dir.path,
    config: {
      merchants: [
        {
          id: MERCHANT,
          name: 'Corner Café 街角咖啡',
          currency: 'USD',
          receive: { mode: 'address', address: SHOP_ADDRESS },
          timeZone: 'Asia/Shanghai',
        },
      ],
      chains: [
        {
          chainId: CHAIN_ID,
          name: 'Local devnet',
          testnet: true,
          // Nothing listens here: the bench measures the screen, not the chain.
          rpcUrls: ['http://127.0.0.1:9'],
          confirmations: 1,
          blockTimeMs: 1000,
          color: '#A855F7',
          tokens: TOKENS.map((t) => ({ ...t })),
        },
      ],
      settings: { language: 'en', livemode: false },
      // History is an owner screen (#13): the bench enters this PIN once, as an owner would.
      ownerPin: OWNER_PIN,
    },
  })
  const began = performance.now()
  fillHistory(app.engine.db, count, Math.floor(Date.now() / 1000))
  app.engine.db.pragma('wal_checkpoint(TRUNCATE)')
  console.log(`filled ${count.toLocaleString('en-US')} sessions in ${((performance.now() - began) / 1000).toFixed(1)} s`)
  const http = await startHttpServer({ app, port: 0, rendererDir: join(ROOT, 'out/renderer') })
  return {
    app,
    loginUrl: http.loginUrl,
    url: http.url,
    async close() {
      await http.close()
      await app.stop()
      await dir.cleanup()
    },
  }
}

// ------------------------------------------------------------------ measuring in the page

/**
 * The in-page half, as plain JS (it runs in Chromium, not in this Node
 * process, and the Node type-check has no DOM types): installed once per page.
 */
const PAGE_HELPERS = `
performance.setResourceTimingBufferSize(100000)
window.__bench = {
  /**
   * Scrolls the element by rowsPerFrame rows (negative: up) each animation frame until row targetRow is
   * reached (or maxFrames). Counts stalled frames: the list had no more rows yet and could not move.
   */
  scroll(selector, targetRow, maxFrames, rowHeight, rowsPerFrame) {
    return new Promise((done) => {
      const scroller = document.querySelector(selector)
      const longTasks = []
      const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration) })
      observer.observe({ type: 'longtask', buffered: false })
      const intervals = []
      let last = 0
      let frames = 0
      let stalled = 0
      let stalledInARow = 0
      const began = performance.now()
      const target = targetRow * rowHeight
      const reached = () => (rowsPerFrame > 0 ? scroller.scrollTop >= target : scroller.scrollTop <= target)
      const tick = (now) => {
        if (last) intervals.push(now - last)
        last = now
        frames++
        const before = scroller.scrollTop
        scroller.scrollTop += rowHeight * rowsPerFrame
        if (scroller.scrollTop === before) {
          stalled++
          stalledInARow++
        } else stalledInARow = 0
        // Five seconds without moving: the end of the list, or a page that never came. Either way, stop measuring.
        if (reached() || frames >= maxFrames || stalledInARow >= 300) {
          observer.disconnect()
          intervals.sort((a, b) => a - b)
          const q = (p) => intervals[Math.min(intervals.length - 1, Math.floor(p * intervals.length))] || 0
          done({
            frames,
            stalled,
            p50: q(0.5),
            p95: q(0.95),
            max: intervals[intervals.length - 1] || 0,
            longTasks: longTasks.length,
            longTaskMs: longTasks.reduce((a, b) => a + b, 0),
            row: Math.floor(scroller.scrollTop / rowHeight),
            seconds: (performance.now() - began) / 1000,
            domNodes: document.getElementsByTagName('*').length,
            heapMb: performance.memory ? performance.memory.usedJSHeapSize / 1e6 : null,
          })
          return
        }
        requestAnimationFrame(tick)
      }
      requestAnimationFrame(tick)
    })
  },

  /** How long the list's page requests took (resource timing), median ms and count. */
  pageFetches() {
    const times = performance.getEntriesByType('resource').filter((e) => e.name.includes('sessions:list')).map((e) => e.duration).sort((a, b) => a - b)
    return { count: times.length, median: times[Math.floor(times.length / 2)] || 0 }
  },

  /** Opens History from the cashier screen; resolves when the first row has been painted (the frame after it exists). */
  openHistory() {
    return new Promise((done) => {
      const began = performance.now()
      window.location.hash = '#/history'
      const poll = () => {
        if (document.querySelector('[data-testid="history-row"]')) requestAnimationFrame(() => done(performance.now() - began))
        else requestAnimationFrame(poll)
      }
      requestAnimationFrame(poll)
    })
  },

  /** The naive screen: every one of count rows fetched through the same bridge, then put in the page at once. */
  async baseline(count, rowHeight) {
    const began = performance.now()
    const sessions = []
    let cursor
    while (sessions.length < count) {
      const response = await fetch('/bridge/invoke/sessions:list', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-stablepay-session': sessionStorage.getItem('stablepay.session') },
        body: JSON.stringify(cursor ? { limit: 100, starting_after: cursor } : { limit: 100 }),
      })
      const page = (await response.json()).value
      sessions.push(...page.data)
      if (!page.has_more || !page.next_cursor) break
      cursor = page.next_cursor
    }
    // The same markup and classes as the real table (the owner stylesheet is loaded: History was opened first),
    // without virtualisation, in place of the app.
    document.getElementById('root').style.display = 'none'
    const root = document.createElement('div')
    root.className = 'owner'
    root.style.height = '100vh'
    root.style.boxSizing = 'border-box'
    const table = document.createElement('div')
    table.className = 'owner-table'
    const scroller = document.createElement('div')
    scroller.className = 'owner-scroll'
    scroller.id = 'baseline-scroll'
    scroller.style.contain = 'none'
    const time = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
    for (const s of sessions) {
      const row = document.createElement('div')
      row.className = 'owner-row owner-row-body'
      row.style.height = rowHeight + 'px'
      const option = s.payment_options[0] || {}
      const cells = [
        time.format(new Date(s.created_at * 1000)),
        s.order_id,
        money.format(s.amount),
        (option.token || '') + ' · ' + (option.network || ''),
        s.status,
        s.transactions[0] ? s.transactions[0].tx_hash.slice(0, 10) : '—',
      ]
      for (const text of cells) {
        const cell = document.createElement('span')
        cell.textContent = text
        row.appendChild(cell)
      }
      scroller.appendChild(row)
    }
    table.appendChild(scroller)
    root.appendChild(table)
    document.body.appendChild(root)
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
    return performance.now() - began
  },
}
`

interface ScrollStats {
  frames: number
  stalled: number
  p50: number
  p95: number
  max: number
  longTasks: number
  longTaskMs: number
  row: number
  seconds: number
  domNodes: number
  heapMb: number | null
}

interface MainThread {
  /** Main-thread busy time per frame (CDP Performance.getMetrics TaskDuration), ms. */
  taskMs: number
  scriptMs: number
  layoutMs: number
  styleMs: number
}

/** Scrolls towards `targetRow` (down, or up with `up`), measuring frames in the page and main-thread time through CDP. */
async function scrollAndMeasure(
  page: Page,
  selector: string,
  targetRow: number,
  maxFrames: number,
  up = false,
): Promise<ScrollStats & MainThread> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const metrics = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])) as Record<string, number>
  const before = await metrics()
  const stats = (await page.evaluate(
    `window.__bench.scroll(${JSON.stringify(selector)}, ${targetRow}, ${maxFrames}, ${ROW_HEIGHT}, ${up ? -ROWS_PER_FRAME : ROWS_PER_FRAME})`,
  )) as ScrollStats
  const after = await metrics()
  await cdp.detach()
  const perFrame = (name: string) => (((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / Math.max(stats.frames, 1)
  return {
    ...stats,
    taskMs: perFrame('TaskDuration'),
    scriptMs: perFrame('ScriptDuration'),
    layoutMs: perFrame('LayoutDuration'),
    styleMs: perFrame('RecalcStyleDuration'),
  }
}

async function bridgePageMs(served: Served, cookie: string, session: string, cursor?: string): Promise<number> {
  const runs: number[] = []
  for (let i = 0; i < 7; i++) {
    const began = performance.now()
    const response = await fetch(`${served.url}/bridge/invoke/sessions:list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-stablepay-session': session },
      body: JSON.stringify({ limit: 100, ...(cursor ? { starting_after: cursor } : {}) }),
    })
    await response.arrayBuffer()
    runs.push(performance.now() - began)
  }
  return runs.sort((a, b) => a - b)[3]!
}

const ms = (n: number) => `${n.toFixed(1)} ms`

async function main(): Promise<void> {
  const served = await serveShop(SESSIONS)
  if (SERVE_ONLY) {
    console.log(`StablePay POS listening on ${served.loginUrl}`)
    const stop = () => void served.close().then(() => process.exit(0))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    return
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(served.loginUrl)
    await page.getByTestId('cashier').waitFor()
    // The page's device: its cookie and the header token it keeps in its storage (#13).
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
    const session = (await page.evaluate("sessionStorage.getItem('stablepay.session')")) as string

    // Cursor paging at depth, straight from the bridge.
    const oldest = served.app.engine.db.prepare('SELECT id FROM sessions ORDER BY seq LIMIT 1 OFFSET 101').get() as { id: string }
    const newestPage = await bridgePageMs(served, cookie, session)
    const deepPage = await bridgePageMs(served, cookie, session, oldest.id)

    // The owner unlocks once (the role is held by this device for a while); the timed opening starts from the till.
    await page.evaluate("window.location.hash = '#/history'")
    await page.getByTestId('pin-input').fill(OWNER_PIN)
    await page.getByTestId('pin-submit').click()
    await page.getByTestId('history-row').first().waitFor({ timeout: 120_000 })
    await page.evaluate("window.location.hash = '#/'")
    await page.getByTestId('cashier').waitFor()

    // Virtualised: the real screen. First rows; then deep, fetching pages by cursor on the way; then back up
    // through what is loaded, which is the per-frame cost of scrolling itself.
    await page.evaluate(PAGE_HELPERS)
    const firstRows = (await page.evaluate('window.__bench.openHistory()')) as number
    await page.getByTestId('totals-count').waitFor({ timeout: 120_000 })
    const deep = await scrollAndMeasure(page, '[data-testid="history-scroll"]', DEPTH, 60_000)
    const fetches = (await page.evaluate('window.__bench.pageFetches()')) as { count: number; median: number }
    const virtual = await scrollAndMeasure(page, '[data-testid="history-scroll"]', 0, 60_000, true)
    const rowsInDom = (await page.evaluate('document.querySelectorAll(\'[data-testid="history-row"]\').length')) as number

    // Baseline: 10,000 plain rows, in a fresh page of the same origin (History opened once for its stylesheet).
    const baselinePage = await context.newPage()
    await baselinePage.goto(`${served.url}/#/history`)
    await baselinePage.getByTestId('history-row').first().waitFor()
    await baselinePage.evaluate(PAGE_HELPERS)
    const baselineFirst = (await baselinePage.evaluate(`window.__bench.baseline(${BASELINE_ROWS}, ${ROW_HEIGHT})`)) as number
    // To its last screenful: the rows that can scroll past the top.
    const baseline = await scrollAndMeasure(baselinePage, '#baseline-scroll', BASELINE_ROWS - 20, 60_000)

    const frame = (s: ScrollStats & MainThread) =>
      `main thread ${ms(s.taskMs)}/frame (script ${ms(s.scriptMs)}, layout ${ms(s.layoutMs)}, style ${ms(s.styleMs)}); ` +
      `frame interval p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)}; long tasks ${s.longTasks} (${ms(s.longTaskMs)})`
    const n = (x: number) => x.toLocaleString('en-US')
    console.log(
      `\nHistory with ${n(SESSIONS)} sessions (Chromium ${browser.version()}, 1280×800, ${ROWS_PER_FRAME} rows scrolled per frame)`,
    )
    console.log(`  bridge page of 100, newest:            ${ms(newestPage)}`)
    console.log(`  bridge page of 100, oldest (cursor):    ${ms(deepPage)}`)
    console.log(`  virtualised  time to first rows:       ${ms(firstRows)} (the owner screens' code loads on first open)`)
    console.log(
      `  virtualised  ${n(DEPTH)} rows deep:          ${deep.seconds.toFixed(1)} s, ${n(deep.frames)} frames, ${n(deep.stalled)} waiting for the next page; ` +
        `${fetches.count} page fetches, median ${ms(fetches.median)}; ${frame(deep)}`,
    )
    console.log(
      `  virtualised  scroll back up ${n(DEPTH)} rows: ${frame(virtual)}; DOM ${n(virtual.domNodes)} elements (${rowsInDom} rows); JS heap ${virtual.heapMb?.toFixed(0) ?? '?'} MB`,
    )
    console.log(`  baseline     time to first rows:       ${ms(baselineFirst)} (${n(BASELINE_ROWS)} rows fetched and put in the page)`)
    console.log(
      `  baseline     scroll ${n(BASELINE_ROWS)} rows:        ${frame(baseline)}; DOM ${n(baseline.domNodes)} elements; JS heap ${baseline.heapMb?.toFixed(0) ?? '?'} MB`,
    )
    console.log('\nratios (baseline ÷ virtualised; above 1 means the virtualised screen does better):')
    console.log(`  time to first rows:          ${(baselineFirst / firstRows).toFixed(1)}×`)
    console.log(`  main-thread time per frame:  ${(baseline.taskMs / Math.max(virtual.taskMs, 0.001)).toFixed(2)}×`)
    console.log(`  frame interval p95:          ${(baseline.p95 / virtual.p95).toFixed(2)}×`)
    console.log(
      `  DOM elements:                ${(baseline.domNodes / virtual.domNodes).toFixed(1)}× (the virtualised list with ${n(SESSIONS)} sessions behind it and ${n(DEPTH)} loaded)`,
    )
  } finally {
    await browser.close()
    await served.close()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
