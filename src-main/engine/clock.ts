/** Injectable time: tests move it by hand instead of sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export const nowSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000)

/** A clock a test sets and advances. */
export class ManualClock implements Clock {
  constructor(private ms: number = Date.UTC(2026, 10, 26, 12, 0, 0)) {}
  now(): number {
    return this.ms
  }
  set(ms: number): void {
    this.ms = ms
  }
  advance(ms: number): void {
    this.ms += ms
  }
}
