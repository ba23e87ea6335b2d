import type { Channel, ContractError, InputOf, OutputOf, PushEventName, PushEvents, Result, Transport } from '../../../src-preload/contract'
import { PUSH_EVENTS } from '../../../src-preload/contract'
import { runEventStream } from './eventStream'

declare global {
  interface Window {
    /** Present in Electron: the preload's contextBridge API. */
    stablepay?: Transport
  }
}

/** Sent with every bridge call besides the cookie (src-main/http/server.ts SESSION_HEADER). */
const SESSION_HEADER = 'X-StablePay-Session'
/**
 * The header token (#13) lives in this page's memory (`session` below). To
 * survive a reload it is also in sessionStorage, and nowhere else:
 * - sessionStorage belongs to this origin, port included, like localStorage:
 *   a page on another port of this host (which does get the cookie, as
 *   cookies ignore ports) cannot read it, so the cookie alone stays useless;
 * - unlike localStorage it belongs to this tab and goes when the tab or the
 *   browser closes: the token is not left on disk beside the 30-day cookie
 *   for whoever copies the browser profile later. A closed browser signs the
 *   page out (the printed address, or a pairing code, signs it in again).
 * A server restart needs neither: the page keeps the token in memory and its
 * stream reconnects with it. A second window of the same browser (a customer
 * display beside the till) has no token in its own tab: it asks the open
 * windows of this origin over a BroadcastChannel, which, like storage, other
 * origins cannot join.
 */
const STORAGE_KEY = 'stablepay.session'
const CHANNEL_NAME = 'stablepay.session'
/** How long a new window waits for an open one to hand it the token before it shows "signed out". */
const HANDOFF_MS = 400
let session: string | null = null

/**
 * Serve mode: the same contract over HTTP (`POST /bridge/invoke/<channel>`)
 * and a server-sent event stream (`GET /bridge/events`). Each call carries the
 * device's HttpOnly cookie and its header token. Opened with `?token=` (the
 * address printed at start) or `?pair=CODE` (Owner → Devices), the page first
 * signs in as a new device and takes the secret out of the address bar.
 *
 * The event stream is read with fetch, not EventSource: EventSource cannot
 * send a header, and a token in its URL would sit in logs and history.
 */
function httpTransport(base = ''): Transport {
  const listeners = new Map<PushEventName, Set<(payload: unknown) => void>>()
  const reconnectListeners = new Set<() => void>()
  const connectionListeners = new Set<(up: boolean) => void>()
  const signedOutListeners = new Set<() => void>()
  let up: boolean | null = null
  const setUp = (next: boolean) => {
    if (up === next) return
    up = next
    for (const l of connectionListeners) l(next)
  }
  session = readStored()
  let signInError: ContractError | null = null
  let streaming = false
  /** The stream met a 401: it stays closed (no retrying a dead session forever) until a call succeeds again. */
  let signedOut = false
  const windows = openChannel()
  const adopt = (value: string) => {
    session = value
    store(value)
  }
  if (windows)
    windows.onmessage = (event: MessageEvent<{ ask?: true; session?: string }>) => {
      // Another window of this browser asks for the token (it opened without one), or signed in afresh: the cookie
      // is the browser's, shared by its windows, so the newest sign-in's token is every window's.
      if (event.data.ask && session) windows.postMessage({ session })
      else if (typeof event.data.session === 'string') adopt(event.data.session)
    }

  const signIn = async (): Promise<void> => {
    const params = new URLSearchParams(window.location.search)
    const token = params.get('token')
    const pair = params.get('pair')
    if (!token && !pair) {
      if (!session && windows) await askOpenWindows(windows)
      return
    }
    params.delete('token')
    params.delete('pair')
    const query = params.toString()
    // Out of the address bar (and history, and screenshots) before anything else.
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`)
    try {
      const response = await fetch(`${base}/bridge/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(token ? { token } : { pair }),
        credentials: 'same-origin',
      })
      const result = (await response.json()) as Result<{ session: string }>
      if (result.ok) {
        adopt(result.value.session)
        windows?.postMessage({ session: result.value.session })
      } else {
        signInError = result.error
      }
    } catch {
      signInError = { code: 'connection_lost', message: 'The app is not reachable. Check that StablePay POS is running.' }
    }
  }
  const ready = signIn()


  const dispatch = (block: string) => {
    let event = 'message'
    const data: string[] = []
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    }
    if (data.length === 0 || !(PUSH_EVENTS as readonly string[]).includes(event)) return
    const payload = JSON.parse(data.join('\n')) as unknown
    for (const l of listeners.get(event as PushEventName) ?? []) l(payload)
  }

  const stream = async () => {
    await ready
    await runEventStream({
      url: `${base}/bridge/events`,
      request: () => ({ headers: headers(), credentials: 'same-origin', cache: 'no-store' }),
      onOpen() {
        setUp(true)
        // Whenever the stream (re)opens, the UI refetches: a change pushed before it was live (a sale made while this
        // page was still connecting, or while the stream was reconnecting) is otherwise never shown.
        for (const l of reconnectListeners) l()
      },
      onBlock: dispatch,
      onDown: () => setUp(false),
      onSignedOut() {
        // The stream opens again after the next call that succeeds (the Retry on the sign-in screen, once signed in).
        signedOut = true
        streaming = false
        for (const l of signedOutListeners) l()
      },
    })
  }
  const connect = () => {
    if (streaming || typeof ReadableStream === 'undefined') return
    streaming = true
    void stream()
  }

  return {
    async invoke<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
      await ready
      if (!session && signInError) return { ok: false, error: signInError }
      let response: Response
      try {
        response = await fetch(`${base}/bridge/invoke/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers() },
          body: JSON.stringify(input ?? null),
          credentials: 'same-origin',
        })
      } catch {
        setUp(false)
        return { ok: false, error: { code: 'connection_lost', message: 'The app is not reachable. Check that StablePay POS is running.' } }
      }
      try {
        const result = (await response.json()) as Result<OutputOf<C>>
        // Signed in again (the session was restored, or a new one taken): the push stream comes back too.
        if (result.ok && signedOut) {
          signedOut = false
          connect()
        }
        return result
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
    onSignedOut(listener: () => void): () => void {
      signedOutListeners.add(listener)
      return () => signedOutListeners.delete(listener)
    },
  }
}


const headers = (): Record<string, string> => (session ? { [SESSION_HEADER]: session } : {})

function readStored(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

function store(value: string): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, value)
  } catch {
    // Storage refused: the page still works (memory) until it is reloaded.
  }
}

function openChannel(): BroadcastChannel | null {
  try {
    return typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME)
  } catch {
    return null
  }
}

/** A window opened without a token: an open window of this browser hands it over, or after a moment nobody did. */
function askOpenWindows(windows: BroadcastChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      windows.removeEventListener('message', answered)
      resolve()
    }
    // The first answer (the onmessage handler, added before, has stored it by then); another new window's ask is none.
    const answered = (event: MessageEvent<{ session?: string }>) => {
      if (typeof event.data.session === 'string') done()
    }
    const timer = setTimeout(done, HANDOFF_MS)
    windows.addEventListener('message', answered)
    windows.postMessage({ ask: true })
  })
}

/**
 * Serve mode's download links (CSV, diagnostics) are navigations, which cannot
 * carry the header token: each gets a one-time ticket from the bridge first.
 * In Electron there are no such links (the shell saves files itself).
 */
export async function downloadUrl(path: string): Promise<string> {
  const response = await fetch('bridge/download-ticket', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers() },
    body: 'null',
    credentials: 'same-origin',
  })
  const result = (await response.json()) as Result<{ ticket: string }>
  if (!result.ok) throw new Error(result.error.message)
  return `${path}${path.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(result.value.ticket)}`
}

export function pickTransport(): Transport {
  return window.stablepay ?? httpTransport()
}
