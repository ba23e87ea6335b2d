/**
 * Serve mode as a real process (`node out/main/serve.js`, built by
 * `npm run build`): the listening line, clean stops, exit 1 on a bad config
 * with nothing written, dataDir relative to the config file, and durability
 * across a kill -9 in the middle of a burst of creates.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PaymentSession } from '../../src-preload/contract'
import { DATABASE_FILE } from '../../src-main/engine'
import type { ConfigFile } from '../../src-main/engine/config'
import { dump } from '../support/dump'
import type { Serve, ServeOptions } from '../support/serve'
import { SERVE_ENTRY, spawnServe } from '../support/serve'
import { shopConfig } from '../support/shopConfig'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'
import { ANVIL_XPUB } from '../unit/fixtures-xpub'

const KEY = 'sk_test_process_test_key_0000000000001'
const LINE = /^StablePay POS listening on (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([0-9a-f]{48})$/

const config: ConfigFile = shopConfig({ http: { host: '127.0.0.1', port: 0 }, keys: [KEY] })

let root: TempDir
const running = new Set<Serve>()

beforeAll(() => {
  if (!existsSync(SERVE_ENTRY)) throw new Error(`${SERVE_ENTRY} is missing: run \`npm run build\` first (npm test does it for you)`)
  root = makeTempDir('stablepay-serve')
})

afterAll(async () => {
  // Only our own children, by handle.
  for (const s of running) s.child.kill('SIGKILL')
  await root?.cleanup()
})

/** Serve mode in the test's folder, with nothing of this process's environment but PATH; the printed line must name 127.0.0.1 and a 48-hex token. */
function serve(args: string[], opts: ServeOptions = {}): Serve {
  const s = spawnServe(args, { cwd: opts.cwd ?? root.path, env: { PATH: process.env.PATH ?? '', HOME: root.path, ...opts.env }, entry: opts.entry })
  running.add(s)
  void s.exited.then(() => running.delete(s))
  const listening = s.listening.then((l) => {
    if (!LINE.test(l.line)) throw new Error(`serve printed an unexpected line: ${l.line}`)
    return l
  })
  listening.catch(() => undefined)
  return { ...s, listening }
}

function writeConfig(dir: string, file: ConfigFile | string, name = 'pos.json'): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  writeFileSync(path, typeof file === 'string' ? file : JSON.stringify(file, null, 2))
  return path
}

function createSession(origin: string, orderId: string): Promise<Response> {
  return fetch(`${origin}/v1/payment/sessions/create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ merchant_id: 'merchant_123', order_id: orderId, amount: '3.50', currency: 'USD' }),
  })
}

describe('node out/main/serve.js', () => {
  it('prints the listening line with a real port once listening, serves API and UI, and exits 0 on SIGTERM', async () => {
    const dir = join(root.path, 'basic')
    const file = writeConfig(dir, { ...config, dataDir: 'data' })
    const s = serve(['--config', file])
    const { origin, port, token } = await s.listening
    expect(port).toBeGreaterThan(0)
    expect(port).not.toBe(7420)
    const created = await createSession(origin, 'order_001')
    expect(created.status).toBe(201)
    // The page opened with the printed address signs in as a device (#13).
    const login = await fetch(`${origin}/bridge/sign-in`, { method: 'POST', body: JSON.stringify({ token }) })
    expect(login.status).toBe(200)
    s.child.kill('SIGTERM')
    expect(await s.exited).toEqual({ code: 0, signal: null })
    // stdout is exactly the one line; secrets appear nowhere else.
    expect(s.stdout()).toBe(`StablePay POS listening on ${origin}/?token=${token}\n`)
    expect(s.stderr()).not.toContain(token)
    expect(s.stderr()).not.toContain(KEY)
    expect(existsSync(join(dir, 'data', `${DATABASE_FILE}-wal`))).toBe(false)
  })

  it('exits 0 on SIGINT', async () => {
    const s = serve(['--config', writeConfig(join(root.path, 'sigint'), config)])
    await s.listening
    s.child.kill('SIGINT')
    expect(await s.exited).toEqual({ code: 0, signal: null })
  })

  it('puts dataDir relative to the config file, whatever the working directory', async () => {
    const confDir = join(root.path, 'relative', 'etc')
    const elsewhere = join(root.path, 'relative', 'cwd')
    mkdirSync(elsewhere, { recursive: true })
    const file = writeConfig(confDir, { ...config, dataDir: '../state/shop' })
    const s = serve(['--config', file], { cwd: elsewhere })
    await s.listening
    s.child.kill('SIGTERM')
    await s.exited
    expect(existsSync(join(root.path, 'relative', 'state', 'shop', DATABASE_FILE))).toBe(true)
    expect(existsSync(join(elsewhere, 'state'))).toBe(false)
  })

  it('applying the config at two starts gives an identical database', async () => {
    const dir = join(root.path, 'twice')
    const file = writeConfig(dir, { ...config, dataDir: 'data' })
    const dumps: Array<Record<string, unknown[]>> = []
    for (let i = 0; i < 2; i++) {
      const s = serve(['--config', file])
      await s.listening
      s.child.kill('SIGTERM')
      expect((await s.exited).code).toBe(0)
      dumps.push(dump(join(dir, 'data')))
    }
    expect(dumps[1]).toEqual(dumps[0])
  })

  it('uses STABLEPAY_DATA_DIR without --config', async () => {
    const dataDir = join(root.path, 'env-data')
    const s = serve(['--port', '0'], { env: { STABLEPAY_DATA_DIR: dataDir } })
    await s.listening
    s.child.kill('SIGTERM')
    expect((await s.exited).code).toBe(0)
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(true)
  })

  const badConfigs: Array<[string, string, RegExp]> = [
    [
      'a bad address',
      JSON.stringify(withReceive({ mode: 'address', address: '0x9965507D1a55bcC2695C58ba16FB37d819B0A4dC' })),
      /checksum mismatch/,
    ],
    ['a bad xpub', JSON.stringify(withReceive({ mode: 'xpub', xpub: ANVIL_XPUB.slice(0, 100) })), /not a valid xpub/],
    ['an unknown key', JSON.stringify({ ...config, dataDir: 'data', colour: 'blue' }), /colour/],
    ['bad JSON', '{ "merchants": [ ', /not valid JSON/],
    [
      'a key for an unknown merchant',
      JSON.stringify({ ...config, dataDir: 'data', apiKeys: [{ key: KEY, merchantId: 'ghost' }] }),
      /ghost/,
    ],
  ]

  it.each(badConfigs)('exits 1 on %s, with the reason on stderr and no data dir', async (_name, text, reason) => {
    const dir = join(root.path, `bad-${_name.replace(/\W+/g, '-')}`)
    const file = writeConfig(dir, text)
    const s = serve(['--config', file])
    expect(await s.exited).toEqual({ code: 1, signal: null })
    expect(s.stderr()).toMatch(/^stablepay-pos: invalid config: /)
    expect(s.stderr()).toMatch(reason)
    expect(s.stdout()).toBe('')
    expect(existsSync(join(dir, 'data'))).toBe(false)
  })

  it('exits 1 on a bad config for an existing shop and changes nothing in it', async () => {
    const dir = join(root.path, 'bad-existing')
    const good = writeConfig(dir, { ...config, dataDir: 'data' })
    const first = serve(['--config', good])
    await first.listening
    first.child.kill('SIGTERM')
    await first.exited
    const before = dump(join(dir, 'data'))
    const renamedAndBroken: ConfigFile = {
      ...config,
      dataDir: 'data',
      merchants: [
        { ...config.merchants![0]!, name: 'Renamed' },
        { id: 'second', name: 'Second', currency: 'USD', receive: { mode: 'xpub', xpub: 'xpub-nonsense' } },
      ],
    }
    const s = serve(['--config', writeConfig(dir, renamedAndBroken, 'bad.json')])
    expect((await s.exited).code).toBe(1)
    expect(s.stderr()).toMatch(/not a valid xpub/)
    expect(dump(join(dir, 'data'))).toEqual(before)
  })

  it('npm run serve (scripts/serve.mjs) passes the arguments on, keeps stdout to the one line, and forwards SIGTERM', async () => {
    const dataDir = join(root.path, 'wrapper-data')
    // The build itself is npm test's job; here only the wrapper's own behaviour is under test.
    const s = serve(['--port', '0', '--data-dir', dataDir], {
      entry: resolve(__dirname, '../../scripts/serve.mjs'),
      env: { STABLEPAY_SKIP_BUILD: '1' },
    })
    const { origin } = await s.listening
    expect((await fetch(`${origin}/v1/payment/sessions`)).status).toBe(401)
    s.child.kill('SIGTERM')
    expect(await s.exited).toEqual({ code: 0, signal: null })
    expect(s.stdout().trim().split('\n')).toHaveLength(1)
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(true)
  })

  it('exits 2 on bad arguments', async () => {
    const s = serve(['--what'])
    expect((await s.exited).code).toBe(2)
    expect(s.stderr()).toMatch(/unknown argument "--what"/)
  })
})

describe('kill -9 in the middle of a burst of creates', () => {
  it('keeps every session whose create returned 2xx, and the database passes integrity_check', async () => {
    const dir = join(root.path, 'crash')
    const file = writeConfig(dir, { ...config, dataDir: 'data' })
    const first = serve(['--config', file])
    const { origin } = await first.listening

    const acknowledged: string[] = []
    const KILL_AFTER = 300
    let killed = false
    let n = 0
    // Eight clients hammer creates; once 300 were acknowledged the process is killed while the rest are in flight.
    const worker = async () => {
      for (;;) {
        try {
          const res = await createSession(origin, `burst_${n++}`)
          const body = (await res.json()) as PaymentSession
          if (res.status >= 200 && res.status < 300) acknowledged.push(body.id)
          else throw new Error(`unexpected ${res.status}`)
        } catch (error) {
          if (killed) return
          throw error
        }
        if (acknowledged.length >= KILL_AFTER && !killed) {
          killed = true
          first.child.kill('SIGKILL')
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' })
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER)

    const db = new Database(join(dir, 'data', DATABASE_FILE))
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      const stored = new Set(db.prepare('SELECT id FROM sessions').pluck().all() as string[])
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([])
    } finally {
      db.close()
    }

    const second = serve(['--config', file])
    const again = await second.listening
    try {
      for (const id of acknowledged) {
        const res = await fetch(`${again.origin}/v1/payment/sessions/${id}`, { headers: { authorization: `Bearer ${KEY}` } })
        expect(res.status).toBe(200)
      }
    } finally {
      second.child.kill('SIGTERM')
      expect((await second.exited).code).toBe(0)
    }
  })
})

function withReceive(receive: { mode: 'address'; address: string } | { mode: 'xpub'; xpub: string }): ConfigFile {
  return { ...config, dataDir: 'data', merchants: [{ ...config.merchants![0]!, receive }] } as ConfigFile
}
