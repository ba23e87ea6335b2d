import type { Channel, Client, ContractError, InputOf, PushEventName, PushEvents, Transport } from '../../../src-preload/contract'
import { CHANNELS } from '../../../src-preload/contract'
import type { ErrorCode } from '../../../src-preload/shared/errorCodes'
import { downloadUrl, pickTransport } from './transport'

/** A handler's `{ ok: false }` as a typed exception: `code` is stable, `message` is for people. */
export class BridgeError extends Error implements ContractError {
  readonly code: ErrorCode
  readonly param?: string
  constructor(error: ContractError) {
    super(error.message)
    this.name = 'BridgeError'
    this.code = error.code
    if (error.param !== undefined) this.param = error.param
  }
}

/** Told when the engine refused an owner channel (#13): the owner role lapsed or was never held; the PIN is asked again. */
const ownerRequiredListeners = new Set<() => void>()
export function onOwnerRequired(listener: () => void): () => void {
  ownerRequiredListeners.add(listener)
  return () => ownerRequiredListeners.delete(listener)
}

function makeClient(transport: Transport): Client {
  const client = {} as Record<Channel, (input: unknown) => Promise<unknown>>
  for (const channel of CHANNELS) {
    client[channel] = async (input: unknown) => {
      const result = await transport.invoke(channel, input as InputOf<typeof channel>)
      if (!result.ok) {
        if (result.error.code === 'owner_required') for (const l of ownerRequiredListeners) l()
        throw new BridgeError(result.error)
      }
      return result.value
    }
  }
  return client as unknown as Client
}

/**
 * The renderer's only way to the engine. Components never touch it directly:
 * the zustand stores call `api` and subscribe to `on`.
 */
const transport = pickTransport()
export const api: Client = makeClient(transport)
export const on = <E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void) => transport.subscribe(event, listener)
/** The stream came back, or the till was restored from a backup while running: either way, what a screen shows is refetched. */
export const onReconnect = (listener: () => void) => {
  const offReconnect = transport.onReconnect(listener)
  const offRestored = transport.subscribe('shop:restored', listener)
  return () => {
    offReconnect()
    offRestored()
  }
}
/** Whether the engine can be reached; Electron's IPC has no such event and is always up. */
export const onConnection = (listener: (up: boolean) => void) => transport.onConnection?.(listener) ?? (() => undefined)
/** Serve mode: the server ended this device's session (revoked, idle); Electron's IPC has no sessions. */
export const onSignedOut = (listener: () => void) => transport.onSignedOut?.(listener) ?? (() => undefined)

/**
 * Serve mode: saves `path` (export/sessions.csv?…) through a one-time download
 * ticket (a link cannot carry the session header); the browser streams it to disk.
 */
export async function download(path: string): Promise<void> {
  const link = document.createElement('a')
  link.href = await downloadUrl(path)
  link.download = ''
  document.body.append(link)
  link.click()
  link.remove()
}
