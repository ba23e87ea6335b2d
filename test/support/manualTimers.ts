import type { ManualClock } from '../../src-main/engine/clock'
import type { Timers } from '../../src-main/engine/rates'

interface Pending {
  id: number
  at: number
  fn: () => void
}

/**
 * Timers that fire only when a test moves its ManualClock through them, so a
 * schedule of days runs in milliseconds. A fired callback may start async work
 * (a real HTTP request); `advanceTo` waits on `settle` after each one before
 * looking for the next timer, which that work may only now have set.
 */
export class ManualTimers implements Timers {
  private pending: Pending[] = []
  private nextId = 1

  constructor(private readonly clock: ManualClock) {}

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++
    this.pending.push({ id, at: this.clock.now() + Math.max(0, ms), fn })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle)
  }

  /** When the timers still waiting are due (ms since the epoch), soonest first. */
  dueTimes(): number[] {
    return this.pending.map((p) => p.at).sort((a, b) => a - b)
  }

  /** Moves the clock to `atMs`, firing every timer due by then at its own time, in order. Returns how many fired. */
  async advanceTo(atMs: number, settle: () => Promise<void>): Promise<number> {
    let fired = 0
    for (;;) {
      const next = this.pending.reduce<Pending | null>((a, b) => (a === null || b.at < a.at ? b : a), null)
      if (next === null || next.at > atMs) break
      this.pending = this.pending.filter((p) => p !== next)
      if (next.at > this.clock.now()) this.clock.set(next.at)
      next.fn()
      fired++
      await settle()
    }
    if (atMs > this.clock.now()) this.clock.set(atMs)
    return fired
  }
}
