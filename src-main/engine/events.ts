import { EventEmitter } from 'node:events'
import type { PushEventName, PushEvents } from '../../src-preload/contract'
import { errorFields, log } from './log'

/**
 * In-process push of committed changes (to the UI, and to wake the webhook
 * sender). Emitted only after the SQLite commit; the database stays the truth.
 */
export class EngineEvents {
  private readonly emitter = new EventEmitter()
  constructor() {
    this.emitter.setMaxListeners(100)
  }
  emit<E extends PushEventName>(event: E, payload: PushEvents[E]): void {
    // Emitted after a commit: a failing listener must not make a stored change look failed.
    for (const listener of this.emitter.listeners(event)) {
      try {
        ;(listener as (p: PushEvents[E]) => void)(payload)
      } catch (error) {
        log('events').error({ event, ...errorFields(error) }, 'listener failed')
      }
    }
  }
  /** Lets a producer skip building a payload nobody is listening for. */
  hasListeners(event: PushEventName): boolean {
    return this.emitter.listenerCount(event) > 0
  }
  on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void {
    this.emitter.on(event, listener)
    return () => this.emitter.off(event, listener)
  }
  /** Internal wake-ups (e.g. `outbox:written`) that are not part of the UI contract. */
  onInternal(event: string, listener: () => void): () => void {
    this.emitter.on(event, listener)
    return () => this.emitter.off(event, listener)
  }
  emitInternal(event: string): void {
    for (const listener of this.emitter.listeners(event)) {
      try {
        ;(listener as () => void)()
      } catch (error) {
        log('events').error({ event, ...errorFields(error) }, 'listener failed')
      }
    }
  }
}
