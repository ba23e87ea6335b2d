/** Injectable time: tests move it by hand instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch (the wall clock: it can be set, and jump). */
  now(): number
  /**
   * Milliseconds from an arbitrary start that only ever moves forward at the
   * pace of real time (never set, never jumps). Compared with `now()` it tells
   * a clock that was set from elapsed time. A clock without it is taken as
   * never jumping.
   */
  monotonic?(): number
}

export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() }

export const nowSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000)

/** The clock's monotonic time; for a clock without one, its wall time (then no jump is ever seen). */
export const monotonicMs = (clock: Clock): number => (clock.monotonic ? clock.monotonic() : clock.now())

/** A clock a test sets and advances. */
export class ManualClock implements Clock {
  private mono = 0
  constructor(private ms: number = Date.UTC(2026, 10, 26, 12, 0, 0)) {}
  now(): number {
    return this.ms
  }
  monotonic(): number {
    return this.mono
  }
  /** Time passes until `ms` (both clocks move). */
  set(ms: number): void {
    this.mono += ms - this.ms
    this.ms = ms
  }
  /** Time passes (both clocks move). */
  advance(ms: number): void {
    this.ms += ms
    this.mono += ms
  }
  /** The wall clock is set (NTP at boot, an owner fixing the time): it jumps, no time passes. */
  jump(ms: number): void {
    this.ms += ms
  }
}
