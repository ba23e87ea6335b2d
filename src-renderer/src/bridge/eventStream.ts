import { EVENT_HEARTBEAT_MS } from '../../../src-preload/contract'

/**
 * Serve mode's push stream (`GET /bridge/events`), read with fetch and kept alive: it reconnects when the server
 * goes away, when it goes silent, and stops for good on a 401. No DOM here (fetch and streams are in Node too),
 * so the tests run this very loop against real servers (test/integration/event-stream-watchdog.test.ts).
 */
export interface EventStreamOptions {
  url: string
  /** The request's headers, credentials and cache mode, asked afresh at each (re)connect. */
  request(): RequestInit
  /** The server's heartbeat interval; EVENT_HEARTBEAT_MS unless a test runs its server faster. */
  heartbeatMs?: number
  /** The stream is open (first time or again). */
  onOpen(): void
  /** One event block (the text between blank lines). */
  onBlock(block: string): void
  /** The stream ended or could not open: the server is unreachable for now; a retry follows. */
  onDown(): void
  /** The server said 401 (revoked, idle 12 hours): the loop has ended; retrying cannot help. */
  onSignedOut(): void
  /** Ends the loop for good (a page that no longer listens; a test's end). */
  stop?: AbortSignal
}

const RETRY_MS = 2000
/**
 * A stream silent this many heartbeats is taken as a frozen server (TCP still open, nothing arriving: a hung
 * process, a sleeping laptop, a Wi-Fi that dropped without a reset): the page gives up on it and reconnects,
 * and the till shows the server as unreachable meanwhile. A bit over two, so one late heartbeat is not an outage.
 */
const SILENT_HEARTBEATS = 2.5

/** Runs until the server signs the device out or `stop` is aborted (then resolves); otherwise for good, reconnecting. */
export async function runEventStream(options: EventStreamOptions): Promise<void> {
  const silentLimitMs = (options.heartbeatMs ?? EVENT_HEARTBEAT_MS) * SILENT_HEARTBEATS
  while (!options.stop?.aborted) {
    // The watchdog: anything arriving (an event, a heartbeat) pushes it back; silence past the limit aborts the
    // request, whether it hangs before the answer's head or mid-stream, and the loop reconnects.
    const controller = new AbortController()
    const stop = () => controller.abort()
    options.stop?.addEventListener('abort', stop)
    let watchdog = setTimeout(() => controller.abort(), silentLimitMs)
    const fed = () => {
      clearTimeout(watchdog)
      watchdog = setTimeout(() => controller.abort(), silentLimitMs)
    }
    try {
      const response = await fetch(options.url, { ...options.request(), signal: controller.signal })
      if (response.ok && response.body) {
        fed()
        options.onOpen()
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          fed()
          buffer += value.replace(/\r\n?/g, '\n')
          let end: number
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            options.onBlock(buffer.slice(0, end))
            buffer = buffer.slice(end + 2)
          }
        }
      } else if (response.status === 401) {
        // Signed out: the screens say so and ask for a sign-in, instead of this loop asking again every few seconds.
        void response.body?.cancel()
        options.onSignedOut()
        return
      }
    } catch {
      // The server went away, or the watchdog gave up on a silent one: try again, like EventSource would.
    } finally {
      clearTimeout(watchdog)
      controller.abort()
      options.stop?.removeEventListener('abort', stop)
    }
    if (options.stop?.aborted) return
    // The stream ended or could not open (server stopped, restarting, frozen): the till says so now, not at the next click.
    options.onDown()
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
  }
}
