/**
 * Lets a long loop on the main thread give the event loop a turn every `sliceMs` of work, not after every item.
 * After every item, a batch of 50 answers waited 50 turns of a loop that a busy node runs in 100 ms or more: the
 * compaction queue fell behind in the 5,000-pupil soak while the loop was never held for long (docs/performance.md).
 */
export class Pacer {
  private since = performance.now();

  constructor(private readonly sliceMs = 8) {}

  /** Call between items: yields only once the current slice is used up. */
  async tick(): Promise<void> {
    if (performance.now() - this.since < this.sliceMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }
}
