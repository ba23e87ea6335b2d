/**
 * The desktop app's choice of better-sqlite3 build (src-main/electron/sqliteBinding.ts),
 * the script that prepares the Electron one (scripts/lib/electronSqlite.ts), and the
 * engine really loading whatever build it is given (nativeBinding option, worker threads too).
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BINDING_FILE, chooseSqliteBinding, electronBuildDir, SqliteBindingError } from '../../src-main/electron/sqliteBinding'
import { createEngine } from '../../src-main/engine'
import { useNativeBinding } from '../../src-main/engine/db/nativeBinding'
import { buildEnv, ElectronSqliteError, ensureElectronSqlite, installedElectron, packageBinding } from '../../scripts/lib/electronSqlite'
import type { RunResult } from '../../scripts/lib/electronSqlite'
import { makeTempDir } from '../support/tempDir'
import type { TempDir } from '../support/tempDir'

const ROOT = resolve(import.meta.dirname, '../..')
const NODE_BUILD = join(ROOT, 'node_modules/better-sqlite3/build/Release', BINDING_FILE)
const TARGET = { electron: '45.5.0', abi: '150', platform: 'linux' as const, arch: 'x64' }

let dir: TempDir
afterEach(async () => {
  useNativeBinding(undefined)
  await dir?.cleanup()
})

describe('which build the app loads', () => {
  const electronVersions = { modules: '150', electron: '45.5.0' }

  it('plain Node (tests, serve mode) keeps better-sqlite3 own build', () => {
    expect(chooseSqliteBinding({ versions: { modules: '115' }, platform: 'linux', arch: 'x64', packaged: false, root: ROOT })).toBeUndefined()
  })

  it('Electron from the source tree loads the native/ build for its ABI, platform and arch', () => {
    const expected = join(ROOT, 'native/better-sqlite3-electron-v150-linux-x64', BINDING_FILE)
    const chosen = chooseSqliteBinding({ versions: electronVersions, platform: 'linux', arch: 'x64', packaged: false, root: ROOT, exists: (p) => p === expected })
    expect(chosen).toBe(expected)
  })

  it('the installed app loads the build packed into resources/native', () => {
    const chosen = chooseSqliteBinding({
      versions: electronVersions,
      platform: 'win32',
      arch: 'x64',
      packaged: true,
      resourcesPath: 'C:/Program Files/StablePay POS/resources',
      root: 'C:/Program Files/StablePay POS/resources/app.asar',
      exists: () => true,
    })
    expect(chosen).toBe(join('C:/Program Files/StablePay POS/resources', 'native', BINDING_FILE))
  })

  it('a missing Electron build is one sentence saying what to run, never the Node build', () => {
    const ask = () => chooseSqliteBinding({ versions: electronVersions, platform: 'linux', arch: 'x64', packaged: false, root: ROOT, exists: () => false })
    expect(ask).toThrow(SqliteBindingError)
    expect(ask).toThrow(/^No SQLite module built for Electron 45\.5\.0 is in .*; start the app with "npm start" or "npm run dev", which prepare it\.$/)
  })
})

describe('preparing the Electron build (npm start, npm run dev, npm run dist)', () => {
  /** A source tree with a stand-in better-sqlite3 package that has a Node build. */
  function tree(): string {
    dir = makeTempDir('stablepay-native')
    const pkg = join(dir.path, 'node_modules/better-sqlite3')
    mkdirSync(join(pkg, 'build/Release'), { recursive: true })
    mkdirSync(join(pkg, 'src'), { recursive: true })
    writeFileSync(join(pkg, 'package.json'), '{"name":"better-sqlite3","version":"12.11.1"}')
    writeFileSync(join(pkg, 'src/better_sqlite3.cpp'), '// sources')
    writeFileSync(join(pkg, 'build/Release', BINDING_FILE), 'node build')
    return dir.path
  }
  const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

  it('takes the prebuilt binary when it downloads, in a scratch copy: the Node build is untouched', async () => {
    const root = tree()
    const nodeBuild = join(root, 'node_modules/better-sqlite3/build/Release', BINDING_FILE)
    const before = hash(nodeBuild)
    const calls: string[] = []
    const result = await ensureElectronSqlite({
      root,
      target: TARGET,
      run: async (_command, args, cwd): Promise<RunResult> => {
        // The check that the result is not Node's: an Electron build does not load in Node.
        if (args[0] === '-e') return { ok: false, output: 'was compiled against a different Node.js version using NODE_MODULE_VERSION 150' }
        calls.push(args[0]!)
        // The scratch copy has the sources but not the Node build.
        expect(existsSync(join(cwd, 'src/better_sqlite3.cpp'))).toBe(true)
        expect(existsSync(join(cwd, 'build'))).toBe(false)
        mkdirSync(join(cwd, 'build/Release'), { recursive: true })
        writeFileSync(join(cwd, 'build/Release', BINDING_FILE), 'electron build')
        return { ok: true, output: 'ok' }
      },
    })
    expect(result).toEqual({ how: 'prebuilt', path: join(electronBuildDir(root, TARGET), BINDING_FILE) })
    expect(calls).toEqual([join(root, 'node_modules/prebuild-install/bin.js')])
    expect(readFileSync(result.path, 'utf8')).toBe('electron build')
    // …and the copy electron-builder packs is that same build.
    expect(readFileSync(packageBinding(root), 'utf8')).toBe('electron build')
    expect(hash(nodeBuild)).toBe(before)
    expect(existsSync(join(root, 'native/.work'))).toBe(false)
  })

  it('builds against Electron headers when no prebuilt binary comes, and next time finds it present', async () => {
    const root = tree()
    const calls: string[] = []
    const run = async (_command: string, args: readonly string[], cwd: string): Promise<RunResult> => {
      if (args[0] === '-e') return { ok: false, output: 'NODE_MODULE_VERSION 150' }
      calls.push(args[0]!)
      if (args[0]!.includes('prebuild-install')) return { ok: false, output: 'prebuild-install warn install getaddrinfo ENOTFOUND github.com' }
      expect(args).toContain('--runtime=electron')
      expect(args).toContain('--target=45.5.0')
      mkdirSync(join(cwd, 'build/Release'), { recursive: true })
      writeFileSync(join(cwd, 'build/Release', BINDING_FILE), 'built')
      return { ok: true, output: 'gyp info ok' }
    }
    expect((await ensureElectronSqlite({ root, target: TARGET, run })).how).toBe('built')
    expect(calls.map((c) => c.split('/').at(-1))).toEqual(['bin.js', 'node-gyp.js'])
    calls.length = 0
    expect((await ensureElectronSqlite({ root, target: TARGET, run })).how).toBe('present')
    expect(calls).toEqual([])
  })

  it('offline, it fails with one sentence and keeps the details in a log file', async () => {
    const root = tree()
    const attempt = ensureElectronSqlite({ root, target: TARGET, run: async () => ({ ok: false, output: 'gyp ERR! stack Error: ... network connectivity' }) })
    await expect(attempt).rejects.toThrow(ElectronSqliteError)
    const message = await attempt.catch((error: Error) => error.message)
    expect(message).toBe(
      'SQLite (better-sqlite3) for Electron 45.5.0 could not be downloaded or built, most likely because this machine is offline: ' +
        'connect it to the internet once and run the command again (details in native/electron-sqlite.log).',
    )
    expect(readFileSync(join(root, 'native/electron-sqlite.log'), 'utf8')).toContain('network connectivity')
    expect(existsSync(join(electronBuildDir(root, TARGET), BINDING_FILE))).toBe(false)
  })

  it('refuses a build this Node loads (built against Node headers, e.g. npm_config_nodedir=/usr): it is not Electron\'s', async () => {
    const root = tree()
    const run = async (_command: string, args: readonly string[], cwd: string): Promise<RunResult> => {
      if (args[0] === '-e') return { ok: true, output: '' }
      mkdirSync(join(cwd, 'build/Release'), { recursive: true })
      writeFileSync(join(cwd, 'build/Release', BINDING_FILE), 'node build again')
      return { ok: true, output: 'gyp info ok' }
    }
    await expect(ensureElectronSqlite({ root, target: TARGET, run })).rejects.toThrow(ElectronSqliteError)
    expect(readFileSync(join(root, 'native/electron-sqlite.log'), 'utf8')).toContain('it was built for Node, not Electron 45.5.0')
    // npm's own build settings never reach the build commands.
    expect(buildEnv({ npm_config_nodedir: '/usr', npm_config_cache: '/root/.npm', PATH: '/bin' })).toEqual({ npm_config_cache: '/root/.npm', PATH: '/bin' })
  })

  it('reads the installed Electron version and ABI without starting it', () => {
    const target = installedElectron(ROOT)
    expect(target.electron).toMatch(/^\d+\.\d+\.\d+/)
    expect(target.abi).toMatch(/^\d+$/)
  })
})

describe('the engine loads the build it is given', () => {
  it('opens the shop and takes a backup (worker thread) through the chosen build', async () => {
    dir = makeTempDir('stablepay-binding')
    useNativeBinding(NODE_BUILD)
    const engine = createEngine({ dataDir: dir.path })
    try {
      const state = await engine.backups.backupNow()
      expect(state.last?.file).toContain('backups')
    } finally {
      engine.close()
    }
  })

  it('a build that is not there stops the open: the option is really used', () => {
    dir = makeTempDir('stablepay-binding')
    useNativeBinding(join(dir.path, 'missing', BINDING_FILE))
    expect(() => createEngine({ dataDir: join(dir.path, 'shop') })).toThrow(/Cannot find module/)
  })

  it('the backup worker loads the chosen build too, not its own default', async () => {
    dir = makeTempDir('stablepay-binding')
    const engine = createEngine({ dataDir: dir.path })
    try {
      useNativeBinding(join(dir.path, 'missing', BINDING_FILE))
      await expect(engine.backups.backupNow()).rejects.toThrow(/Cannot find module/)
    } finally {
      engine.close()
    }
  })
})
