import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export interface StartAnvilOptions {
  /** Fixed port; when omitted anvil binds port 0 and reports the port the kernel chose. */
  port?: number
  /** Interval mining in seconds (anvil --block-time). Omit for automine (one block per tx). */
  blockTime?: number
  /** Mine only on demand (evm_mine / anvil_mine). */
  noMining?: boolean
  /** Defaults to 31337, anvil's own default. */
  chainId?: number
  /** Genesis block time in Unix seconds (anvil --timestamp); later blocks keep the same distance from real time. */
  timestamp?: number
  /** Bound on how long to wait for the RPC to answer; defaults to 20 s. */
  readyTimeoutMs?: number
}

export interface Anvil {
  rpcUrl: string
  wsUrl: string
  port: number
  pid: number
  chainId: number
  /** anvil's 10 funded, unlocked dev accounts (eth_accounts). */
  accounts: `0x${string}`[]
  /** Kills the process by PID and resolves once it has exited. Idempotent. */
  stop(): Promise<void>
}

const HOST = '127.0.0.1'
const STOP_GRACE_MS = 5_000

// Children still alive, so a crashing test run or demo does not leave orphaned
// anvils holding ports. One process-level hook for all of them avoids
// MaxListenersExceeded warnings when many suites start nodes.
const liveChildren = new Set<ChildProcess>()
let exitHookInstalled = false
function trackChild(child: ChildProcess): void {
  liveChildren.add(child)
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const c of liveChildren) {
      try {
        c.kill('SIGKILL')
      } catch {
        // Already gone; nothing to clean up.
      }
    }
  })
}

/**
 * Path of the real anvil binary from the platform package that @foundry-rs/anvil
 * installs. We spawn it directly, not the node wrapper, so that killing our PID
 * kills anvil itself. ANVIL_BIN overrides it (e.g. a foundryup install in CI).
 */
export function resolveAnvilBinary(): string {
  const override = process.env['ANVIL_BIN']
  if (override) return override
  const archName: Record<string, string> = { x64: 'amd64', arm64: 'arm64' }
  const arch = archName[process.arch]
  if (!arch) throw new Error(`anvil: unsupported architecture ${process.arch}`)
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`
  const requireHere = createRequire(import.meta.url)
  let pkgJson: string
  try {
    pkgJson = requireHere.resolve(`${pkg}/package.json`)
  } catch {
    throw new Error(`anvil: ${pkg} is not installed (npm i -D @foundry-rs/anvil) and ANVIL_BIN is not set`)
  }
  return join(dirname(pkgJson), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil')
}

async function rpc<T>(url: string, method: string, params: unknown[] = [], timeoutMs = 2_000): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  })
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status}`)
  const body = (await res.json()) as { result?: T; error?: { code: number; message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.code} ${body.error.message}`)
  return body.result as T
}

type Ended = { code: number | null; signal: NodeJS.Signals | null; error?: Error }

async function launch(bin: string, opts: StartAnvilOptions, chainId: number): Promise<Anvil> {
  // --port 0 lets the kernel pick the port inside anvil itself, so unlike
  // probe-then-bind there is no window where another process (e.g. a parallel
  // test worker) takes the port and our readiness probe talks to the wrong node.
  const args = ['--host', HOST, '--port', String(opts.port ?? 0), '--chain-id', String(chainId)]
  if (opts.blockTime !== undefined) args.push('--block-time', String(opts.blockTime))
  if (opts.noMining) args.push('--no-mining')
  if (opts.timestamp !== undefined) args.push('--timestamp', String(opts.timestamp))

  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
  // Keep only the tail of stderr: enough to explain a failed start.
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000)
  })
  // stdout carries the banner (with anvil's public dev keys, which we never keep
  // or echo) and then the "Listening on host:port" line, which only the process
  // that actually bound the socket prints. Everything after it is drained and
  // dropped so anvil never blocks on a full pipe.
  let listenResolve: (port: number) => void = () => undefined
  const listening = new Promise<number>((resolve) => (listenResolve = resolve))
  let pending = ''
  let found = false
  child.stdout?.setEncoding('utf8')
  child.stdout?.on('data', (chunk: string) => {
    if (found) return
    pending = (pending + chunk).slice(-8_000)
    const m = /Listening on [^\s:]+:(\d+)/.exec(pending)
    if (m?.[1]) {
      found = true
      pending = ''
      listenResolve(Number(m[1]))
    }
  })
  let endedInfo: Ended | undefined
  const ended = new Promise<Ended>((resolve) => {
    child.once('exit', (code, signal) => resolve((endedInfo = { code, signal })))
    // spawn failures (ENOENT, EACCES) emit 'error' and may never emit 'exit'.
    child.once('error', (error) => resolve((endedInfo = { code: null, signal: null, error })))
  })
  void ended.then(() => liveChildren.delete(child))
  const pid = child.pid
  if (pid === undefined) {
    const e = await ended
    throw new Error(`anvil: failed to spawn ${bin}: ${e.error?.message ?? 'unknown error'}`)
  }
  trackChild(child)

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (endedInfo) return
      try {
        process.kill(pid, 'SIGTERM')
      } catch {
        // ESRCH: it exited between our check and the kill.
      }
      let timer: NodeJS.Timeout | undefined
      const graceful = await Promise.race([
        ended.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS))),
      ])
      clearTimeout(timer)
      if (!graceful) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // Already gone.
        }
        await ended
      }
    })()
    return stopping
  }

  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000
  const deadline = Date.now() + readyTimeoutMs
  const fail = async (message: string): Promise<never> => {
    await stop()
    throw new Error(message)
  }
  const exitedEarly = (e: Ended): string => {
    const how = e.error?.message ?? `code ${e.code}, signal ${e.signal}`
    return `anvil exited before it was ready (${how})${stderr.trim() ? `: ${stderr.trim()}` : ''}`
  }

  let deadlineTimer: NodeJS.Timeout | undefined
  const first = await Promise.race([
    listening.then((port) => ({ kind: 'listening' as const, port })),
    ended.then((e) => ({ kind: 'ended' as const, e })),
    new Promise<{ kind: 'timeout' }>((resolve) => {
      deadlineTimer = setTimeout(() => resolve({ kind: 'timeout' }), readyTimeoutMs)
    }),
  ])
  clearTimeout(deadlineTimer)
  if (first.kind === 'ended') throw new Error(exitedEarly(first.e))
  if (first.kind === 'timeout') return fail(`anvil did not report a listening port within ${readyTimeoutMs} ms`)
  const port = first.port

  const rpcUrl = `http://${HOST}:${port}`
  // Poll eth_chainId until it answers: that, not a fixed delay, is readiness.
  for (;;) {
    const outcome = await Promise.race([
      rpc<string>(rpcUrl, 'eth_chainId', [], 1_000).then(
        (r) => ({ kind: 'ok' as const, chainIdHex: r }),
        () => ({ kind: 'retry' as const }),
      ),
      ended.then((e) => ({ kind: 'ended' as const, e })),
    ])
    if (outcome.kind === 'ok') {
      const got = Number(outcome.chainIdHex)
      if (got !== chainId) return fail(`anvil: expected chain id ${chainId}, ${rpcUrl} answered ${got}`)
      break
    }
    if (outcome.kind === 'ended') throw new Error(exitedEarly(outcome.e))
    if (Date.now() > deadline) return fail(`anvil: ${rpcUrl} did not answer eth_chainId within ${readyTimeoutMs} ms`)
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 20)), ended])
  }

  let accounts: `0x${string}`[]
  try {
    accounts = await rpc<`0x${string}`[]>(rpcUrl, 'eth_accounts')
    // Per-request logging is only noise we would drain and discard.
    await rpc(rpcUrl, 'anvil_setLoggingEnabled', [false])
  } catch (err) {
    await stop()
    throw err
  }

  return { rpcUrl, wsUrl: `ws://${HOST}:${port}`, port, pid, chainId, accounts, stop }
}

/** Starts a local anvil on 127.0.0.1 and resolves once its JSON-RPC answers. */
export async function startAnvil(opts: StartAnvilOptions = {}): Promise<Anvil> {
  return launch(resolveAnvilBinary(), opts, opts.chainId ?? 31337)
}
