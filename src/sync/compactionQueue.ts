/**
 * Compactions waiting to run, a few at a time. Pupils who start together reach the compaction threshold together:
 * unqueued, a start storm's 5,000 answers were compacted at once, each holding a pool connection and the main thread
 * while the group commit waited behind them, so "Gemt" fell minutes behind (docs/performance.md). Compaction is an
 * optimisation (snapshot + log stay complete without it), so it waits; a registration waits at most once.
 */
export class CompactionQueue {
  /** Registration id → what to log if its compaction fails; in the order they asked. */
  private readonly waiting = new Map<number, string>();
  private running = 0;
  private stopped = false;

  constructor(
    private readonly compact: (registrationId: number) => Promise<unknown>,
    private readonly failed: (err: Error, registrationId: number, message: string) => void,
    private readonly concurrency = 2,
  ) {}

  get size(): number {
    return this.waiting.size;
  }

  add(registrationId: number, failure: string): void {
    if (this.stopped || this.waiting.has(registrationId)) return;
    this.waiting.set(registrationId, failure);
    this.pump();
  }

  /** No compaction starts any more; those running finish (graceful stop). */
  stop(): void {
    this.stopped = true;
    this.waiting.clear();
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.waiting.size) {
      const [registrationId, failure] = this.waiting.entries().next().value as [number, string];
      this.waiting.delete(registrationId);
      this.running++;
      this.compact(registrationId)
        .catch((err: Error) => this.failed(err, registrationId, failure))
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
