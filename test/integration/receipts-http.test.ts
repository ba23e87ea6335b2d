/**
 * Receipts (#16) over real HTTP: the public page `/receipt/:id` answers a
 * COMPLETED sale without login and nothing else, shows only the receipt, and
 * a completed session's receipt_url points at it. The print channels answer
 * "use Print" in serve mode.
 */
import type { IncomingMessage } from 'node:http'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PaymentSession } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
import { LOCAL_CALLER } from '../../src-main/engine/handlers'
import type { HttpServerHandle } from '../../src-main/http'
import { startHttpServer } from '../../src-main/http'
import { paySale } from '../support/paySale'
import { demoTokens, MERCHANT_ID, shopConfig } from '../support/shopConfig'
import type { TempDir } from '../support/tempDir'
import { makeTempDir } from '../support/tempDir'

let dir: TempDir
let app: App
let server: HttpServerHandle
const cleanups: Array<() => Promise<void>> = []

beforeAll(async () => {
  dir = makeTempDir('stablepay-receipts')
  cleanups.push(() => dir.cleanup())
  app = await startApp({
    dataDir: join(dir.path, 'data'),
    config: shopConfig({ chain: { tokens: demoTokens() }, rates: { manual: { JPY: '0.0067' } } }),
  })
  cleanups.push(() => app.stop())
  server = await startHttpServer({ app, port: 0, rendererDir: join(dir.path, 'no-renderer') })
  cleanups.push(() => server.close())
})

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

function get(path: string, method = 'GET'): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
  return new Promise((resolve, reject) => {
    // No cookie, no token: a customer's phone.
    const req = request({ host: '127.0.0.1', port: server.port, path, method }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end()
  })
}

const sale = (amount: string, currency = 'USD', extra: { token?: string; orderId?: string } = {}): PaymentSession =>
  app.engine.sessions.create({
    merchantId: MERCHANT_ID,
    livemode: false,
    orderId: extra.orderId ?? `order-${amount}-${currency}`,
    amount,
    currency,
    token: extra.token,
    metadata: { customer_email: 'secret@example.com' },
  }).session

describe('the public receipt page', () => {
  it('shows a paid sale without login, and nothing but the receipt', async () => {
    const s = sale('25.50', 'USD', { orderId: 'table-12-secret-ref' })
    const tx = paySale(app.engine, s)
    const done = app.engine.sessions.get(s.id, { merchantId: MERCHANT_ID })
    expect(done.receipt_url).toBe(`${server.url}/receipt/${s.id}`)

    const res = await get(`/receipt/${s.id}`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
    expect(res.text).toContain('Corner Cafe')
    expect(res.text).toContain('25.50 USD')
    expect(res.text).toContain(s.payment_options[0]!.amount)
    expect(res.text).toContain(`${tx.slice(0, 10)}...${tx.slice(-8)}`)
    expect(res.text).toContain(s.id)
    // No metadata, no order reference, no addresses (the customer's or the shop's).
    for (const secret of ['secret@example.com', 'customer_email', 'table-12-secret-ref', s.payment_options[0]!.address, '0x70997970'])
      expect(res.text).not.toContain(secret)
    expect((await get(`/receipt/${s.id}`, 'HEAD')).status).toBe(200)
  })

  it('answers 404, the same words, for a pending, an expired-looking or an unknown id, and refuses writes', async () => {
    const pending = sale('3.00')
    const other = await get(`/receipt/ps_${'x'.repeat(24)}`)
    const notPaid = await get(`/receipt/${pending.id}`)
    expect(notPaid.status).toBe(404)
    expect(other.status).toBe(404)
    expect(notPaid.text).toBe(other.text)
    expect(notPaid.text).not.toContain('3.00')
    expect((await get('/receipt/')).status).toBe(404)
    expect((await get('/receipt/..%2F..%2Fetc%2Fpasswd')).status).toBe(404)
    expect((await get(`/receipt/${pending.id}`, 'POST')).status).toBe(405)
    // The receipt page is the only data a phone without sign-in gets. The screens themselves are public now (the
    // built bundle holds no secret, #13), so GET / is no longer refused; what they show comes over the bridge and
    // the downloads, which still want a signed-in device (or a one-time ticket).
    expect((await get('/bridge/events')).status).toBe(401)
    expect((await get('/export/sessions.csv')).status).toBe(401)
  })

  it('lays out a JPY sale with its rate, and an 18-decimal token to the last digit, for each paper', async () => {
    const jpy = sale('1500', 'JPY')
    paySale(app.engine, jpy)
    const page = await get(`/receipt/${jpy.id}`)
    expect(page.text).toContain('1,500 JPY')
    expect(page.text).toContain('1 JPY = 0.0067 USD')
    expect(page.text).toContain(`${jpy.amount_usd} USD`)

    const usdt = sale('1234.56', 'USD', { token: 'USDT' })
    paySale(app.engine, usdt)
    const exact = usdt.payment_options[0]!.amount
    expect(usdt.payment_options[0]!.decimals).toBe(18)
    for (const layout of ['58mm', '80mm', 'a4']) {
      const res = await get(`/receipt/${usdt.id}?layout=${layout}`)
      expect(res.status).toBe(200)
      expect(res.text).toContain(`data-layout="${layout}"`)
      // Thermal rolls may carry the amount on its own line; its digits are all there.
      expect(res.text.replace(/\s+/g, '')).toContain(`1,${exact.slice(1)}USDT`.replace(/\s+/g, ''))
    }
  })

  it('in serve mode, the print channels say to use the browser Print; a receipt is read through receipts:get', async () => {
    const s = sale('7.00')
    paySale(app.engine, s)
    const printed = await app.handlers.invoke('receipts:print', { id: s.id }, LOCAL_CALLER)
    expect(printed).toMatchObject({ ok: false, error: { code: 'print_in_browser' } })
    expect(printed.ok ? '' : printed.error.message).toMatch(/^In the browser, use Print/)
    expect(await app.handlers.invoke('receipts:save-pdf', { id: s.id }, LOCAL_CALLER)).toMatchObject({
      ok: false,
      error: { code: 'print_in_browser' },
    })
    expect(await app.handlers.invoke('receipts:printers', undefined, LOCAL_CALLER)).toEqual({ ok: true, value: [] })
    const got = await app.handlers.invoke('receipts:get', { id: s.id }, LOCAL_CALLER)
    expect(got).toMatchObject({ ok: true, value: { id: s.id, amount: '7.00', receipt_url: `${server.url}/receipt/${s.id}` } })
    expect(await app.handlers.invoke('receipts:get', { id: sale('8.00').id }, LOCAL_CALLER)).toMatchObject({
      ok: false,
      error: { code: 'resource_missing' },
    })
  })
})
