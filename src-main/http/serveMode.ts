import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { App } from '../app'
import { openApp, startApp } from '../app'
import { DATABASE_FILE, databaseProblem, EngineError } from '../engine'
import type { ConfigFile } from '../engine/config'
import { ConfigError, loadConfig } from '../engine/config'
import type { HttpServerHandle } from './server'
import { newAccessToken, startHttpServer, TOKEN_FORMAT } from './server'
import { restoreDatabase } from '../engine/backup'
import { startLogging } from '../engine/log'

export const USAGE = `Usage: npm run serve -- [--config FILE] [--data-dir DIR] [--host HOST] [--port PORT] [--renderer DIR]
                             [--restore BACKUP]

Runs StablePay POS without Electron: the engine, the REST API (/v1) and the
screens on http://HOST:PORT, guarded by an access token printed at start.

  --config FILE    JSON config applied at start (see examples/config.json);
                   its dataDir is relative to the file
  --data-dir DIR   where the shop's database lives (default: the config's
                   dataDir, else $STABLEPAY_DATA_DIR, else ~/.stablepay-pos)
  --host HOST      address to listen on (default: the config's, else 127.0.0.1)
  --port PORT      port to listen on; 0 picks a free one (default: the config's, else 7420)
  --renderer DIR   the built screens (default: out/renderer)
  --restore BACKUP put a backup (backups/stablepay-….sqlite) in place of the
                   shop's database first; it is checked, and the database it
                   replaces is kept in backups/ as before-restore-….sqlite

Logs: JSON lines to stderr and to DATA_DIR/logs/.

Environment: STABLEPAY_DATA_DIR, STABLEPAY_ACCESS_TOKEN (a fixed token, e.g.
for a kiosk bookmark: 16+ letters, digits, "_" or "-").
`

/** A reason to exit without a stack trace: 1 for a bad config or environment, 2 for bad arguments. */
export class ServeError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message)
    this.name = 'ServeError'
  }
}

export interface ServeArgs {
  /** --help or -h anywhere: the caller prints USAGE and serves nothing, whatever else was given. */
  help: boolean
  config?: string
  dataDir?: string
  host?: string
  port?: number
  rendererDir?: string
  /** A backup to put in place of the shop's database before starting (checked first; the current file is kept). */
  restore?: string
}

const OPTIONS = {
  config: { type: 'string' },
  restore: { type: 'string' },
  'data-dir': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  renderer: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

export function parseServeArgs(argv: readonly string[]): ServeArgs {
  // Not strict: parseArgs splits "--flag value" and "--flag=value" and reports everything else as tokens,
  // so serve mode keeps its own messages (each quoting the argument as typed) and exit code 2.
  const { values, tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true })
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help' && t.value === undefined)) return { help: true }
  for (const token of tokens) {
    if (token.kind !== 'option' || !Object.hasOwn(OPTIONS, token.name) || token.name === 'help')
      throw new ServeError(`unknown argument "${argv[token.index]}"\n\n${USAGE}`, 2)
    if (!token.value) throw new ServeError(`${token.rawName} needs a value`, 2)
  }
  const text = (name: Exclude<keyof typeof OPTIONS, 'help'>): string | undefined => values[name] as string | undefined
  const port = text('port')
  if (port !== undefined && (!/^\d{1,5}$/.test(port) || Number(port) > 65535))
    throw new ServeError(`--port must be 0-65535, not "${port}"`, 2)
  return {
    help: false,
    config: text('config'),
    dataDir: text('data-dir'),
    host: text('host'),
    port: port === undefined ? undefined : Number(port),
    rendererDir: text('renderer'),
    restore: text('restore'),
  }
}

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  return resolve(env.STABLEPAY_DATA_DIR || join(homedir(), '.stablepay-pos'))
}

export interface ServeOptions {
  argv: readonly string[]
  env?: NodeJS.ProcessEnv
  /** Where the built renderer is when --renderer is not given (the entry knows its own location). */
  rendererDir: string
  /** Event-stream heartbeat (tests shorten it). */
  heartbeatMs?: number
}

export interface ServeHandle {
  app: App
  http: HttpServerHandle
  dataDir: string
  /** Stops HTTP first (no new work), then the app's services and the database. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * What serve mode prints once it listens; the only place the token is ever
 * written. On the LAN it names the machine's own addresses (a tablet cannot
 * open 0.0.0.0) and says that the connection is plain HTTP.
 */
export function listeningLine(handle: ServeHandle): string {
  const lines = [`StablePay POS listening on ${handle.http.loginUrl}`]
  const [, ...others] = handle.http.lanOrigins
  for (const origin of others) lines.push(`  also at ${origin}/?token=${handle.http.token}`)
  if (handle.http.lanOrigins.length > 0)
    lines.push(
      '  Plain HTTP on the local network: anyone on it can read the traffic. Open the address above on this machine,',
      '  then add tablets and customer displays with a pairing code (Owner → Devices), not with this address.',
    )
  return lines.join('\n')
}

/**
 * Serve mode minus the process concerns (signals, exit codes, printing),
 * so tests can run it in-process. Throws ServeError for anything the user
 * must fix; nothing has been written when it does.
 */
export async function runServe(options: ServeOptions): Promise<ServeHandle> {
  const env = options.env ?? process.env
  const args = parseServeArgs(options.argv)
  let config: ConfigFile | undefined
  let dataDir = args.dataDir !== undefined ? resolve(args.dataDir) : defaultDataDir(env)
  let host = args.host ?? '127.0.0.1'
  let port = args.port ?? 7420
  if (args.config !== undefined) {
    try {
      const loaded = loadConfig(args.config)
      config = loaded.config
      if (args.dataDir === undefined) dataDir = loaded.dataDir
      host = args.host ?? loaded.host
      port = args.port ?? loaded.port
    } catch (error) {
      throw asServeError(error, dataDir)
    }
  }
  const token = env.STABLEPAY_ACCESS_TOKEN || newAccessToken()
  if (!TOKEN_FORMAT.test(token)) throw new ServeError('STABLEPAY_ACCESS_TOKEN must be 16-256 letters, digits, "_" or "-"')

  if (args.restore !== undefined) {
    try {
      const saved = restoreDatabase({
        dbFile: join(dataDir, DATABASE_FILE),
        from: resolve(args.restore),
        backupsDir: join(dataDir, 'backups'),
        now: Math.floor(Date.now() / 1000),
      })
      process.stderr.write(`stablepay-pos: restored ${resolve(args.restore)}; the database it replaced is kept as ${saved}\n`)
    } catch (error) {
      throw new ServeError(`--restore: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  // A config that fails half-way must leave no trace; a transaction covers an existing database,
  // but a new one would still be created empty. So a new shop's config is tried on a scratch copy first.
  if (config && !existsSync(join(dataDir, DATABASE_FILE))) rehearse(config)

  // Serve mode logs to the data folder's logs/ and to stderr; only once the config is known to be good, so a
  // refused one leaves no data folder behind.
  let stopLogging: () => Promise<void>
  try {
    stopLogging = await startLogging({ dataDir, stderr: true })
  } catch (error) {
    // A log folder that cannot be written stops the start with the reason, not a stack.
    throw asServeError(error, dataDir)
  }

  let app: App
  let url: string | null = null
  try {
    // Settings → API shows serve mode's own origin (its API is always on there).
    app = await startApp({ dataDir, config, serveUrl: () => url })
  } catch (error) {
    await stopLogging()
    throw asServeError(error, dataDir)
  }
  let http: HttpServerHandle
  try {
    http = await startHttpServer({
      app,
      host,
      port,
      token,
      rendererDir: args.rendererDir ?? options.rendererDir,
      heartbeatMs: options.heartbeatMs,
    })
  } catch (error) {
    // The server's own start writes too (it prunes old idempotency keys): a database or disk that fails
    // there stops the start like any other, with nothing left listening.
    await app.stop()
    await stopLogging()
    const problem = databaseProblem(error, join(dataDir, DATABASE_FILE))
    throw new ServeError(problem ?? (error instanceof Error ? error.message : String(error)))
  }
  url = http.url
  let stopping: Promise<void> | null = null
  return {
    app,
    http,
    dataDir,
    stop() {
      stopping ??= (async () => {
        try {
          await http.close()
        } finally {
          await app.stop()
          await stopLogging()
        }
      })()
      return stopping
    },
  }
}

function rehearse(config: ConfigFile): void {
  const scratch = mkdtempSync(join(tmpdir(), 'stablepay-config-check-'))
  try {
    // The same apply as the real start (webhook endpoints included), on a throwaway database.
    openApp({ dataDir: scratch, config }).engine.close()
  } catch (error) {
    throw asServeError(error, scratch)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

function asServeError(error: unknown, dataDir: string): unknown {
  if (error instanceof ConfigError) return new ServeError(`invalid config: ${error.message}`)
  // startApp only meets engine errors while applying the file (e.g. a network it resolves before its transaction).
  if (error instanceof EngineError) return new ServeError(`invalid config: ${error.param ? `${error.param}: ` : ''}${error.message}`)
  // The database or its folder cannot be used (empty, too new, read-only, damaged, a full disk): say where and why, without a stack.
  const problem = databaseProblem(error, join(dataDir, DATABASE_FILE))
  return problem === null ? error : new ServeError(problem)
}
