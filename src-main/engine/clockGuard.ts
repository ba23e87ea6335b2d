import type { Clock } from './clock'
import { monotonicMs } from './clock'
import { errorFields, log } from './log'

/**
 * A wall-clock step bigger than this is a jump. Timer delays do not count (both
 * clocks see them); NTP's gradual corrections are a fraction of a millisecond
 * per second; a clock being set is seconds to years.
 */
const JUMP_THRESHOLD_MS = 2_000

/**
 * Tells when the wall clock was set rather than ran: between two checks it
 * moved by a different amount than the monotonic clock. A box without a
 * battery-backed clock starts at a stale time and jumps when it reaches a time
 * server; everything the till wrote before that jump (a sale's expiry, a
 * webhook's age) was written on the wrong clock, and whoever keeps such times
 * listens here and moves them by the jump.
 *
 * A machine that slept also looks like this (the monotonic clock stops during
 * sleep on Linux and macOS): then the open sales keep their remaining minutes
 * after waking up, which is the harmless side (payments are still matched and
 * judged late by block time).
 */
export class ClockGuard {
  private lastWall: number
  private lastMono: number
  private readonly listeners = new Set<(jumpMs: number) => void>()

  constructor(private readonly clock: Clock) {
    this.lastWall = clock.now()
    this.lastMono = monotonicMs(clock)
  }

  /** Called with the jump (ms, negative when the clock was set back) each time one is seen. Returns an unsubscribe. */
  onJump(listener: (jumpMs: number) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Compares both clocks with the last check; on a jump, tells the listeners
   * (synchronously, before returning) and returns it. Cheap: call it before
   * any decision that depends on elapsed wall time.
   */
  check(): number {
    const wall = this.clock.now()
    const mono = monotonicMs(this.clock)
    const jump = wall - this.lastWall - (mono - this.lastMono)
    this.lastWall = wall
    this.lastMono = mono
    if (Math.abs(jump) < JUMP_THRESHOLD_MS) return 0
    log('clock').warn(
      { jump_ms: jump },
      `the system clock was set ${jump > 0 ? 'forward' : 'back'} by ${Math.round(Math.abs(jump) / 1000)} s`,
    )
    for (const listener of this.listeners) {
      try {
        listener(jump)
      } catch (error) {
        log('clock').error(errorFields(error), 'could not account for the clock jump')
      }
    }
    return jump
  }
}
