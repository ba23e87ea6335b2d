/**
 * kill -9 of the serve process between a refund's creation and its detection
 * (#11): the owner pays the refund while the till is down; after a restart on
 * the same data folder the refund is still there, the watcher finds the
 * transfer made while it was dead, and the back office gets a signed
 * `refund.succeeded`. Needs `npm run build` (out/main/serve.js).
 */
import { createHmac } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { getAddress } from 'viem'
import type { Address } from 'viem'
import { afterEach, describe, expect, it } from 'vitest'
import type { PaymentSession, Refund } from '../../src-preload/contract'
import { sendStablecoin } from '../../src-main/devnet'
import { startDevnet } from '../support/anvil'
import { startHttpReceiver } from '../support/httpReceiver'
import { SERVE_ENTRY, startServe } from '../support/serve'
import { demoTokens, MERCHANT_ID, SHOP_ADDRESS, shopConfig } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'

const KEY = 'sk_test_refunds_kill_key_0000000000000001'
const SECRET = 'whsec_refunds_kill_secret_0123456789abcdef'

const cleanups: Array<() => Promise<unknown> | unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: unknown; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result
}

describe('kill -9 between a refund and its detection', () => {
  it('keeps the refund, finds the transfer made while the till was down, and sends refund.succeeded', async () => {
    if (!existsSync(SERVE_ENTRY)) throw new Error(`${SERVE_ENTRY} is missing: run \`npm run build\` first`)
    const devnet = await startDevnet()
    cleanups.push(() => devnet.stop())
    const dir = makeTempDir('stablepay-refunds-kill')
    cleanups.push(() => dir.cleanup())
    const receiver = await startHttpReceiver()
    cleanups.push(() => receiver.stop())

    const configFile = join(dir.path, 'config.json')
    writeFileSync(
      configFile,
      JSON.stringify(
        shopConfig({
          dataDir: 'data',
          http: { host: '127.0.0.1', port: 0 },
          keys: [KEY],
          chain: { chainId: devnet.chainId, rpcUrls: [devnet.rpcUrl], confirmations: 1, pollIntervalMs: 100, tokens: demoTokens(devnet) },
          webhooks: [{ merchantId: MERCHANT_ID, url: `${receiver.url}/hooks`, secret: SECRET, events: ['refund.succeeded'] }],
        }),
      ),
    )
    const start = async () => {
      const serve = await startServe(['--config', configFile], { cwd: dir.path })
      cleanups.push(async () => {
        if (serve.child.exitCode === null && serve.child.signalCode === null) {
          serve.child.kill('SIGKILL')
          await serve.exited
        }
      })
      return serve
    }
    const api = async <T>(origin: string, path: string, body?: object): Promise<{ status: number; json: T }> => {
      const res = await fetch(`${origin}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      })
      return { status: res.status, json: (await res.json()) as T }
    }

    const first = await start()
    const created = await api<PaymentSession>(first.origin, '/v1/payment/sessions/create', {
      merchant_id: MERCHANT_ID,
      order_id: 'kill-refund-1',
      amount: '10.00',
      currency: 'USD',
    })
    expect(created.status).toBe(201)
    const option = created.json.payment_options.find((o) => o.token === 'USDC')!
    const customer = getAddress(devnet.accounts[3]!)
    await sendStablecoin(devnet.rpcUrl, {
      token: devnet.usdc,
      from: customer,
      to: option.address as Address,
      amount: BigInt(option.amount_base_units),
    })
    await waitFor(
      async () => (await api<PaymentSession>(first.origin, `/v1/payment/sessions/${created.json.id}`)).json.status === 'COMPLETED',
      {
        timeoutMs: 20_000,
        label: 'the sale completed',
      },
    )

    const refund = await api<Refund>(first.origin, '/v1/refunds/create', {
      session_id: created.json.id,
      refund_id: 'kill-r-1',
      amount: '4.00',
    })
    expect(refund.status).toBe(201)
    expect(refund.json.status).toBe('pending')

    // The till dies right after the refund is created; the owner pays it from the shop's wallet meanwhile.
    first.child.kill('SIGKILL')
    await first.exited
    await rpc(devnet.rpcUrl, 'anvil_impersonateAccount', [SHOP_ADDRESS])
    await rpc(devnet.rpcUrl, 'anvil_setBalance', [SHOP_ADDRESS, '0xDE0B6B3A7640000'])
    const paid = await sendStablecoin(devnet.rpcUrl, {
      token: devnet.usdc,
      from: SHOP_ADDRESS as Address,
      to: refund.json.destination as Address,
      amount: BigInt(refund.json.amount_base_units),
    })
    await rpc(devnet.rpcUrl, 'anvil_stopImpersonatingAccount', [SHOP_ADDRESS])

    const second = await start()
    // Nothing lost: the same refund (same id, same terms) is there after the crash.
    const again = await api<Refund>(second.origin, `/v1/refunds/${refund.json.id}`)
    expect(again.status).toBe(200)
    expect(again.json).toMatchObject({ id: refund.json.id, refund_id: 'kill-r-1', amount: '4.00', destination: customer })
    await waitFor(async () => (await api<Refund>(second.origin, `/v1/refunds/${refund.json.id}`)).json.status === 'succeeded', {
      timeoutMs: 20_000,
      label: 'the refund paid while the till was down is found after the restart',
    })
    const done = (await api<Refund>(second.origin, `/v1/refunds/${refund.json.id}`)).json
    expect(done.tx_hash).toBe(paid.hash)
    const session = (await api<PaymentSession>(second.origin, `/v1/payment/sessions/${created.json.id}`)).json
    expect(session).toMatchObject({ amount_refunded: '4.00', refunds: [refund.json.id] })

    await waitFor(() => receiver.requests.some((r) => r.text.includes('"refund.succeeded"')), {
      timeoutMs: 20_000,
      label: 'refund.succeeded delivered',
    })
    const hook = receiver.requests.find((r) => r.text.includes('"refund.succeeded"'))!
    const expected = createHmac('sha256', SECRET)
      .update(`${String(hook.headers['x-stablepay-timestamp'])}.${String(hook.headers['x-stablepay-nonce'])}.`)
      .update(hook.body)
      .digest('hex')
    expect(hook.headers['x-stablepay-signature']).toBe(expected)
    expect((JSON.parse(hook.text) as { data: { object: Refund } }).data.object).toMatchObject({ id: refund.json.id, status: 'succeeded' })
  }, 90_000)
})
