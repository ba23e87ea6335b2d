import type { IncomingMessage, ServerResponse } from 'node:http'
import type { PushEventName } from '../../src-preload/contract'
import { PUSH_EVENTS } from '../../src-preload/contract'
import type { App } from '../app'
import type { Caller } from '../engine/handlers'
import { parseJson, readBody } from './body'
import { HttpError, methodNotAllowed, toHttpError } from './errors'
import { sendBridgeError, sendJson } from './respond'
import { errorFields, log } from '../engine/log'

/** UI requests are small; a settings save is the largest. */
export const BRIDGE_BODY_LIMIT = 256 * 1024
/** A client this far behind is not reading; it is cut off and, like any dropped EventSource, reconnects and refetches. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024

/** One open event stream: whose it is, and which sales it carries. */
export interface StreamClient {
  device: string
  /**
   * A customer display's till: its stream carries that till's sales only (the
   * other pushes too). Unset for a cashier's or the owner's device, whose
   * History follows every till; their customer screen picks its own till's.
   */
  onlyTill?: string
  /** Asked on each heartbeat: a device signed out meanwhile (expired) loses its stream. */
  stillSignedIn(): boolean
}

export interface Bridge {
  invoke(req: IncomingMessage, res: ServerResponse, channel: string, caller: Caller): Promise<void>
  events(req: IncomingMessage, res: ServerResponse, client: StreamClient): void
  /** Ends a device's event streams at once (it was revoked). */
  closeDevice(device: string): void
  /** Ends every event stream (server shutdown). */
  close(): void
  readonly clients: number
}

/**
 * Serve mode's transport for the renderer: the same handler registry as
 * Electron IPC, over `POST /bridge/invoke/<channel>` and server-sent events.
 * Authentication and origin checks happen before these are called.
 */
export function createBridge(app: App, options: { heartbeatMs: number }): Bridge {
  const clients = new Map<ServerResponse, StreamClient>()

  const broadcast = (event: PushEventName, payload: unknown) => {
    // One serialisation for all clients; JSON.stringify never emits a raw newline, which SSE would split on.
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
    // A sale goes to its own till's devices only (tills: #13); a till's screens never see another counter's QR.
    // Tips (#17): a till's tip request goes to that till's display only, like its sales.
    const till = event === 'session:updated' || event === 'tip:updated' ? (payload as { till?: string }).till : undefined
    for (const [res, client] of clients)
      if (till === undefined || client.onlyTill === undefined || client.onlyTill === till) write(res, frame)
  }
  const write = (res: ServerResponse, frame: string) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      removeClient(res)
      res.destroy()
      return
    }
    res.write(frame)
  }
  // Subscribed only while a screen listens: with nobody subscribed the engine skips building pushed
  // objects at all, which is most of a busy back office's API traffic on a box with no browser open.
  let unsubscribers: Array<() => void> = []
  const addClient = (res: ServerResponse, client: StreamClient) => {
    if (clients.size === 0) unsubscribers = PUSH_EVENTS.map((event) => app.engine.events.on(event, (payload) => broadcast(event, payload)))
    clients.set(res, client)
  }
  const removeClient = (res: ServerResponse) => {
    if (!clients.delete(res) || clients.size > 0) return
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe()
  }
  // Keeps idle connections (and proxies between) from timing out, and lets a client notice a dead server.
  // A throw here would escape setInterval and end the process: a check that fails (the database busy, closed
  // mid-restore) ends that one stream instead; like any dropped EventSource it reconnects and signs in afresh.
  const heartbeat = setInterval(() => {
    for (const [res, client] of [...clients]) {
      let signedIn: boolean
      try {
        signedIn = client.stillSignedIn()
      } catch (error) {
        log('http').warn({ device: client.device, ...errorFields(error) }, 'event stream heartbeat: the sign-in check failed; the stream ends')
        signedIn = false
      }
      if (signedIn) write(res, ': heartbeat\n\n')
      else end(res)
    }
  }, options.heartbeatMs)
  const end = (res: ServerResponse) => {
    removeClient(res)
    res.end()
  }
  heartbeat.unref()

  return {
    get clients() {
      return clients.size
    },

    async invoke(req, res, channel, caller) {
      try {
        if (req.method !== 'POST') throw methodNotAllowed(req.method ?? '', ['POST'])
        if (!app.handlers.has(channel))
          throw new HttpError(404, 'not_found_error', 'unknown_channel', `no channel "${channel.slice(0, 64)}"`, 'channel')
        const raw = await readBody(req, BRIDGE_BODY_LIMIT)
        // The renderer sends `null` for channels without input.
        const input = parseJson(raw) ?? undefined
        const result = await app.handlers.invoke(channel, input as never, caller)
        // An owner channel from a device in the cashier role (#13): 403, with the contract's result as the body.
        if (!result.ok && result.error.code === 'owner_required') return sendJson(res, 403, result)
        sendJson(res, 200, result)
      } catch (error) {
        sendBridgeError(res, toHttpError(error))
      }
    },

    events(req, res, client) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendBridgeError(res, methodNotAllowed(req.method ?? '', ['GET']))
        return
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      })
      if (req.method === 'HEAD') {
        res.end()
        return
      }
      // Sent at once so the client's `open` fires now, not at the first event.
      res.write('retry: 2000\n: connected\n\n')
      res.socket?.setNoDelay(true)
      addClient(res, client)
      res.on('close', () => removeClient(res))
    },

    closeDevice(device) {
      for (const [res, client] of [...clients]) if (client.device === device) end(res)
    },

    close() {
      clearInterval(heartbeat)
      for (const res of [...clients.keys()]) end(res)
    },
  }
}
