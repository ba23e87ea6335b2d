/**
 * Which compiled better-sqlite3 the desktop app loads. No electron import: the
 * shell passes in what Electron knows (versions, packaged, resources path), and
 * Node tests call it the same way.
 *
 * - Node (tests, serve mode): better-sqlite3's own build, as npm installed it.
 * - Electron from the source tree (`npm start`, `npm run dev`): the Electron-ABI
 *   build that scripts/electron-sqlite.ts puts in native/, beside the Node one,
 *   so neither runtime ever rebuilds the other's copy.
 * - The installed app: the one build electron-builder packed into resources/native/.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const BINDING_FILE = 'better_sqlite3.node'

export interface ElectronTarget {
  /** Electron's version (45.5.0) and the ABI it loads native modules for (process.versions.modules). */
  electron: string
  abi: string
  platform: NodeJS.Platform
  arch: string
}

/** The source tree's folder for one Electron build: a new Electron version or another machine gets its own. */
export function electronBuildDir(root: string, target: Pick<ElectronTarget, 'abi' | 'platform' | 'arch'>): string {
  return join(root, 'native', `better-sqlite3-electron-v${target.abi}-${target.platform}-${target.arch}`)
}

/** Inside an installed app: electron-builder's extraResources put the build here (electron-builder.yml). */
export function packagedBinding(resourcesPath: string): string {
  return join(resourcesPath, 'native', BINDING_FILE)
}

/** The desktop app cannot start without its SQLite build; the message is one sentence for whoever started it. */
export class SqliteBindingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SqliteBindingError'
  }
}

export interface BindingQuestion {
  versions: Pick<NodeJS.ProcessVersions, 'modules'> & { electron?: string }
  platform: NodeJS.Platform
  arch: string
  /** app.isPackaged */
  packaged: boolean
  /** process.resourcesPath (installed app) */
  resourcesPath?: string
  /** The source tree (app.getAppPath() when not packaged). */
  root: string
  exists?: (path: string) => boolean
}

/**
 * The path for better-sqlite3's `nativeBinding` option, or undefined for the
 * package's own build (plain Node). Throws SqliteBindingError when Electron's
 * build is missing: loading the Node build instead would fail with an ABI stack trace.
 */
export function chooseSqliteBinding(q: BindingQuestion): string | undefined {
  if (!q.versions.electron) return undefined
  const exists = q.exists ?? existsSync
  if (q.packaged) {
    const path = packagedBinding(q.resourcesPath ?? '')
    if (!exists(path)) throw new SqliteBindingError(`This installation of StablePay POS is missing its SQLite module (${path}); install it again.`)
    return path
  }
  const path = join(electronBuildDir(q.root, { abi: q.versions.modules, platform: q.platform, arch: q.arch }), BINDING_FILE)
  if (!exists(path))
    throw new SqliteBindingError(
      `No SQLite module built for Electron ${q.versions.electron} is in ${path}; start the app with "npm start" or "npm run dev", which prepare it.`,
    )
  return path
}
