import type { Channel, Client, ContractError, InputOf, PushEventName, PushEvents, Transport } from '../../../src-preload/contract'
import { CHANNELS } from '../../../src-preload/contract'
import { pickTransport } from './transport'

/** A handler's `{ ok: false }` as a typed exception: `code` is stable, `message` is for people. */
export class BridgeError extends Error implements ContractError {
  readonly code: string
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
export const onReconnect = (listener: () => void) => transport.onReconnect(listener)
