// `npm run serve -- [args]`: builds when the output is older than the sources,
// then runs out/main/serve.js with the args, forwarding stop signals.
// Build output goes to stderr so stdout carries only the server's own line
// (scripts wait for "StablePay POS listening on …").
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { constants } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const entry = join(root, 'out/main/serve.js')
const outputs = [entry, join(root, 'out/renderer/index.html')]
const sources = [
  'src-main',
  'src-preload',
  'src-renderer',
  'electron.vite.config.ts',
  'package.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
]

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

function stale() {
  if (!outputs.every((file) => existsSync(file))) return true
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs))
  return sources.some((source) => newestMtime(join(root, source)) > built)
}

if (process.env.STABLEPAY_SKIP_BUILD !== '1' && stale()) {
  process.stderr.write('stablepay-pos: sources changed since the last build; building…\n')
  // electron-vite's package exports do not expose its CLI file, so it is found where npm puts it.
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const build = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', 2, 2] })
  if (build.status !== 0) {
    process.stderr.write(`stablepay-pos: the build failed (exit ${build.status ?? build.signal}); not starting\n`)
    process.exit(1)
  }
}

const child = spawn(process.execPath, [entry, ...process.argv.slice(2)], { cwd: process.cwd(), stdio: 'inherit' })
// A terminal's Ctrl-C reaches the child too (same process group); the server treats a repeat as a no-op.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  })
}
child.on('error', (error) => {
  process.stderr.write(`stablepay-pos: cannot start ${entry}: ${error.message}\n`)
  process.exit(1)
})
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 1))
})
