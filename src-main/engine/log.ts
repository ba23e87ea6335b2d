import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { DestinationStream, Level, Logger, StreamEntry } from 'pino'
import pino from 'pino'
import roll from 'pino-roll'

/**
 * The app's log: JSON lines from pino, one child logger per module
 * (`{"module":"watcher",…}`). Nothing is written until the app's shell or serve mode calls
 * `startLogging` (serve mode: the data folder's `logs/` and stderr; the
 * desktop app: `logs/` only), so tests and scripts stay quiet.
 *
 * Secrets never reach the file: the redaction paths below replace them
 * whatever module logs them, and the tests check each kind.
 */

/** Field names that hold a secret, at any of the first three levels of a logged object. */
const SECRET_FIELDS = [
  'secret',
  'secrets',
  'apiKey',
  'api_key',
  'key',
  'token',
  'access_token',
  'password',
  'pin',
  'recovery_code',
  'authorization',
  'cookie',
  'set-cookie',
  'x-stablepay-signature',
  'secret_sealed',
  // Signed requests (#12): the API secret a key signs with.
  'api_secret',
]
export const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(f) ? f : `["${f}"]`
  const dot = key.startsWith('[') ? key : `.${key}`
  return [key, `*${dot}`, `*.*${dot}`]
})
export const REDACTED = '[redacted]'

const streams = pino.multistream([], { dedupe: false })
const root: Logger = pino(
  {
    level: 'debug',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    formatters: { level: (label) => ({ level: label }) },
  },
  streams,
)

/** A module's logger: `log('watcher').warn({ chainId }, 'RPC failed')`. */
export function log(module: string): Logger {
  return root.child({ module })
}

let current: { stream: { file: string }; dir: string } | null = null

/** The most log text held in memory while its file cannot be written. */
const LOG_BUFFER_BYTES = 1024 * 1024

/** Where the log is, for messages that say "the details are in the log" (null until logging started). */
export function logLocation(): { file: string; dir: string } | null {
  return current && { file: current.stream.file, dir: current.dir }
}

export interface LoggingOptions {
  /** The data folder: the log goes to its `logs/` folder. */
  dataDir: string
  /** Also to stderr (serve mode). */
  stderr?: boolean
  level?: Level
  /** Size of one file before the next is started; default 10 MB. */
  maxFileBytes?: number
  /** Files kept, the current one included; default 5 (so at most ~50 MB). */
  keepFiles?: number
}

/** Adds a destination to every logger; returns the id `streams.remove` takes (pino's multistream keeps it as lastId). */
function addStream(entry: StreamEntry): number {
  streams.add(entry)
  return (streams as unknown as { lastId: number }).lastId
}

/** Starts writing the log; returns stop(), which flushes and closes the file. */
export async function startLogging(options: LoggingOptions): Promise<() => Promise<void>> {
  const dir = join(options.dataDir, 'logs')
  mkdirSync(dir, { recursive: true })
  const level = options.level ?? 'info'
  // SonicBoom keeps the path it writes to in `file` (pino-roll reopens it on each roll); its types omit it.
  const file = (await roll({
    file: join(dir, 'stablepay'),
    extension: '.log',
    size: `${Math.max(1, Math.round((options.maxFileBytes ?? 10 * 1024 * 1024) / 1024))}k`,
    limit: { count: Math.max(1, (options.keepFiles ?? 5) - 1) },
    mkdir: true,
    // What cannot be written yet (a full disk) waits in memory up to this much; beyond it, lines are dropped.
    maxLength: LOG_BUFFER_BYTES,
  })) as unknown as DestinationStream & { file: string; end(): void; once(e: string, f: () => void): void }
  // The file is opened asynchronously; its path is known once it is.
  if (!file.file) await new Promise<void>((resolve, reject) => {
    ;(file as unknown as NodeJS.EventEmitter).once('ready', resolve).once('error', reject)
  })
  // A full disk must not take the till down with it: the log file's write error would otherwise be an
  // unhandled 'error' event, and the process would die with every sale. The lines wait (or are dropped, see
  // maxLength) and are written once there is room; stderr hears of it once.
  let told = false
  ;(file as unknown as NodeJS.EventEmitter).on('error', (error: NodeJS.ErrnoException) => {
    if (told) return
    told = true
    process.stderr.write(`stablepay-pos: cannot write the log ${file.file}: ${error.code ?? error.message}\n`)
  })
  const added: StreamEntry[] = [{ stream: file, level }]
  if (options.stderr) added.push({ stream: process.stderr, level })
  const ids = added.map(addStream)
  current = { stream: file, dir }
  return async () => {
    for (const id of ids) streams.remove(id)
    current = null
    await new Promise<void>((resolve) => {
      file.once('close', resolve)
      // Lines it cannot write (a full disk) are not waited for.
      file.once('error', resolve)
      file.end()
    })
  }
}

/** An error for a log line: its message and stack, never the objects it carries. */
export function errorFields(error: unknown): { err: { message: string; stack?: string; code?: string } } {
  // Field names cannot be redacted inside a message: an RPC library's error quotes the URL it called, key and all.
  if (!(error instanceof Error)) return { err: { message: scrubUrls(String(error)) } }
  const code = (error as { code?: unknown }).code
  return {
    err: { message: scrubUrls(error.message), stack: error.stack && scrubUrls(error.stack), ...(typeof code === 'string' ? { code } : {}) },
  }
}

/** `https://eth-mainnet.g.alchemy.com/v2/KEY` → `https://eth-mainnet.g.alchemy.com/…`: providers put keys in paths and queries. */
export function urlOrigin(url: string): string {
  try {
    const u = new URL(url)
    const hidden = u.pathname.length > 1 || u.search !== '' || u.username !== '' || u.password !== ''
    return `${u.protocol}//${u.host}${hidden ? '/…' : ''}`
  } catch {
    return '(not a URL)'
  }
}

/** Every http(s)/ws(s) URL in a text, cut to its origin. */
export function scrubUrls(text: string): string {
  return text.replace(/\b(?:https?|wss?):\/\/[^\s"'<>()]+/g, (url) => urlOrigin(url))
}

/** Every line logged until stop(), for tests that check what is (and what is never) written. */
export function captureLog(level: Level = 'debug'): { lines: Array<Record<string, unknown>>; text(): string; stop(): void } {
  const raw: string[] = []
  const id = addStream({ stream: { write: (line: string) => void raw.push(line) }, level })
  return {
    get lines() {
      return raw.map((l) => JSON.parse(l) as Record<string, unknown>)
    },
    text: () => raw.join(''),
    stop: () => void streams.remove(id),
  }
}

/** " (/path/to/logs)" for a message that sends a person to the log, or "" when none is written. */
export function whereLogIs(): string {
  const at = logLocation()
  return at ? ` (${at.dir})` : ''
}
