import type { z } from 'zod'
import type { Channel, ContractError, Handlers, InputOf, OutputOf, Result } from '../../../src-preload/contract'
import { CHANNELS } from '../../../src-preload/contract'
import { INPUT_SCHEMAS } from '../../../src-preload/schemas'
import { EngineError, invalid, isStorageFull, STORAGE_FULL_MESSAGE } from '../errors'
import { errorFields, log, whereLogIs } from '../log'

type Handler<C extends Channel> = Handlers[C]

/**
 * Who is asking: the device a request came from (the desktop window, or one
 * browser's session in serve mode). The owner role is held per device, so
 * the registry needs to know which one calls.
 */
export interface Caller {
  device: string
}

/** The desktop app's own window, and callers inside the main process (tests, the shell). */
export const LOCAL_CALLER: Caller = { device: 'local' }

/**
 * One registry of named handlers (`sessions:create`), filled by each feature.
 * Both transports (Electron IPC and the serve-mode HTTP bridge) call `invoke`,
 * so there is one place where input is checked against the channel's schema
 * and one place where errors become the contract's `{ ok: false }`.
 */
export class HandlerRegistry {
  private readonly handlers = new Map<Channel, Handler<Channel>>()

  register<C extends Channel>(channel: C, handler: Handler<C>): void {
    if (this.handlers.has(channel)) throw new Error(`handler "${channel}" registered twice`)
    this.handlers.set(channel, handler as unknown as Handler<Channel>)
  }

  has(channel: string): channel is Channel {
    return this.handlers.has(channel as Channel)
  }

  /** Channels of the contract that no feature registered (checked by a test). */
  missing(): Channel[] {
    return CHANNELS.filter((c) => !this.handlers.has(c))
  }

  /** Input arrives as untrusted JSON (the contract's types hold at compile time only): it is parsed before the handler runs. */
  async invoke<C extends Channel>(channel: C, input: InputOf<C>, caller: Caller = LOCAL_CALLER): Promise<Result<OutputOf<C>>> {
    const handler = this.handlers.get(channel) as Handler<C> | undefined
    if (!handler) return { ok: false, error: { code: 'unknown_channel', message: `no handler for "${String(channel)}"` } }
    try {
      const parsed = parseInput(INPUT_SCHEMAS[channel], input)
      const value = await (handler as (input: InputOf<C>, caller: Caller) => OutputOf<C> | Promise<OutputOf<C>>)(parsed, caller)
      return { ok: true, value }
    } catch (error) {
      return { ok: false, error: toContractError(error) }
    }
  }
}

/** Parses or throws the first problem as `parameter_invalid`, naming the field as the caller sent it. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  if (!issue) throw invalid('parameter_invalid', 'invalid request')
  // A record's bad key is reported on the key itself; name the record, with the key's own message.
  if (issue.code === 'invalid_key')
    throw invalid('parameter_invalid', issue.issues[0]?.message ?? issue.message, paramOf(issue.path.slice(0, -1)))
  throw invalid('parameter_invalid', issue.message, paramOf(issue.path))
}

/** `receive.address`; a list is named as a whole (`accept`, `tokens`), as the engine's own checks name it. */
function paramOf(path: readonly PropertyKey[]): string | undefined {
  const end = path.findIndex((key) => typeof key === 'number')
  const names = (end === -1 ? path : path.slice(0, end)).map(String)
  return names.length > 0 ? names.join('.') : undefined
}

export function toContractError(error: unknown): ContractError {
  // Before the engine's own errors: a full disk is the same answer wherever the write was refused.
  if (isStorageFull(error)) return { code: 'storage_full', message: STORAGE_FULL_MESSAGE }
  if (error instanceof EngineError) return { code: error.code, message: error.message, ...(error.param ? { param: error.param } : {}) }
  const code = (error as { code?: unknown })?.code
  const message = error instanceof Error ? error.message : String(error)
  // Module errors (MoneyError, RateError, …) carry a string code and a user-facing message.
  if (typeof code === 'string' && /^[a-z_]+$/.test(code)) return { code, message }
  log('handlers').error(errorFields(error), 'handler failed')
  return { code: 'internal_error', message: `Something went wrong inside the app; the details are in its log${whereLogIs()}.` }
}
