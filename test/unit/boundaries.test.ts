import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/** Every source file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|tsx)$/.test(name) ? [path] : []
  })
}
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2] ?? '',
  )

// The lint rules say the same; this test keeps the boundaries even if lint is skipped.
describe('process boundaries', () => {
  it('nothing under src-main/engine or src-main/http, nor serve mode, imports electron', () => {
    const files = [...sources('src-main/engine'), ...sources('src-main/http'), 'src-main/serve.ts', 'src-main/app.ts']
    for (const file of files)
      expect(
        importsOf(file).filter((s) => s === 'electron' || s.startsWith('electron/')),
        file,
      ).toEqual([])
  })

  it('the renderer imports no Node, better-sqlite3, electron, viem or main-process code', () => {
    for (const file of sources('src-renderer/src')) {
      const bad = importsOf(file).filter((s) => /^(node:|fs$|path$|better-sqlite3|electron|viem)/.test(s) || s.includes('src-main'))
      expect(bad, file).toEqual([])
    }
  })

  it('the channel schemas import only what the renderer may import too', () => {
    const bad = importsOf('src-preload/schemas.ts').filter(
      (s) => /^(node:|fs$|path$|better-sqlite3|electron|viem)/.test(s) || s.includes('src-main'),
    )
    expect(bad).toEqual([])
  })

  it('the sandboxed preload imports electron and the contract only (no zod, no schemas)', () => {
    expect([...new Set(importsOf('src-preload/index.ts'))].sort()).toEqual(['./contract', 'electron'])
  })

  it('code shared by the engine and the renderer imports only the contract and itself', () => {
    for (const file of sources('src-preload/shared')) {
      const bad = importsOf(file).filter((s) => s !== '../contract' && !/^\.\/[\w-]+$/.test(s))
      expect(bad, file).toEqual([])
    }
  })

  it('the contract holds only types and constants (type-only imports)', () => {
    const text = readFileSync('src-preload/contract.ts', 'utf8')
    expect(text).not.toMatch(/^import (?!type )/m)
    expect(text).not.toMatch(/\bfunction\b|\bclass\b/)
  })
})
