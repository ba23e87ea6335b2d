/**
 * Serve mode as the shop runs it: `node out/main/serve.js ARGS` (built by
 * `npm run build`) in its own process, on the loopback port it is given (0 in
 * the configs here: a free one), ready once it prints its URL.
 */
import { resolve } from 'node:path'
import type { NodeProcess } from './nodeProcess'
import { spawnNode } from './nodeProcess'

export const ROOT = resolve(__dirname, '../..')
export const SERVE_ENTRY = resolve(ROOT, 'out/main/serve.js')

/** What serve mode prints once listening: "StablePay POS listening on http://HOST:PORT/?token=TOKEN". */
const LISTENING = /^StablePay POS listening on (http:\/\/[^/\s]+)\/\?token=(\S+)\r?\n/m

export interface Listening {
  /** http://127.0.0.1:PORT */
  origin: string
  port: number
  token: string
  /** The printed URL: visiting it swaps the token for a cookie. */
  loginUrl: string
  /** The whole printed line. */
  line: string
}

export interface Serve extends Omit<NodeProcess, 'ready'> {
  listening: Promise<Listening>
}

export interface ServeOptions {
  cwd?: string
  /** The whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv
  /** Another entry point taking the same arguments (e.g. scripts/serve.mjs). */
  entry?: string
  /** Run as this user and group (see spawnNode). */
  uid?: number
  gid?: number
}

/** Starts serve mode; `listening` resolves with the URL it prints (or rejects if it exits first). */
export function spawnServe(args: string[], options: ServeOptions = {}): Serve {
  const { ready, ...running } = spawnNode([options.entry ?? SERVE_ENTRY, ...args], {
    name: 'serve mode',
    ready: LISTENING,
    cwd: options.cwd ?? ROOT,
    env: options.env,
    uid: options.uid,
    gid: options.gid,
  })
  const listening = ready.then(([line, origin, token]) => ({
    origin: origin!,
    port: Number(new URL(origin!).port),
    token: token!,
    loginUrl: `${origin}/?token=${token}`,
    line: line.trimEnd(),
  }))
  listening.catch(() => undefined)
  return { ...running, listening }
}

/** Starts serve mode and waits until it listens. */
export async function startServe(args: string[], options: ServeOptions = {}): Promise<Serve & Listening> {
  const serve = spawnServe(args, options)
  try {
    return { ...serve, ...(await serve.listening) }
  } catch (error) {
    await serve.stop()
    throw error
  }
}
