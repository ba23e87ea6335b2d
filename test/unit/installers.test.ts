/**
 * The installers' config (electron-builder.yml), loaded and validated by
 * electron-builder's own loader, then checked: the targets per OS, the app's
 * identity and icons, and what ends up in the app. electron-builder itself
 * cannot run here (it downloads Electron), so the `files` patterns are applied
 * to the real tree the way electron-builder applies them (last match wins).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import type { Configuration } from 'app-builder-lib'
import { DebugLogger } from 'builder-util'
import { Minimatch } from 'minimatch'
import { beforeAll, describe, expect, it } from 'vitest'
import { packagedBinding } from '../../src-main/electron/sqliteBinding'

const ROOT = resolve(import.meta.dirname, '../..')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
  scripts: Record<string, string>
}

let config: Configuration
beforeAll(async () => {
  config = await getConfig(ROOT, null, null)
  await validateConfiguration(config, new DebugLogger(false))
})

/** The `files` patterns, as electron-builder's loader normalised them ([{ filter: [...] }]). */
function filesPatterns(): string[] {
  const files = config.files as Array<string | { filter?: string[] }>
  return files.flatMap((entry) => (typeof entry === 'string' ? [entry] : (entry.filter ?? [])))
}

/** electron-builder's rule: a file is in when the last pattern that decides about it says so. */
function packed(path: string, patterns: readonly string[]): boolean {
  let match = false
  for (const pattern of patterns.map((p) => new Minimatch(p, { dot: true }))) {
    if (match !== pattern.negate) continue
    match = pattern.match(path)
  }
  return match
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? walk(full) : [relative(ROOT, full)]
  })
}

describe('electron-builder.yml', () => {
  it('names the app and builds AppImage and deb, NSIS and dmg, with the icon from resources/', () => {
    expect(config.appId).toBe('co.stablepay.pos')
    expect(config.productName).toBe('StablePay POS')
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    expect(config.win?.target).toEqual(['nsis'])
    expect(config.mac?.target).toEqual(['dmg'])
    for (const os of [config.linux, config.win, config.mac]) {
      expect(os?.icon).toBe('resources/icon.png')
      expect(existsSync(join(ROOT, os!.icon!))).toBe(true)
    }
    expect(pkg.scripts.dist).toMatch(/electron-sqlite\.ts && electron-vite build && electron-builder$/)
  })

  it('packs the built app and nothing of the tests, benches, sources or scripts', () => {
    const patterns = filesPatterns()
    const tree = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean)
    // The build's output when there is one (npm run build), and its known entries either way.
    const built = ['out/main/index.js', 'out/main/serve.js', 'out/main/index.js.map', 'out/preload/index.js', 'out/renderer/index.html']
    const inApp = new Set([...tree, ...built, ...walk(join(ROOT, 'out'))].filter((f) => packed(f, patterns)))
    for (const file of inApp) expect(file).toMatch(/^(package\.json|out\/(main|preload|renderer)\/.+)$/)
    for (const file of ['package.json', 'out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html']) expect(inApp).toContain(file)
    for (const file of ['out/main/serve.js', 'out/main/index.js.map']) expect(inApp).not.toContain(file)
    expect(tree.some((f) => f.startsWith('test/')) && tree.some((f) => f.startsWith('bench/'))).toBe(true)
  })

  it('packs better-sqlite3 JavaScript only: no Node build, no sources; the Electron build goes to resources/native', () => {
    const patterns = ['**/*', ...filesPatterns()]
    const files = walk(join(ROOT, 'node_modules/better-sqlite3'))
    const nodeBuilds = files.filter((f) => f.endsWith('.node'))
    expect(nodeBuilds.length).toBeGreaterThan(0)
    expect(nodeBuilds.filter((f) => packed(f, patterns))).toEqual([])
    expect(files.filter((f) => packed(f, patterns) && /\/(deps|src)\/|binding\.gyp$/.test(f))).toEqual([])
    expect(files.filter((f) => packed(f, patterns))).toContain('node_modules/better-sqlite3/lib/database.js')

    expect(config.extraResources).toEqual([{ from: 'native/package/better_sqlite3.node', to: 'native/better_sqlite3.node' }])
    // Where it lands is where the app looks for it.
    expect(packagedBinding('RESOURCES')).toBe(join('RESOURCES', 'native/better_sqlite3.node'))
    // electron-builder must not rebuild node_modules for Electron: that would replace the Node build the tests use.
    expect(config.npmRebuild).toBe(false)
    expect(config.nodeGypRebuild).toBe(false)
  })

  it('an update feed, when set, is a generic HTTPS one', () => {
    const publish = config.publish as { provider: string; url: string } | undefined | null
    if (publish == null) return
    expect(publish.provider).toBe('generic')
    expect(publish.url).toMatch(/^https:\/\//)
  })
})

describe('dependencies: what the app ships', () => {
  const importsOf = (dir: string) =>
    new Set(
      walk(join(ROOT, dir))
        .filter((f) => /\.tsx?$/.test(f))
        .flatMap((f) => [...readFileSync(join(ROOT, f), 'utf8').matchAll(/from '([^.'][^']*)'/g)].map((m) => m[1]!))
        .map((spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!))
        .filter((name) => !name.startsWith('node:') && name !== 'electron'),
    )

  it('the screens\' packages are devDependencies (vite bundles them), so they are not shipped twice', () => {
    const renderer = importsOf('src-renderer/src')
    expect(renderer.size).toBeGreaterThan(0)
    for (const name of renderer) expect({ name, shipped: name in pkg.dependencies }).toEqual({ name, shipped: false })
  })

  it('every shipped dependency is one the main process uses', () => {
    const main = new Set([...importsOf('src-main'), ...importsOf('src-preload')])
    for (const name of Object.keys(pkg.dependencies)) expect({ name, used: main.has(name) }).toEqual({ name, used: true })
  })
})
