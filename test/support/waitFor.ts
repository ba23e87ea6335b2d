export interface WaitForOptions {
  timeoutMs: number
  /** Pause between attempts; default 20 ms. */
  intervalMs?: number
  /** Names the condition in the timeout error; defaults to the function's source. */
  label?: string
}

type Ready<T> = Exclude<T, null | undefined | false>

/**
 * Polls `fn` until it returns something other than null, undefined or false,
 * and resolves with that value. A throw counts as "not yet" (the last error is
 * reported on timeout). Calls never overlap, and a call that hangs past the
 * deadline still ends the wait.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitForOptions): Promise<Ready<T>> {
  const { timeoutMs, intervalMs = 20 } = opts
  const label = opts.label ?? fn.toString().replace(/\s+/g, ' ').slice(0, 160)
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  let lastValue: unknown
  let attempts = 0
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), timeoutMs)
  })
  try {
    for (;;) {
      attempts++
      const attempt = Promise.resolve()
        .then(fn)
        .then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        )
      const outcome = await Promise.race([attempt, expired])
      if (outcome === 'expired') break
      if (outcome.ok) {
        const v = outcome.value
        if (v !== null && v !== undefined && v !== false) return v as Ready<T>
        lastValue = v
      } else {
        lastError = outcome.error
      }
      if (Date.now() >= deadline) break
      const paused = await Promise.race([
        new Promise<'next'>((resolve) => setTimeout(() => resolve('next'), Math.min(intervalMs, Math.max(0, deadline - Date.now())))),
        expired,
      ])
      if (paused === 'expired') break
    }
  } finally {
    clearTimeout(timer)
  }
  const detail =
    lastError !== undefined
      ? `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
      : `last value: ${String(lastValue)}`
  throw new Error(`waitFor timed out after ${timeoutMs} ms (${attempts} attempts) waiting for: ${label}; ${detail}`)
}
