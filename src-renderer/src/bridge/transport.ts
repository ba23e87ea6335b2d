import type { Channel, InputOf, OutputOf, PushEventName, PushEvents, Result, Transport } from '../../../src-preload/contract'
import { PUSH_EVENTS } from '../../../src-preload/contract'

declare global {
  interface Window {
    /** Present in Electron: the preload's contextBridge API. */
    stablepay?: Transport
  }
}

/**
 * Serve mode: the same contract over HTTP (`POST /bridge/invoke/<channel>`) and
 * server-sent events (`GET /bridge/events`). The access token lives in an
 * HttpOnly cookie set by the server, so nothing secret is visible here.
 */
function httpTransport(base = ''): Transport {
  const listeners = new Map<PushEventName, Set<(payload: unknown) => void>>()
  const reconnectListeners = new Set<() => void>()
  const connectionListeners = new Set<(up: boolean) => void>()
  let source: EventSource | null = null
  let up: boolean | null = null
  const setUp = (next: boolean) => {
    if (up === next) return
    up = next
    for (const l of connectionListeners) l(next)
  }

  const connect = () => {
    if (source || typeof EventSource === 'undefined') return
    const current = new EventSource(`${base}/bridge/events`)
    source = current
    current.addEventListener('error', () => {
      // The stream dropped (server stopped or restarting): the till says so now, not at the next failed click.
      setUp(false)
      // EventSource retries by itself after a network error, but gives up for good on an HTTP error answer (a server
      // still starting, a proxy's 502): then open a new one, or the till would never hear of the sale again.
      if (current.readyState === EventSource.CLOSED && source === current) {
        source = null
        setTimeout(connect, 1000)
      }
    })
    for (const name of PUSH_EVENTS) {
      current.addEventListener(name, (e) => {
        const payload = JSON.parse((e as MessageEvent<string>).data) as unknown
        for (const l of listeners.get(name) ?? []) l(payload)
      })
    }
    current.addEventListener('open', () => {
      setUp(true)
      // Whenever the stream (re)opens, the UI refetches: a change pushed before it was live (a sale made while this
      // page was still connecting, or while EventSource was reconnecting by itself) is otherwise never shown.
      for (const l of reconnectListeners) l()
    })
  }

  return {
    async invoke<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
      let response: Response
      try {
        response = await fetch(`${base}/bridge/invoke/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? null),
          credentials: 'same-origin',
        })
      } catch {
        setUp(false)
        return { ok: false, error: { code: 'connection_lost', message: 'The app is not reachable. Check that StablePay POS is running.' } }
      }
      try {
        return (await response.json()) as Result<OutputOf<C>>
      } catch {
        return { ok: false, error: { code: 'bad_response', message: `Unexpected answer from the app (HTTP ${response.status}).` } }
      }
    },
    subscribe<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void {
      connect()
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(event, set)
      return () => set.delete(listener as (payload: unknown) => void)
    },
    onReconnect(listener: () => void): () => void {
      connect()
      reconnectListeners.add(listener)
      return () => reconnectListeners.delete(listener)
    },
    onConnection(listener: (up: boolean) => void): () => void {
      connect()
      connectionListeners.add(listener)
      return () => connectionListeners.delete(listener)
    },
  }
}

export function pickTransport(): Transport {
  return window.stablepay ?? httpTransport()
}
