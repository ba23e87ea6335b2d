/**
 * Serve mode's entry (`npm run serve`, built to out/main/serve.js): the shop
 * in a plain Node process, no Electron. Prints one line once listening, stops
 * cleanly on SIGTERM/SIGINT/SIGHUP. Exit codes: 0 stopped, 1 bad config or
 * environment (nothing was written), 2 bad arguments.
 */
import { resolve } from 'node:path'
import type { ServeHandle } from './http'
import { listeningLine, parseServeArgs, runServe, ServeError, USAGE } from './http'

/** A stuck service must not keep a supervisor's stop waiting forever. */
const STOP_DEADLINE_MS = 10_000

async function main(): Promise<void> {
  const argv = process.argv.slice(2)
  let handle: ServeHandle
  try {
    if (parseServeArgs(argv).help) {
      process.stdout.write(USAGE)
      return
    }
    // Built next to out/renderer; __dirname is out/main in the CommonJS bundle.
    handle = await runServe({ argv, env: process.env, rendererDir: resolve(__dirname, '../renderer') })
  } catch (error) {
    if (!(error instanceof ServeError)) throw error
    process.stderr.write(`stablepay-pos: ${error.message}\n`)
    process.exitCode = error.exitCode
    // A failed start exits once everything it opened is closed; should something still hold the process
    // open (a socket, a timer), it must not linger looking alive: exit anyway, with the same code.
    setTimeout(() => process.exit(error.exitCode), 2000).unref()
    return
  }

  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches both `npm run serve`'s wrapper (which forwards it) and us: a repeat is not an order to hurry.
    if (stopping) return
    stopping = true
    process.stderr.write(`stablepay-pos: ${signal}: stopping\n`)
    const deadline = setTimeout(() => {
      process.stderr.write(`stablepay-pos: did not stop within ${STOP_DEADLINE_MS / 1000} s; exiting anyway\n`)
      process.exit(1)
    }, STOP_DEADLINE_MS)
    deadline.unref()
    handle.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stablepay-pos: error while stopping: ${error instanceof Error ? error.message : String(error)}\n`)
        process.exit(1)
      },
    )
  }
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop(signal))

  // The one line that carries the token (like Jupyter); nothing else ever logs it.
  process.stdout.write(`${listeningLine(handle)}\n`)
}

void main()
