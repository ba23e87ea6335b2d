/**
 * A start that cannot use the shop's database exits non-zero with the reason
 * and leaves nothing listening: serve mode as a real process (`node
 * out/main/serve.js`, built by `npm run build`) on real SQLite files that are
 * empty, read-only or damaged; and the HTTP server's own start, in-process,
 * on a database that refuses the write it makes once listening.
 */
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { execFileSync } from 'node:child_process'
import { connect } from 'node:net'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PaymentSession } from '../../src-preload/contract'
import { startApp } from '../../src-main/app'
import { DATABASE_FILE } from '../../src-main/engine'
import { startHttpServer } from '../../src-main/http'
import { getFreePort } from '../support/freePort'
import type { Serve, ServeOptions } from '../support/serve'
import { SERVE_ENTRY, spawnServe } from '../support/serve'
import { shopConfig } from '../support/shopConfig'
import type { TempDir } from '../support/tempDir'
import { makeTempDir } from '../support/tempDir'

const KEY = 'sk_test_start_failure_key_0000000000001'
/** As root, file permissions do not hold: the shop then runs as "nobody", as a shop's own user would. */
const NOBODY = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : null
/** How long a failed start may take to exit; one that is still running after this stayed up. */
const EXIT_WITHIN_MS = 15_000

let root: TempDir
const running = new Set<Serve>()

beforeAll(() => {
  if (!existsSync(SERVE_ENTRY)) throw new Error(`${SERVE_ENTRY} is missing: run \`npm run build\` first (npm test does it for you)`)
  root = makeTempDir('stablepay-start-failures')
  // Reachable by the "nobody" user when the tests run as root.
  chmodSync(root.path, 0o755)
})

afterAll(async () => {
  for (const s of running) s.child.kill('SIGKILL')
  await root?.cleanup()
})

function serve(args: string[], opts: ServeOptions = {}): Serve {
  const s = spawnServe(args, { cwd: root.path, env: { PATH: process.env.PATH ?? '', HOME: root.path }, ...opts })
  running.add(s)
  void s.exited.then(() => running.delete(s))
  return s
}

/** A real shop's data folder, made and cleanly stopped by serve mode itself. */
async function madeShop(name: string): Promise<string> {
  const dir = join(root.path, name)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'pos.json')
  writeFileSync(file, JSON.stringify({ ...shopConfig({ http: { host: '127.0.0.1', port: 0 }, keys: [KEY] }), dataDir: 'data' }))
  const s = serve(['--config', file])
  await s.listening
  s.child.kill('SIGTERM')
  expect((await s.exited).code).toBe(0)
  return join(dir, 'data')
}

/** Starts serve mode on `dataDir` and waits for it to exit; one still running after EXIT_WITHIN_MS is killed (and fails the test). */
async function start(dataDir: string, opts: ServeOptions = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const s = serve(['--port', '0', '--data-dir', dataDir], opts)
  const timer = setTimeout(() => s.child.kill('SIGKILL'), EXIT_WITHIN_MS)
  const { code, signal } = await s.exited
  clearTimeout(timer)
  if (signal) throw new Error(`serve mode was still running after ${EXIT_WITHIN_MS / 1000} s (it should have exited):\n${s.output()}`)
  return { code, stdout: s.stdout(), stderr: s.stderr() }
}

describe('serve mode refuses a database it cannot use, and exits', () => {
  it('a zero-length database file is refused with a message, not taken for a new shop', async () => {
    const dataDir = join(root.path, 'empty')
    mkdirSync(dataDir)
    writeFileSync(join(dataDir, DATABASE_FILE), '')
    const { code, stdout, stderr } = await start(dataDir)
    expect(code).toBe(1)
    expect(stdout).toBe('') // never listened
    expect(stderr).toMatch(/^stablepay-pos: the shop's database .*stablepay\.sqlite is empty \(0 bytes\)/)
    expect(stderr).toMatch(/move the empty file away to start a new shop/)
    // Left as it was found: still empty, nothing written beside it.
    expect(statSync(join(dataDir, DATABASE_FILE)).size).toBe(0)
    // (Serve mode's log folder aside.)
    expect(readdirSync(dataDir).filter((name) => name !== 'logs')).toEqual([DATABASE_FILE])
  })

  it('a read-only database exits 1 with the reason instead of staying up', async () => {
    const dataDir = await madeShop('read-only')
    if (NOBODY)
      for (const name of ['', ...readdirSync(dataDir, { recursive: true, encoding: 'utf8' })])
        chownSync(join(dataDir, name), NOBODY.uid, NOBODY.gid)
    chmodSync(join(dataDir, DATABASE_FILE), 0o444)
    const { code, stdout, stderr } = await start(dataDir, NOBODY ?? {})
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(
      /^stablepay-pos: the shop's database .*stablepay\.sqlite cannot be written \(attempt to write a readonly database\)/,
    )
  })

  it('a log folder that cannot be written exits 1 with the reason, not a stack', async () => {
    const dataDir = await madeShop('log-folder')
    const logs = join(dataDir, 'logs')
    if (NOBODY)
      for (const name of ['', ...readdirSync(dataDir, { recursive: true, encoding: 'utf8' })])
        if (!join(dataDir, name).startsWith(logs)) chownSync(join(dataDir, name), NOBODY.uid, NOBODY.gid)
    chmodSync(logs, 0o555)
    for (const name of readdirSync(logs)) chmodSync(join(logs, name), 0o444)
    const { code, stdout, stderr } = await start(dataDir, NOBODY ?? {})
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(
      /^stablepay-pos: cannot open the data folder .*: EACCES: permission denied, open '.*logs\/stablepay\.\d+\.log'\n$/,
    )
  })

  it('a damaged database exits 1 and says to restore a backup', async () => {
    const dataDir = await madeShop('damaged')
    const file = join(dataDir, DATABASE_FILE)
    // Every page after the first (the schema's) overwritten with zeros: the tables' pages are gone.
    const pageSize = 4096
    const size = statSync(file).size
    const fd = openSync(file, 'r+')
    try {
      for (let at = pageSize; at < size; at += pageSize) writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, at)
    } finally {
      closeSync(fd)
    }
    const { code, stdout, stderr } = await start(dataDir)
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^stablepay-pos: the shop's database .*stablepay\.sqlite is damaged \(.+\)\. Put a backup in its place/)
  })
})

describe('the HTTP server’s own start', () => {
  it('closes its port again when the database refuses the write it makes once listening', async () => {
    const dir = makeTempDir('stablepay-start-after-listen')
    const app = await startApp({ dataDir: dir.path, config: shopConfig({ keys: [KEY] }) })
    try {
      // The database turns read-only after the app opened it (a disk remounted read-only after an error does this).
      app.engine.db.pragma('query_only = 1')
      const port = await getFreePort()
      await expect(startHttpServer({ app, host: '127.0.0.1', port, rendererDir: dir.path })).rejects.toMatchObject({
        code: expect.stringMatching(/^SQLITE_READONLY/),
      })
      // Nothing is left listening there, answering 500s.
      const refused = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port })
        socket.once('connect', () => {
          socket.destroy()
          resolve('connected')
        })
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
      })
      expect(refused).toBe('ECONNREFUSED')
    } finally {
      await app.stop()
      await dir.cleanup()
    }
  })
})

/** A small tmpfs of our own, where the machine lets the tests mount one (root with CAP_SYS_ADMIN; not in most CI). */
function mountSmallDisk(path: string, size: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false
  mkdirSync(path, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', path], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('a real full disk (a small tmpfs)', () => {
  it('a start on a full disk exits 1 with the reason; a running shop answers writes 507, reads work, nothing acknowledged is lost', async (ctx) => {
    const mountPoint = join(root.path, 'small-disk')
    if (!mountSmallDisk(mountPoint, '4m')) {
      ctx.skip(
        'cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN); the full disk is tested with max_page_count in storage-full.test.ts',
      )
      return
    }
    try {
      const free = () => Number(execFileSync('df', ['-B1', '--output=avail', mountPoint], { encoding: 'utf8' }).trim().split('\n')[1])
      const fill = (name: string, leave: number) => writeFileSync(join(mountPoint, name), Buffer.alloc(Math.max(0, free() - leave)))
      const file = join(mountPoint, 'pos.json')
      writeFileSync(file, JSON.stringify({ ...shopConfig({ http: { host: '127.0.0.1', port: 0 }, keys: [KEY] }), dataDir: 'data' }))
      const made = serve(['--config', file])
      await made.listening
      made.child.kill('SIGTERM')
      expect((await made.exited).code).toBe(0)

      // Not a byte left: the start's first write (a WAL page) has nowhere to go.
      fill('filler-all', 0)
      expect(free()).toBe(0)
      const refused = await start(join(mountPoint, 'data'))
      expect(refused.code).toBe(1)
      expect(refused.stdout).toBe('')
      // SQLite says "database or disk is full", or "disk I/O error" when it cannot even make its shared-memory file.
      expect(refused.stderr).toMatch(
        /^stablepay-pos: the disk holding .*data is full \((database or disk is full|disk I\/O error)\)\. Free some space/,
      )
      rmSync(join(mountPoint, 'filler-all'))

      // Running, with a little room left: sales until the disk is full.
      const s = serve(['--config', file])
      const { origin } = await s.listening
      fill('filler', 256 * 1024)
      let orders = 0
      const create = () =>
        fetch(`${origin}/v1/payment/sessions/create`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            merchant_id: 'merchant_123',
            order_id: `disk-${++orders}`,
            amount: '4.20',
            currency: 'USD',
            metadata: { note: 'x'.repeat(400) },
          }),
        })
      const acknowledged: string[] = []
      let full: Response | null = null
      for (let burst = 0; burst < 200 && !full; burst++) {
        for (const res of await Promise.all(Array.from({ length: 16 }, create))) {
          expect([201, 507]).toContain(res.status)
          if (res.status === 201) acknowledged.push(((await res.json()) as PaymentSession).id)
          else full ??= res
        }
      }
      expect(full?.status).toBe(507)
      expect(((await full!.json()) as { error: { code: string } }).error.code).toBe('storage_full')
      const read = await fetch(`${origin}/v1/payment/sessions/${acknowledged.at(-1)}`, { headers: { authorization: `Bearer ${KEY}` } })
      expect(read.status).toBe(200)
      // It was up all along (its log could not be written either) and stops cleanly.
      s.child.kill('SIGTERM')
      expect((await s.exited).code).toBe(0)

      // Every acknowledged sale is in the file.
      const db = new Database(join(mountPoint, 'data', DATABASE_FILE), { readonly: true })
      try {
        const stored = new Set(db.prepare('SELECT id FROM sessions').pluck().all() as string[])
        expect(acknowledged.length).toBeGreaterThan(0)
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([])
      } finally {
        db.close()
      }
    } finally {
      execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' })
    }
  })
})
