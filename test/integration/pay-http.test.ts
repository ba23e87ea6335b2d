/**
 * The payment page (#12) over real HTTP, as a customer's phone sees it (no
 * cookie, no token): `/pay/:id` shows what paying needs and nothing else of the
 * sale, `/pay/:id/status` answers only the state and the seconds left, an
 * unknown id is a 404 page, and one sale's page never shows another's data.
 */
import type { IncomingMessage } from 'node:http'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PaymentSession } from '../../src-preload/contract'
import type { App } from '../../src-main/app'
import { startApp } from '../../src-main/app'
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
  dir = makeTempDir('stablepay-pay')
  cleanups.push(() => dir.cleanup())
  app = await startApp({ dataDir: join(dir.path, 'data'), config: shopConfig({ chain: { tokens: demoTokens() } }) })
  cleanups.push(() => app.stop())
  server = await startHttpServer({ app, port: 0, rendererDir: join(dir.path, 'no-renderer') })
  cleanups.push(() => server.close())
})

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

interface Answer {
  status: number
  headers: IncomingMessage['headers']
  text: string
}

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end()
  })
}

const sale = (amount: string, orderId: string, extra: Record<string, unknown> = {}): PaymentSession =>
  app.engine.sessions.create({
    merchantId: MERCHANT_ID,
    livemode: false,
    orderId,
    amount,
    currency: 'USD',
    metadata: { customer_email: `${orderId}@example.com` },
    ...extra,
  }).session

/** Everything in a session a stranger must not learn from another sale's page. */
function secretsOf(s: PaymentSession): string[] {
  return [s.id, s.order_id, `${s.order_id}@example.com`, ...s.payment_options.map((o) => o.payment_uri)]
}

describe('the payment page', () => {
  it('shows an open sale to a phone without login: amount, every option with its QR, wallet link, address and amount', async () => {
    const s = sale('12.34', 'phone-order-1')
    const other = sale('56.78', 'phone-order-2')
    const res = await get(`/pay/${s.id}`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(res.headers['x-robots-tag']).toBe('noindex')
    // Strict: no inline script, no other origin, the one style sheet by its hash.
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self';")
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+';/)
    expect(csp).not.toContain('unsafe-inline')
    expect(res.text).toContain('<script type="module" src="/pay.js"></script>')
    expect(res.text).not.toMatch(/<script(?![^>]*src=)/)

    expect(res.text).toContain('Corner Cafe')
    expect(res.text).toContain('Price 12.34 USD')
    expect(s.payment_options.length).toBeGreaterThan(1)
    for (const option of s.payment_options) {
      const uri = option.payment_uri.replace(/&/g, '&#38;')
      expect(res.text).toContain(`data-payload="${uri}"`)
      expect(res.text).toContain(`href="${uri}"`)
      expect(res.text).toContain(`data-copy="${option.address}"`)
      expect(res.text).toContain(`data-copy="${option.amount}"`)
      expect(res.text).toContain(`${option.token} · ${option.network}`)
    }
    expect(res.text).toContain('Waiting for your payment')
    expect(res.text).toMatch(/Expires in \d+:\d\d/)
    // Nothing but what paying needs: not the order reference, not the metadata, not another sale.
    expect(res.text).not.toContain('phone-order-1')
    expect(res.text).not.toContain('@example.com')
    for (const secret of secretsOf(other)) expect(res.text).not.toContain(secret)
  })

  it('answers the status route with the state and seconds left only', async () => {
    const s = sale('3.00', 'status-1')
    const res = await get(`/pay/${s.id}/status`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    const body = JSON.parse(res.text) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['seconds_left', 'state'])
    expect(body.state).toBe('waiting')
    expect(body.seconds_left).toBeGreaterThan(0)
    expect(body.seconds_left).toBeLessThanOrEqual(s.expires_at - s.created_at)
  })

  it('answers an unknown, malformed or foreign-shaped id with the same 404, page or status', async () => {
    const s = sale('4.00', 'not-found-1')
    const unknown = `ps_${'A'.repeat(24)}`
    for (const id of [unknown, 'ps_short', '..%2F..%2Fetc%2Fpasswd', `${s.id}x`, `re_${s.id.slice(3)}`, '']) {
      const page = await get(`/pay/${id}`)
      expect(page.status, id).toBe(404)
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(page.text).toContain('Payment not found')
      for (const secret of secretsOf(s)) expect(page.text).not.toContain(secret)
      const status = await get(`/pay/${id}/status`)
      expect(status.status, id).toBe(404)
      expect(JSON.parse(status.text)).toMatchObject({ error: { type: 'not_found_error' } })
      for (const secret of secretsOf(s)) expect(status.text).not.toContain(secret)
    }
    expect((await get(`/pay/${s.id}`, {}, 'POST')).status).toBe(405)
  })

  it('speaks Chinese to a browser that prefers it', async () => {
    const s = sale('5.00', 'zh-1')
    const zh = await get(`/pay/${s.id}`, { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' })
    expect(zh.text).toContain('<html lang="zh-CN">')
    expect(zh.text).toContain('等待付款')
    expect(zh.headers.vary).toBe('Accept-Language')
    const en = await get(`/pay/${s.id}`, { 'Accept-Language': 'fr-FR,en;q=0.5,zh;q=0.4' })
    expect(en.text).toContain('Waiting for your payment')
    expect((await get('/pay/ps_nothing_here_at_all', { 'Accept-Language': 'zh' })).text).toContain('找不到此付款')
  })

  it('says paid once paid, with the way back to the shop; cancelled once cancelled, with the cancel_url', async () => {
    const paid = sale('6.00', 'paid-1', { successUrl: 'https://shop.example/thanks?order=1&x=<b>' })
    expect(paid.payment_url).toBe(`${server.url}/pay/${paid.id}`)
    paySale(app.engine, paid)
    const page = await get(`/pay/${paid.id}`)
    expect(page.status).toBe(200)
    expect(page.text).toContain('Paid. Thank you!')
    expect(page.text).toContain('href="https://shop.example/thanks?order=1&#38;x=&#60;b&#62;"')
    expect(page.text).toContain('data-success-url="https://shop.example/thanks?order=1&#38;x=&#60;b&#62;"')
    expect(page.text).not.toContain('data-payload=')
    expect(JSON.parse((await get(`/pay/${paid.id}/status`)).text)).toMatchObject({ state: 'paid' })

    const plain = sale('6.50', 'paid-2')
    paySale(app.engine, plain)
    const plainPage = await get(`/pay/${plain.id}`)
    expect(plainPage.text).toContain('Paid. Thank you!')
    expect(plainPage.text).not.toContain('data-success-url')

    const cancelled = sale('7.00', 'cancelled-1', { cancelUrl: 'https://shop.example/cart', successUrl: 'https://shop.example/thanks' })
    app.engine.sessions.cancel(cancelled.id, { merchantId: MERCHANT_ID })
    const gone = await get(`/pay/${cancelled.id}`)
    expect(gone.text).toContain('This payment was cancelled.')
    expect(gone.text).toContain('href="https://shop.example/cart"')
    expect(gone.text).not.toContain('data-payload=')
    expect(gone.text).not.toContain('https://shop.example/thanks')
    expect(JSON.parse((await get(`/pay/${cancelled.id}/status`)).text)).toMatchObject({
      state: 'cancelled',
      seconds_left: expect.any(Number),
    })
  })
})
