import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'

export interface NodeProcessOptions {
  /** What the process prints on stdout once it is up; `ready` resolves with the first match. */
  ready: RegExp
  /** Names the process in errors, e.g. "serve mode". */
  name: string
  cwd?: string
  /** The whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv
  /** 'pipe' keeps stdin open, so a child that watches it can tell when the test runner is gone. */
  stdin?: 'ignore' | 'pipe'
  /** How long `ready` may take; default 20 s. */
  readyTimeoutMs?: number
  /** Run as this user and group (a test running as root that needs file permissions to hold). */
  uid?: number
  gid?: number
}

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface NodeProcess {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** stdout and stderr as they arrived, for a failing test's log. */
  output(): string
  /** Rejects if the process exits, or the time runs out, before it prints `ready`. */
  ready: Promise<RegExpExecArray>
  exited: Promise<Exit>
  /** SIGTERM to this process's own PID (SIGKILL if it lingers 10 s); resolves once it has exited. */
  stop(): Promise<void>
}

/** `node ARGS` as a child process of the test, stopped only through its own handle. */
export function spawnNode(args: string[], options: NodeProcessOptions): NodeProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    uid: options.uid,
    gid: options.gid,
  })
  let stdout = ''
  let stderr = ''
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    output += chunk
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    output += chunk
  })
  // 'close', not 'exit': by then everything it printed has been read.
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })))
  const ready = new Promise<RegExpExecArray>((resolve, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 20_000
    const timer = setTimeout(() => reject(new Error(`${options.name} was not ready within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs)
    const check = (): void => {
      const match = options.ready.exec(stdout)
      if (!match) return
      clearTimeout(timer)
      child.stdout!.off('data', check)
      resolve(match)
    }
    child.stdout!.on('data', check)
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`${options.name} exited (${code ?? signal}) before it was ready:\n${output}`))
    })
  })
  // A test that expects the process to fail awaits `exited`, not `ready`.
  ready.catch(() => undefined)
  let stopping: Promise<void> | undefined
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    ready,
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      })()
      return stopping
    },
  }
}
