/**
 * Group commit for the REST API's writes. A commit is the dearest part of a
 * create (the WAL append, and every so often a checkpoint with its fsyncs), so
 * the POSTs whose bodies arrived in the same turn of the event loop run in
 * ONE transaction, each inside its own savepoint: one request's refusal rolls
 * back only its own writes. Nobody is answered before the commit that holds
 * their change, so a 2xx means what a lone commit means here (WAL with
 * synchronous=NORMAL): it survives a crash of the process, not a power cut.
 */
export class GroupCommit {
  private queue: Array<{ work: () => unknown; settle: (outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => void }> =
    []
  private scheduled = false

  /**
   * @param transaction runs its function in a transaction; nested calls must become savepoints
   *   (`engine.sessions.transaction` does both, and pushes its events after the outer commit).
   * @param maxBatch bounds how long the last request of a batch waits for the first.
   */
  constructor(
    private readonly transaction: <T>(fn: () => T) => T,
    private readonly maxBatch = 64,
  ) {}

  /** Runs `work` (synchronous, no await inside) in the next batch; resolves after that batch committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        work,
        settle: (outcome) => (outcome.ok ? resolve(outcome.value as T) : reject(outcome.error)),
      })
      if (!this.scheduled) {
        this.scheduled = true
        // setImmediate, not a microtask: it lets the rest of this turn's sockets be read first.
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.queue.splice(0, this.maxBatch)
    if (this.queue.length > 0) {
      this.scheduled = true
      setImmediate(() => this.flush())
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = []
    try {
      this.transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: this.transaction(item.work) })
          } catch (error) {
            outcomes.push({ ok: false, error })
          }
        }
      })
    } catch (error) {
      // The commit itself failed: nothing of this batch is stored, so nobody may hear "created".
      for (const item of batch) item.settle({ ok: false, error })
      return
    }
    batch.forEach((item, i) => item.settle(outcomes[i] ?? { ok: false, error: new Error('lost outcome') }))
  }
}
