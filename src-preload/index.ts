/**
 * The preload: exposes the contract's transport on `window.stablepay` and
 * nothing else. It runs sandboxed (CommonJS, `electron` is the only require).
 * Channel and event names are checked against the contract's allow-lists so a
 * compromised renderer cannot reach any other IPC channel.
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { Channel, InputOf, OutputOf, PushEventName, PushEvents, Result, Transport } from './contract'
import { CHANNELS, IPC, PUSH_EVENTS } from './contract'

const channels = new Set<string>(CHANNELS)
const pushEvents = new Set<string>(PUSH_EVENTS)

const transport: Transport = {
  invoke<C extends Channel>(channel: C, input: InputOf<C>): Promise<Result<OutputOf<C>>> {
    if (!channels.has(channel)) return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `no channel "${channel}"` } })
    return ipcRenderer.invoke(IPC.invoke, channel, input) as Promise<Result<OutputOf<C>>>
  },
  subscribe<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void {
    if (!pushEvents.has(event)) throw new Error(`no push event "${event}"`)
    const handler = (_e: unknown, name: string, payload: unknown) => {
      if (name === event) listener(payload as PushEvents[E])
    }
    ipcRenderer.on(IPC.push, handler)
    return () => ipcRenderer.off(IPC.push, handler)
  },
  // IPC to the main process does not drop; there is nothing to reconnect.
  onReconnect: () => () => undefined,
}

contextBridge.exposeInMainWorld('stablepay', transport)
