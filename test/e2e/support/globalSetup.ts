import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, SERVE_ENTRY } from '../../support/serve'

/**
 * The tests drive what `npm run build` makes (out/main/serve.js and
 * out/renderer), so build once before the workers start. STABLEPAY_SKIP_BUILD=1
 * reuses an existing build (CI after `npm run build`).
 */
export default function globalSetup(): void {
  if (process.env.STABLEPAY_SKIP_BUILD === '1' && existsSync(SERVE_ENTRY)) return
  const cli = join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js')
  const build = spawnSync(process.execPath, [cli, 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`electron-vite build failed (exit ${build.status}):\n${build.stderr}`)
}
