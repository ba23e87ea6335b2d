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

/** One open event stream: whose it is, and which pushes it carries (PUSH_AUDIENCE). */
export interface StreamClient {
  device: string
  /**
   * The device's till when the stream opened. Moving the device to another
   * till ends its streams (Devices.onStreamsStale): it reconnects with the new one.
   */
  till: string
  /** A customer display (paired as one): it carries that till's sale, and the restore, nothing else. */
  display: boolean
  /** Asked on each heartbeat: a device signed out meanwhile (expired) loses its stream. */
  stillSignedIn(): boolean
}

/**
 * Who each push is for (#13), decided per kind so a new kind cannot be
 * forgotten (the type requires every PushEventName):
 * - `till`: a sale goes to the devices of its own till (the cashier's screen,
 *   the open-sales tray, the customer display); to every till only for a
 *   device holding the owner role at that moment (History covers all tills).
 * - `staff`: shop-wide things a cashier needs: chain health (the banner, the
 *   countdown's chain clock), money that matched no sale (the till shows it
 *   until the cashier says which sale it was). Not a customer display.
 * - `owner`: the owner's screens only (refunds, webhook deliveries): devices
 *   holding the owner role at that moment, never a customer display.
 * - `everyone`: the restore of a backup, after which every screen refetches.
 * The merchant notice (a changed receiving address) is no push: screens ask
 * `owner:notices`, a cashier channel, when they load and reconnect.
 */
export type PushAudience = 'till' | 'staff' | 'owner' | 'everyone'
export const PUSH_AUDIENCE: Readonly<Record<PushEventName, PushAudience>> = {
  'session:updated': 'till',
  // Tips (#17): the till's tip question, for its customer display and its cashier (who may skip it).
  'tip:updated': 'till',
  'chain:state-changed': 'staff',
  'transfer:recorded': 'staff',
  'webhook:delivered': 'owner',
  'refund:updated': 'owner',
  'shop:restored': 'everyone',
}

export interface Bridge {
  invoke(req: IncomingMessage, res: ServerResponse, channel: string, caller: Caller): Promise<void>
  events(req: IncomingMessage, res: ServerResponse, client: StreamClient): void
  /** Ends a device's event streams at once (it was revoked, or moved to another till: it reconnects with that one). */
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

  /** Holds the owner role now (it lapses, it is locked): asked at each push, never remembered from the stream's start. */
  const holdsOwner = (client: StreamClient): boolean => {
    try {
      return app.engine.owner.holds(client.device)
    } catch (error) {
      // The database closed mid-restore: no owner push to this one; the restore's own push makes it refetch.
      log('http').warn({ device: client.device, ...errorFields(error) }, 'event stream: the owner-role check failed')
      return false
    }
  }
  const receives = (client: StreamClient, audience: PushAudience, till: string | undefined): boolean => {
    switch (audience) {
      case 'everyone':
        return true
      case 'staff':
        return !client.display
      case 'owner':
        return !client.display && holdsOwner(client)
      case 'till':
        return till === client.till || (!client.display && holdsOwner(client))
    }
  }
  const broadcast = (event: PushEventName, payload: unknown) => {
    // One serialisation for all clients; JSON.stringify never emits a raw newline, which SSE would split on.
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
    const audience = PUSH_AUDIENCE[event]
    const till = audience === 'till' ? (payload as { till?: string }).till : undefined
    for (const [res, client] of clients) if (receives(client, audience, till)) write(res, frame)
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
