import type { z } from 'zod'
import type { Channel, ContractError, InputOf, OutputOf, Result, Role } from '../../../src-preload/contract'
import { CHANNEL_ROLES, CHANNELS } from '../../../src-preload/contract'
import { INPUT_SCHEMAS } from '../../../src-preload/schemas'
import type { ErrorCode } from '../../../src-preload/shared/errorCodes'
import { isErrorCode } from '../../../src-preload/shared/errorCodes'
import type { MoneyErrorCode } from '../../../src-preload/shared/money'
import type { BackupError } from '../backup'
import type { RateErrorCode } from '../rates/errors'
import { EngineError, invalid, storageFault } from '../errors'
import { errorFields, log, whereLogIs } from '../log'

/** A handler gets its parsed input, and who called (the owner channels need the device). */
type Handler<C extends Channel> = (input: InputOf<C>, caller: Caller) => OutputOf<C> | Promise<OutputOf<C>>

/**
 * A check that must wait on the outside world (the receiving address's code on
 * each network) before an audited change: the audited transaction never awaits,
 * so the check runs first, and a refusal writes nothing and records nothing.
 */
type Precheck<C extends Channel> = (input: InputOf<C>, caller: Caller) => Promise<void>

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
 * The owner role as the registry sees it (#13; engine/owner/gate.ts). A
 * registry without one (some tests) lets every caller act as owner.
 */
export interface RoleGate {
  holds(device: string): boolean
  /** An owner action: the role holds another 5 minutes. */
  touch(device: string): void
  /** A cashier's read narrowed to what a cashier may see (today's sales at the caller's own till). */
  narrow<C extends Channel>(channel: C, input: InputOf<C>, caller: Caller): InputOf<C>
  /** Runs the handler; a change the audit log records is recorded in the same transaction. */
  audited<T>(channel: Channel, actor: { device: string; role: Role }, run: () => T): T
}

export const ownerRequired = () =>
  new EngineError('permission_error', 'owner_required', 'This needs the owner: enter the owner PIN first.')

/**
 * One registry of named handlers (`sessions:create`), filled by each feature.
 * Both transports (Electron IPC and the serve-mode HTTP bridge) call `invoke`,
 * so there is one place where input is checked against the channel's schema
 * and one place where errors become the contract's `{ ok: false }`.
 */
export class HandlerRegistry {
  private readonly handlers = new Map<Channel, Handler<Channel>>()
  private readonly prechecks = new Map<Channel, Precheck<Channel>>()

  constructor(private readonly gate?: RoleGate) {}

  register<C extends Channel>(channel: C, handler: Handler<C>, options: { precheck?: Precheck<C> } = {}): void {
    if (this.handlers.has(channel)) throw new Error(`handler "${channel}" registered twice`)
    this.handlers.set(channel, handler as unknown as Handler<Channel>)
    if (options.precheck) this.prechecks.set(channel, options.precheck as unknown as Precheck<Channel>)
  }

  has(channel: string): channel is Channel {
    return this.handlers.has(channel as Channel)
  }

  /** Channels of the contract that no feature registered (checked by a test). */
  missing(): Channel[] {
    return CHANNELS.filter((c) => !this.handlers.has(c))
  }

  /** The role this caller holds now. */
  roleOf(caller: Caller): Role {
    return !this.gate || this.gate.holds(caller.device) ? 'owner' : 'cashier'
  }

  /**
   * Throws `owner_required` unless the caller may use the channel; an owner
   * channel used extends the owner role. For routes outside `invoke` too
   * (the browser's CSV download is the export channel's twin).
   */
  authorize(channel: Channel, caller: Caller): Role {
    const role = this.roleOf(caller)
    if (CHANNEL_ROLES[channel] === 'owner') {
      if (role !== 'owner') throw ownerRequired()
      this.gate?.touch(caller.device)
    }
    return role
  }

  /**
   * Input arrives as untrusted JSON (the contract's types hold at compile time only): it is parsed before the handler runs.
   * The channel's role (contract CHANNEL_ROLES) is checked first: a cashier's call to an owner channel changes nothing.
   */
  async invoke<C extends Channel>(channel: C, input: InputOf<C>, caller: Caller = LOCAL_CALLER): Promise<Result<OutputOf<C>>> {
    const handler = this.handlers.get(channel) as Handler<C> | undefined
    if (!handler) return { ok: false, error: { code: 'unknown_channel', message: `no handler for "${String(channel)}"` } }
    try {
      const role = this.authorize(channel, caller)
      let parsed = parseInput(INPUT_SCHEMAS[channel], input)
      if (role === 'cashier' && this.gate) parsed = this.gate.narrow(channel, parsed, caller)
      await (this.prechecks.get(channel) as Precheck<C> | undefined)?.(parsed, caller)
      const run = () => handler(parsed, caller)
      const value = await (this.gate ? this.gate.audited(channel, { device: caller.device, role }, run) : run())
      return { ok: true, value }
    } catch (error) {
      const refused = toContractError(error)
      // The screens show the code's sentence only (#15): the engine's own words (which field, which checksum) stay here.
      if (refused.code !== 'internal_error')
        log('handlers').info({ channel, code: refused.code, param: refused.param, detail: refused.message }, 'call refused')
      return { ok: false, error: refused }
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

/** The module errors' codes are the app's codes too (each has its sentence on the screens): a compile error otherwise. */
const MODULE_CODES_ARE_KNOWN: [RateErrorCode | MoneyErrorCode | BackupError['code']] extends [ErrorCode] ? true : never = true
void MODULE_CODES_ARE_KNOWN

export function toContractError(error: unknown): ContractError {
  // Before the engine's own errors: a full or read-only disk is the same answer wherever the write was refused.
  const storage = storageFault(error)
  if (storage) return storage
  if (error instanceof EngineError) return { code: error.code, message: error.message, ...(error.param ? { param: error.param } : {}) }
  const code = (error as { code?: unknown })?.code
  const message = error instanceof Error ? error.message : String(error)
  // Module errors (MoneyError, RateError, BackupError) carry one of the app's codes and a message for the log and API
  // clients. Any other code (a Node or library error's) is not ours to pass on: it would reach a screen as raw text.
  if (isErrorCode(code)) return { code, message }
  log('handlers').error(errorFields(error), 'handler failed')
  return { code: 'internal_error', message: `Something went wrong inside the app; the details are in its log${whereLogIs()}.` }
}
