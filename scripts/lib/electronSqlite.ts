/**
 * Makes sure a better-sqlite3 build for the installed Electron exists in
 * native/ (beside the Node build npm installed, which tests keep using).
 * First a prebuilt binary (prebuild-install, from better-sqlite3's GitHub
 * releases), else a build against Electron's headers (node-gyp). Both run in
 * a scratch copy of the package, so node_modules/better-sqlite3 is never touched.
 * Offline, neither can get what it needs: the caller prints one sentence.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ElectronTarget } from '../../src-main/electron/sqliteBinding'
import { BINDING_FILE, electronBuildDir } from '../../src-main/electron/sqliteBinding'

export interface RunResult {
  ok: boolean
  output: string
}

export interface EnsureOptions {
  root: string
  target: ElectronTarget
  /** Runs a command to its end (tests pass their own). */
  run: (command: string, args: readonly string[], cwd: string) => Promise<RunResult>
}

/**
 * npm hands its own config to scripts as npm_config_* variables, and some name a
 * build target: Debian's npm sets nodedir=/usr, which would make node-gyp build
 * against this Node's headers and label the result Electron's. The children get none of them.
 */
const TARGET_SETTINGS = /^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|platform|build_from_source|devdir)$/i

export function buildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !TARGET_SETTINGS.test(key)))
}

export interface EnsureResult {
  path: string
  how: 'present' | 'prebuilt' | 'built'
}

export class ElectronSqliteError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ElectronSqliteError'
  }
}

/** The installed Electron's version and ABI, read from its package (without starting or downloading it). */
export function installedElectron(root: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): ElectronTarget {
  const pkg = join(root, 'node_modules/electron')
  if (!existsSync(join(pkg, 'package.json'))) throw new ElectronSqliteError('The electron package is not installed (node_modules/electron); run npm ci first.')
  const electron = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version
  const abiFile = join(pkg, 'abi_version')
  const abi = existsSync(abiFile) ? readFileSync(abiFile, 'utf8').trim() : abiFromNodeAbi(root, electron)
  return { electron, abi, platform, arch }
}

function abiFromNodeAbi(root: string, electron: string): string {
  const nodeAbi = createRequire(join(root, 'package.json'))('node-abi') as { getAbi(target: string, runtime: string): string }
  return nodeAbi.getAbi(electron, 'electron')
}

/** What electron-builder packs (extraResources in electron-builder.yml): the build for the Electron installed now. */
export function packageBinding(root: string): string {
  return join(root, 'native', 'package', BINDING_FILE)
}

export async function ensureElectronSqlite(options: EnsureOptions): Promise<EnsureResult> {
  const result = await findOrMake(options)
  mkdirSync(dirname(packageBinding(options.root)), { recursive: true })
  cpSync(result.path, packageBinding(options.root))
  return result
}

async function findOrMake(options: EnsureOptions): Promise<EnsureResult> {
  const { root, target } = options
  const dir = electronBuildDir(root, target)
  const path = join(dir, BINDING_FILE)
  if (existsSync(path)) return { path, how: 'present' }

  const work = join(root, 'native', '.work')
  const stage = join(work, 'better-sqlite3')
  const logFile = join(root, 'native', 'electron-sqlite.log')
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  // The package's sources and its own package.json (prebuild-install reads name, version and repository from it),
  // without its Node build: the scratch copy can only end up holding an Electron one.
  cpSync(join(root, 'node_modules/better-sqlite3'), stage, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) })
  const log: string[] = []
  try {
    const bin = (pkg: string, file: string) => join(root, 'node_modules', pkg, file)
    const attempts: Array<{ how: EnsureResult['how']; args: string[] }> = [
      {
        how: 'prebuilt',
        args: [bin('prebuild-install', 'bin.js'), '--runtime=electron', `--target=${target.electron}`, `--arch=${target.arch}`, `--platform=${target.platform}`, '--verbose'],
      },
      {
        how: 'built',
        args: [
          bin('node-gyp', 'bin/node-gyp.js'),
          'rebuild',
          '--release',
          '--runtime=electron',
          `--target=${target.electron}`,
          `--arch=${target.arch}`,
          '--dist-url=https://electronjs.org/headers',
        ],
      },
    ]
    for (const attempt of attempts) {
      const result = await options.run(process.execPath, attempt.args, stage)
      log.push(`$ ${attempt.args.join(' ')}\n${result.output}`)
      const built = join(stage, 'build', 'Release', BINDING_FILE)
      if (result.ok && existsSync(built) && target.abi !== process.versions.modules) {
        // A build this Node loads is Node's, whatever it was asked for; Electron would refuse it with a stack trace.
        const check = await options.run(process.execPath, ['-e', `require(${JSON.stringify(built)})`], stage)
        if (check.ok) {
          log.push(`${built} loads in Node ${process.version}: it was built for Node, not Electron ${target.electron}; not used`)
          continue
        }
      }
      if (result.ok && existsSync(built)) {
        mkdirSync(dir, { recursive: true })
        cpSync(built, path)
        return { path, how: attempt.how }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
    mkdirSync(join(root, 'native'), { recursive: true })
    writeFileSync(logFile, log.join('\n'))
  }
  throw new ElectronSqliteError(
    `SQLite (better-sqlite3) for Electron ${target.electron} could not be downloaded or built, most likely because this machine is offline: ` +
      `connect it to the internet once and run the command again (details in native/electron-sqlite.log).`,
  )
}
