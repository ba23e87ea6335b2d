import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { afterEach, expect, it } from 'vitest'
import { diagnosticsZip } from '../../src-main/engine/diagnostics'
import { errorFields, log, logLocation, REDACTED, startLogging, urlOrigin } from '../../src-main/engine/log'
import type { TempDir } from '../support/tempDir'
import { makeTempDir } from '../support/tempDir'
import { waitFor } from '../support/waitFor'

let dir: TempDir
let stop: (() => Promise<void>) | null = null
afterEach(async () => {
  await stop?.()
  stop = null
  await dir?.cleanup()
})

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)

it('writes JSON lines with a level, a time and the module, into the data folder\'s logs/', async () => {
  dir = makeTempDir('log')
  expect(logLocation()).toBeNull()
  stop = await startLogging({ dataDir: dir.path, level: 'debug' })
  const where = logLocation()!
  expect(where.dir).toBe(join(dir.path, 'logs'))
  log('watcher').warn({ chainId: 8453 }, 'RPC answered 429')
  log('http').debug('client went away mid-request')
  await stop()
  stop = null
  const [warn, debug] = lines(where.file)
  expect(warn).toMatchObject({ level: 'warn', module: 'watcher', chainId: 8453, msg: 'RPC answered 429' })
  expect(typeof warn!.time).toBe('string')
  expect(debug).toMatchObject({ level: 'debug', module: 'http' })
  expect(logLocation()).toBeNull()
})

it('never writes a secret, an API key, a token, a PIN or a webhook secret, at any depth', async () => {
  dir = makeTempDir('log')
  stop = await startLogging({ dataDir: dir.path })
  const secrets = {
    apiKey: 'sk_test_AAAAAAAAAAAAAAAAAAAAAAAA',
    token: 'tok_BBBBBBBBBBBBBBBBBBBB',
    pin: '482913',
    secret: 'whsec_CCCCCCCCCCCCCCCCCCCCCCCCCCC',
    authorization: 'Bearer sk_live_DDDDDDDDDDDDDDDDDDDD',
    cookie: 'stablepay_session=EEEEEEEEEEEEEEEEEEEE',
    recovery_code: 'FFFF-GGGG-HHHH',
    // Signed requests (#12): a key's API secret, as returned by api-keys:create.
    api_secret: 'sps_IIIIIIIIIIIIIIIIIIIIIIIIIIIIIIII',
  }
  const l = log('test')
  l.info(secrets, 'top level')
  l.info({ endpoint: { url: 'https://backoffice.example/hook', secret: secrets.secret } }, 'nested once')
  l.info({ request: { headers: { authorization: secrets.authorization, cookie: secrets.cookie } } }, 'nested twice')
  l.info({ key: { key: secrets.apiKey }, api_key: secrets.apiKey, password: 'hunter2hunter2' }, 'other names')
  l.info({ created: { id: 'key_1', api_secret: secrets.api_secret } }, 'a new key')
  const file = logLocation()!.file
  await stop()
  stop = null
  const text = readFileSync(file, 'utf8')
  for (const value of [...Object.values(secrets), 'hunter2hunter2']) expect(text).not.toContain(value)
  expect(text).toContain(REDACTED)
  // What is not secret is still there to read.
  expect(text).toContain('https://backoffice.example/hook')
})

it('rolls to a new file past the size cap and keeps a bounded number of files', async () => {
  dir = makeTempDir('log')
  stop = await startLogging({ dataDir: dir.path, maxFileBytes: 2048, keepFiles: 3 })
  const l = log('busy')
  for (let i = 0; i < 400; i++) {
    l.info({ i, filler: 'x'.repeat(100) }, 'line')
    if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5))
  }
  await new Promise((r) => setTimeout(r, 100))
  await stop()
  stop = null
  // ~70 KB were written; what stays is at most 3 files (old ones are removed in the background, just after a roll),
  // each about the cap (a file rolls once a write has passed it, so a busy moment can overshoot a little).
  const logs = join(dir.path, 'logs')
  const files = () => readdirSync(logs).filter((f) => f.endsWith('.log'))
  await waitFor(() => files().length <= 3, { timeoutMs: 5000, label: 'old log files removed' })
  expect(files().length).toBeGreaterThan(1)
  const onDisk = files().reduce((sum, f) => sum + statSync(join(logs, f)).size, 0)
  expect(onDisk).toBeLessThan(35_000)
})

it('logs an error as its message and stack, not the object it carries', () => {
  const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8545'), { code: 'ECONNREFUSED', config: { secret: 'x' } })
  const fields = errorFields(error)
  expect(fields.err).toMatchObject({ message: 'connect ECONNREFUSED 127.0.0.1:8545', code: 'ECONNREFUSED' })
  expect(JSON.stringify(fields)).not.toContain('config')
  expect(errorFields('plain').err.message).toBe('plain')
})

it('exports diagnostics as a zip of the logs and the till\'s description, with RPC URLs cut to their origin', async () => {
  dir = makeTempDir('diag')
  stop = await startLogging({ dataDir: dir.path })
  log('test').info({ token: 'tok_SECRETSECRETSECRET' }, 'hello')
  const logDir = logLocation()!.dir
  await stop()
  stop = null
  const info = {
    app: { name: 'StablePay POS', version: '0.1.0' },
    schemaVersion: 1,
    createdAt: '2026-12-03T10:00:00Z',
    platform: { node: process.version, os: process.platform, arch: process.arch },
    rpc: [urlOrigin('https://eth-mainnet.g.alchemy.com/v2/ALCHEMYKEY123'), urlOrigin('https://user:pw@rpc.example/?key=Q')],
  }
  const zip = unzipSync(await diagnosticsZip(logDir, info))
  const names = Object.keys(zip)
  expect(names).toHaveLength(2)
  expect(names).toContain('info.json')
  expect(names.find((n) => n !== 'info.json')).toMatch(/^logs\/stablepay\.\d+\.log$/)
  const all = Object.values(zip).map((b) => strFromU8(b)).join('\n')
  expect(all).toContain('"hello"')
  for (const secret of ['tok_SECRETSECRETSECRET', 'ALCHEMYKEY123', 'key=Q', 'pw@']) expect(all).not.toContain(secret)
  expect(JSON.parse(strFromU8(zip['info.json']!)).rpc).toEqual(['https://eth-mainnet.g.alchemy.com/…', 'https://rpc.example/…'])
  expect(urlOrigin('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545')
  expect(Object.keys(unzipSync(await diagnosticsZip(join(dir.path, 'none'), info)))).toEqual(['info.json'])
})

it('cuts URLs in an error\'s message and stack to their origin: RPC libraries quote the URL they called, key and all', async () => {
  const { HttpRequestError } = await import('viem')
  const error = new HttpRequestError({ url: 'https://eth-mainnet.g.alchemy.com/v2/SECRETKEY123', body: { method: 'eth_blockNumber' }, status: 401 })
  const fields = JSON.stringify(errorFields(error))
  expect(fields).not.toContain('SECRETKEY123')
  expect(fields).toContain('https://eth-mainnet.g.alchemy.com/…')
  expect(JSON.stringify(errorFields('failed at wss://node.example/ws?key=K9 now'))).toBe('{"err":{"message":"failed at wss://node.example/… now"}}')
})
