/**
 * kill -9 of the serve process in the middle of a burst of status changes:
 * after a restart on the same data folder, the back office (de-duplicating by
 * event id) has every committed event exactly once in its set, and nothing is
 * missing. Needs `npm run build` (out/main/serve.js) with the webhook sender
 * wired into the app.
 */
import Database from 'better-sqlite3'
import { createHmac } from 'node:crypto'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { getFreePort } from '../support/freePort'
import type { RecordedRequest } from '../support/httpReceiver'
import { startHttpReceiver } from '../support/httpReceiver'
import type { Serve } from '../support/serve'
import { SERVE_ENTRY as SERVE, startServe as startServeProcess } from '../support/serve'
import { shopConfig } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'

const MERCHANT = 'merchant_123'
const KEY = 'sk_test_webhooks_kill_test_key_000000000001'
const SECRET = 'whsec_kill_test_secret_0123456789abcdef'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Starts `node out/main/serve.js --config FILE` and resolves with its base URL once it prints the listening line. */
async function startServe(configFile: string): Promise<{ child: Serve['child']; base: string; exited: Promise<number | null> }> {
  const serve = await startServeProcess(['--config', configFile])
  cleanups.push(async () => {
    if (serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGKILL')
      await serve.exited
    }
  })
  return { child: serve.child, base: serve.origin, exited: serve.exited.then(({ code }) => code) }
}

function signatureHolds(req: RecordedRequest): boolean {
  const mac = createHmac('sha256', SECRET)
  mac.update(
    Buffer.concat([Buffer.from(`${String(req.headers['x-stablepay-timestamp'])}.${String(req.headers['x-stablepay-nonce'])}.`), req.body]),
  )
  return mac.digest('hex') === req.headers['x-stablepay-signature']
}

describe('kill -9 in the middle of a burst', () => {
  it('loses no event and, de-duplicated by id, delivers each exactly once after the restart', async () => {
    if (!existsSync(SERVE)) throw new Error(`${SERVE} is missing: run \`npm run build\` first`)
    const dir = makeTempDir('stablepay-webhooks-kill')
    cleanups.push(() => dir.cleanup())
    const receiver = await startHttpReceiver()
    cleanups.push(() => receiver.stop())
    // The first answers are quick; then eight requests hang (a slow back office) so that, with the
    // endpoint's slots held, a backlog of committed but undelivered events builds up before the kill.
    receiver.enqueue(
      ...Array.from({ length: 20 }, () => ({ kind: 'respond', status: 200 }) as const),
      ...Array.from({ length: 8 }, () => ({ kind: 'hang' }) as const),
    )

    const configFile = join(dir.path, 'config.json')
    writeFileSync(
      configFile,
      JSON.stringify(
        shopConfig({
          dataDir: 'data',
          http: { host: '127.0.0.1', port: 0 },
          keys: [KEY],
          chain: { rpcUrls: [`http://127.0.0.1:${await getFreePort()}`] },
          webhooks: [{ merchantId: MERCHANT, url: `${receiver.url}/hooks`, secret: SECRET }],
        }),
      ),
    )

    const first = await startServe(configFile)
    const api = async (base: string, path: string, body: object): Promise<{ id: string }> => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      if (res.status >= 300) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`)
      return (await res.json()) as { id: string }
    }

    // Four cashiers' worth of status changes at once, until the process dies under them.
    let completed = 0
    let order = 0
    const burst = Array.from({ length: 4 }, async () => {
      for (;;) {
        const n = ++order
        try {
          const session = await api(first.base, '/v1/payment/sessions/create', {
            merchant_id: MERCHANT,
            order_id: `kill-${n}`,
            amount: `${1 + Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`,
            currency: 'USD',
          })
          await api(first.base, `/v1/payment/sessions/${session.id}/cancel`, {})
          completed++
        } catch {
          return
        }
      }
    })
    await waitFor(() => completed >= 150 && receiver.requests.length >= 28, {
      timeoutMs: 30_000,
      label: 'a backlog behind the hung requests (is the webhook sender wired into the app and built?)',
    })
    first.child.kill('SIGKILL')
    await first.exited
    await Promise.all(burst)

    const dbFile = join(dir.path, 'data', 'stablepay.sqlite')
    const committed = (): string[] => {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true })
      try {
        return db.prepare('SELECT id FROM events ORDER BY seq').pluck().all() as string[]
      } finally {
        db.close()
      }
    }
    const atKill = committed()
    const receivedAtKill = new Set(receiver.requests.map((r) => String(r.headers['x-stablepay-event-id'])))
    // The kill really landed mid-stream: events were committed that the back office had not received.
    expect(atKill.length).toBeGreaterThanOrEqual(150)
    expect(atKill.length - receivedAtKill.size).toBeGreaterThan(50)

    // Restart on the same folder and config (applying it again changes nothing); no new status changes.
    const second = await startServe(configFile)
    const acknowledged = (): Set<string> =>
      new Set(
        receiver.requests
          .filter((r) => r.outcome.kind === 'responded' && r.outcome.status < 300)
          .map((r) => String(r.headers['x-stablepay-event-id'])),
      )
    await waitFor(() => atKill.every((id) => acknowledged().has(id)), { timeoutMs: 30_000, label: 'every committed event acknowledged' })

    const events = committed()
    expect(events).toEqual(atKill)
    const received = receiver.requests.map((r) => String(r.headers['x-stablepay-event-id']))
    // As a set: each event exactly once, none missing, none invented.
    expect([...new Set(received)].sort()).toEqual([...events].sort())
    expect([...acknowledged()].sort()).toEqual([...events].sort())
    for (const r of receiver.requests) expect(signatureHolds(r)).toBe(true)
    // At least once, not wildly more: the only repeats are the requests cut off by the kill.
    expect(received.length - events.length).toBeLessThanOrEqual(16)

    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  })
})
