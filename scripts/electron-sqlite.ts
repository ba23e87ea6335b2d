/**
 * `npm start`, `npm run dev` and `npm run dist` run this first: it makes sure
 * native/ holds better-sqlite3 built for the installed Electron (see
 * scripts/lib/electronSqlite.ts). On failure it prints one sentence and exits 1.
 */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { buildEnv, ElectronSqliteError, ensureElectronSqlite, installedElectron } from './lib/electronSqlite'
import type { RunResult } from './lib/electronSqlite'

const ROOT = resolve(import.meta.dirname, '..')

function run(command: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: buildEnv(process.env), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', (error) => done({ ok: false, output: `${output}${error.message}` }))
    child.on('close', (code) => done({ ok: code === 0, output }))
  })
}

async function main(): Promise<void> {
  try {
    const target = installedElectron(ROOT)
    const result = await ensureElectronSqlite({ root: ROOT, target, run })
    if (result.how !== 'present') process.stdout.write(`SQLite for Electron ${target.electron}: ${result.how} into ${result.path}\n`)
  } catch (error) {
    if (!(error instanceof ElectronSqliteError)) throw error
    process.stderr.write(`stablepay-pos: ${error.message}\n`)
    process.exitCode = 1
  }
}

void main()
