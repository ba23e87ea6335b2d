/**
 * A back office that answers "200 OK" at once and then sends its response
 * body slowly (a framework streaming a page, a proxy trickling) has received
 * the event: the status line is its answer. The sender must count it as
 * delivered, not time it out and send it again.
 */
import { createServer } from 'node:http'
import type { Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { FileKeySecretBox, Webhooks } from '../../src-main/engine/webhooks'
import type { Shop } from '../unit/engineFixture'
import { openShop } from '../unit/engineFixture'

const MERCHANT = 'merchant_123'
const SECRET = 'whsec_slow_body_secret_0123456789abcdef'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Answers 200 with its headers at once, then one byte of body every 200 ms for `bodyMs`. */
async function slowBodyReceiver(bodyMs: number): Promise<{ url: string; received: () => number }> {
  let received = 0
  const open = new Set<ServerResponse>()
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received++
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.flushHeaders()
      open.add(res)
      const started = Date.now()
      const drip = setInterval(() => {
        if (res.destroyed || Date.now() - started >= bodyMs) {
          clearInterval(drip)
          open.delete(res)
          if (!res.destroyed) res.end('.')
          return
        }
        res.write('.')
      }, 200)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received: () => received }
}

describe('a receiver that answers 200 at once but sends its body slowly', () => {
  it('counts as delivered: the status line decides, the body is only a snippet with its own short limit', async () => {
    const shop: Shop = openShop()
    cleanups.push(() => shop.close())
    // The body takes 4 s; the whole request may take 1 s.
    const receiver = await slowBodyReceiver(4_000)
    const webhooks = new Webhooks(shop.engine, {
      secretBox: new FileKeySecretBox(shop.dir),
      fetchTimeoutMs: 1_000,
      retry: { random: () => 0.5 },
    })
    cleanups.push(() => webhooks.close())
    webhooks.createEndpoint(MERCHANT, { url: receiver.url, secret: SECRET })

    const { session } = shop.engine.sessions.create({
      merchantId: MERCHANT,
      livemode: false,
      orderId: 'slow-1',
      amount: '2.00',
      currency: 'USD',
    })
    shop.engine.sessions.cancel(session.id, { merchantId: MERCHANT })

    const started = performance.now()
    expect(await webhooks.runDue()).toBe(1)
    // Not held for the whole body either: a slow body must not keep a delivery slot busy.
    expect(performance.now() - started).toBeLessThan(3_000)
    const [delivery] = webhooks.deliveries(MERCHANT)
    expect(delivery).toMatchObject({ state: 'delivered', last_status: 200, last_error: null })
    expect(receiver.received()).toBe(1)
  })
})
