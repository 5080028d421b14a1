/**
 * Compactions waiting to run, a few batches at a time. Pupils who start together reach the compaction threshold together:
 * unqueued, a start storm's 5,000 answers were compacted at once, each holding a pool connection and the main thread
 * while the group commit waited behind them, so "Gemt" fell minutes behind (docs/performance.md). Compaction is an
 * optimisation (snapshot + log stay complete without it), so it waits; a registration waits at most once.
 * Several answers are compacted per transaction: on a node busy with thousands of typists each round trip waits a
 * full turn of the event loop, and one answer at a time (six round trips each) fell behind the 300-update threshold.
 * And it gives way: while `mayStart` says no (the node's group commit is behind), no batch starts. At 5,000 typists
 * on a slower machine the first compactions tipped a saturated event loop over, and the group commit then fell a
 * million updates behind within four minutes (docs/performance.md); pupils' "Gemt" comes first.
 */
export class CompactionQueue {
  /** Registration id → what to log if its compaction fails; in the order they asked. */
  private readonly waiting = new Map<number, string>();
  private running = 0;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly compact: (registrationIds: number[]) => Promise<unknown>,
    private readonly failed: (err: Error, registrationId: number, message: string) => void,
    private readonly concurrency = 2,
    private readonly batch = 1,
    private readonly mayStart: () => boolean = () => true,
    private readonly retryMs = 500,
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
    if (this.retry) clearTimeout(this.retry);
  }

  private pump(): void {
    while (!this.stopped && this.running < this.concurrency && this.waiting.size) {
      if (!this.mayStart()) {
        this.retry ??= setTimeout(() => {
          this.retry = null;
          this.pump();
        }, this.retryMs).unref();
        return;
      }
      const taken: [number, string][] = [];
      for (const entry of this.waiting) {
        if (taken.length === this.batch) break;
        taken.push(entry);
      }
      for (const [id] of taken) this.waiting.delete(id);
      this.running++;
      this.compact(taken.map(([id]) => id))
        .catch((err: Error) => {
          for (const [id, failure] of taken) this.failed(err, id, failure);
        })
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
