import type { Logger } from 'pino';
import type { Db } from '../db/pool.ts';
import { PERSIST } from './persistSettings.ts';
import { insertUpdates } from './queries.ts';

interface Pending {
  registrationId: number;
  update: Uint8Array;
  resolve: () => void;
}

/**
 * Group commit (docs/rules.md §4.4): updates from every connected candidate are appended to PostgreSQL together,
 * one multi-row INSERT per transaction, flushed every few milliseconds or when a batch fills; never one
 * transaction per keystroke. A promise resolves only after COMMIT, and only then may the pupil see "Gemt".
 * A failed flush retries its batch with backoff: nothing is dropped, nothing is acknowledged that is not durable.
 *
 * Up to `PERSIST.inFlight` batches are committed at once, because a flush waits a turn of the event loop between
 * its round trips: with one at a time, a node whose loop lagged half a second committed fewer updates than its
 * pupils typed, and the queue grew without end (docs/performance.md). Batches still resolve in the order they were
 * taken, so an acknowledgement never covers an earlier update that is not committed yet.
 */
export class UpdatePersister {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing = 0;
  /** Resolves once every batch taken so far has been resolved: the next batch's resolutions wait for it. */
  private resolved: Promise<void> = Promise.resolve();
  private failures = 0;
  private idleWaiters: (() => void)[] = [];
  /** Observers for metrics: batch size and commit latency. */
  onFlush: (batchSize: number, ms: number) => void = () => {
    /* metrics are wired in sync/module.ts */
  };

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once the update is committed. */
  append(registrationId: number, update: Uint8Array): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ registrationId, update, resolve });
      if (this.queue.length >= PERSIST.maxBatch) this.schedule(0);
      else this.schedule(PERSIST.flushMs);
    });
  }

  /** Resolves when everything appended so far is committed (hand-in, graceful shutdown). */
  drain(): Promise<void> {
    if (!this.queue.length && !this.flushing) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.schedule(0);
    });
  }

  /** Whether another batch may start now; a running flush reschedules when it ends. */
  private get mayStart(): boolean {
    // A second batch only when many wait: otherwise the next one collects while the first commits (fewer commits).
    return this.flushing < PERSIST.inFlight && (this.flushing === 0 || this.queue.length >= PERSIST.pipelineAfter);
  }

  private schedule(ms: number): void {
    if (!this.mayStart) return;
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
  }

  private flush(): void {
    if (!this.queue.length) return this.settleIdle();
    if (!this.mayStart) return;
    const batch = this.queue.splice(0, PERSIST.maxBatch);
    this.flushing++;
    const committed = this.commit(batch);
    const before = this.resolved;
    this.resolved = Promise.all([committed, before]).then(() => {
      for (const p of batch) p.resolve();
    });
    void this.resolved.then(() => {
      this.flushing--;
      if (this.queue.length) this.schedule(this.queue.length >= PERSIST.maxBatch || this.idleWaiters.length ? 0 : PERSIST.flushMs);
      else this.settleIdle();
    });
    // Another batch may start while this one commits, if many are still waiting.
    if (this.queue.length >= PERSIST.pipelineAfter) this.schedule(this.queue.length >= PERSIST.maxBatch ? 0 : PERSIST.flushMs);
  }

  /** Commits one batch, retrying with backoff until it is durable. Never rejects. */
  private async commit(batch: Pending[]): Promise<void> {
    for (;;) {
      const started = performance.now();
      try {
        await insertUpdates(
          this.db,
          batch.map((p) => p.registrationId),
          batch.map((p) => p.update),
        );
        this.failures = 0;
        this.onFlush(batch.length, performance.now() - started);
        return;
      } catch (err) {
        this.failures++;
        const wait = Math.min(PERSIST.retryMaxMs, PERSIST.retryMinMs * 2 ** (this.failures - 1));
        this.log.error({ err: { message: (err as Error).message }, batch: batch.length, retryInMs: wait }, 'persisting answer updates failed; will retry');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private settleIdle(): void {
    if (this.queue.length || this.flushing) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
