import type { Server } from 'node:http'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { exportRoute } from '../../src-main/http/exportRoute'
import { LOCAL_CALLER } from '../../src-main/engine/handlers'
import { seedEngine, shopConfig } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'

let app: App | undefined
let server: Server | undefined
let dir: TempDir | undefined
afterEach(async () => {
  if (server) await new Promise<void>((done) => server!.close(() => done()))
  server?.closeAllConnections()
  await app?.stop()
  await dir?.cleanup()
  app = server = dir = undefined
})

/** The route mounted on a bare server, as the serve-mode server mounts it behind its token check. */
async function start(): Promise<{ url: string; app: App }> {
  dir = makeTempDir('stablepay-reports-http')
  app = await startApp({ dataDir: dir.path })
  seedEngine(
    app.engine,
    shopConfig({
      merchant: { id: 'shop', name: 'Corner Café', timeZone: 'Asia/Shanghai' },
      chain: { name: 'Local devnet', rpcUrls: ['http://127.0.0.1:8545'], confirmations: 1 },
    }),
  )
  const current = app
  server = createServer((req, res) => {
    if (!exportRoute(req, res, current, new URL(req.url ?? '/', 'http://placeholder'), LOCAL_CALLER)) {
      res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', () => done()))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, app }
}

describe('GET /export/sessions.csv', () => {
  it('streams the filtered set as a UTF-8 CSV download with a BOM, Chinese intact', async () => {
    const { url, app } = await start()
    app.engine.sessions.create({ merchantId: 'shop', livemode: false, orderId: '外卖 #8', amount: '8.80', currency: 'USD' })
    const cancelled = app.engine.sessions.create({
      merchantId: 'shop',
      livemode: false,
      orderId: 'walk-in',
      amount: '3.00',
      currency: 'USD',
    })
    app.engine.sessions.cancel(cancelled.session.id, { merchantId: 'shop' })

    const response = await fetch(`${url}/export/sessions.csv?status=PENDING`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="stablepay-sessions-\d{4}-\d{2}-\d{2}\.csv"$/)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const bytes = Buffer.from(await response.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = bytes.subarray(3).toString('utf8').split('\r\n')
    expect(lines[0]).toBe('created,session id,order id,status,amount,currency,token,network,paid amount,refunded,tx hash,payer,exceptions,in totals,tip')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain(',外卖 #8,PENDING,8.80,USD,USDC,Local devnet,0,0,,,,no')
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00,ps_/)
  })

  it('answers a bad filter with the bridge’s error shape, before any byte of CSV', async () => {
    const { url } = await start()
    for (const [query, param] of [
      ['status=PAID', 'status'],
      ['created_gte=yesterday', 'created_gte'],
      ['chain_id=-1', 'chain_id'],
    ] as const) {
      const response = await fetch(`${url}/export/sessions.csv?${query}`)
      expect(response.status, query).toBe(400)
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'parameter_invalid', param } })
    }
    const post = await fetch(`${url}/export/sessions.csv`, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET')
    expect((await fetch(`${url}/export/other.csv`)).status).toBe(404)
  })

  it('keeps serving after a reader abandons a long download mid-stream', async () => {
    const { url, app } = await start()
    const db = app.engine.db
    const insert = db.prepare(
      `INSERT INTO sessions (id, merchant_id, livemode, order_id, amount_minor, currency, metadata, status, created_at, expires_at, usd_cents,
         amount_paid, required_confirmations, updated_at)
       VALUES (?, 'shop', 0, ?, 100, 'USD', '{}', 'EXPIRED', ?, ?, 100, '0', 1, ?)`,
    )
    db.transaction(() => {
      for (let i = 0; i < 30_000; i++)
        insert.run(`ps_bulk${String(i).padStart(17, '0')}`, `bulk-${i}`, 1_700_000_000 + i, 1_700_000_900 + i, 1_700_000_000 + i)
    })()
    // Read the first chunk, then hang up.
    await new Promise<void>((done, fail) => {
      const req = request(`${url}/export/sessions.csv`, (res) => {
        res.once('data', () => {
          res.destroy()
          done()
        })
      })
      req.on('error', fail)
      req.end()
    })
    // Search matches the start of an order id (#15): bulk-29999 is the one sale starting so.
    const again = await fetch(`${url}/export/sessions.csv?search=bulk-29999`)
    expect(again.status).toBe(200)
    expect((await again.text()).split('\r\n')).toHaveLength(3)
  })
})

describe('GET /export/line-items.csv and /export/refunds.csv', () => {
  it('are served like the sales file: their own name and columns, the same query rules, the same method check', async () => {
    const { url, app } = await start()
    app.engine.sessions.create({
      merchantId: 'shop',
      livemode: false,
      orderId: 'cart-1',
      amount: '7.00',
      currency: 'USD',
      lineItems: [
        { name: 'Tea', unitAmount: '2.50', quantity: 2 },
        { name: 'Bun', unitAmount: '2.00', quantity: 1 },
      ],
    })
    // A keypad sale has no lines: not in the line-items file.
    app.engine.sessions.create({ merchantId: 'shop', livemode: false, orderId: 'walk-in', amount: '3.00', currency: 'USD' })

    const lines = await fetch(`${url}/export/line-items.csv?status=PENDING`)
    expect(lines.status).toBe(200)
    expect(lines.headers.get('content-disposition')).toMatch(/^attachment; filename="stablepay-line-items-\d{4}-\d{2}-\d{2}\.csv"$/)
    expect(lines.headers.get('cache-control')).toBe('no-store')
    // text() drops the BOM (the sales file's test reads the bytes).
    const rows = (await lines.text()).split('\r\n')
    expect(rows[0]).toBe(
      'created,session id,order id,status,currency,line,name,product id,unit amount,quantity,line amount,sale discount,sale tax,sale tip,sale amount',
    )
    expect(rows.slice(1, -1).map((r) => r.split(',').slice(2, 7).join(','))).toEqual([
      'cart-1,PENDING,USD,1,Tea',
      'cart-1,PENDING,USD,2,Bun',
    ])
    const badLines = await fetch(`${url}/export/line-items.csv?status=PAID`)
    expect(badLines.status).toBe(400)
    expect(await badLines.json()).toMatchObject({ ok: false, error: { code: 'parameter_invalid', param: 'status' } })

    const refunds = await fetch(`${url}/export/refunds.csv`)
    expect(refunds.status).toBe(200)
    expect(refunds.headers.get('content-disposition')).toMatch(/^attachment; filename="stablepay-refunds-\d{4}-\d{2}-\d{2}\.csv"$/)
    expect((await refunds.text()).split('\r\n')[0]).toMatch(/^created,refund id,merchant refund id,session id,/)
    const badRefunds = await fetch(`${url}/export/refunds.csv?status=lost`)
    expect(badRefunds.status).toBe(400)
    expect(await badRefunds.json()).toMatchObject({ ok: false, error: { param: 'status' } })
    expect((await fetch(`${url}/export/refunds.csv`, { method: 'DELETE' })).status).toBe(405)
  })
})
