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
 * A failed flush keeps its updates at the head of the queue and retries with backoff: nothing is dropped,
 * nothing is acknowledged that is not durable.
 */
export class UpdatePersister {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
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

  private schedule(ms: number): void {
    if (this.flushing) return; // the running flush reschedules itself
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  private async flush(): Promise<void> {
    if (this.flushing || !this.queue.length) return this.settleIdle();
    const batch = this.queue.splice(0, PERSIST.maxBatch);
    const started = performance.now();
    this.flushing = (async () => {
      try {
        await insertUpdates(
          this.db,
          batch.map((p) => p.registrationId),
          batch.map((p) => p.update),
        );
        this.failures = 0;
        this.onFlush(batch.length, performance.now() - started);
        for (const p of batch) p.resolve();
      } catch (err) {
        this.failures++;
        this.queue.unshift(...batch);
        const wait = Math.min(PERSIST.retryMaxMs, PERSIST.retryMinMs * 2 ** (this.failures - 1));
        this.log.error({ err: { message: (err as Error).message }, batch: batch.length, retryInMs: wait }, 'persisting answer updates failed; will retry');
        await new Promise((r) => setTimeout(r, wait));
      }
    })();
    await this.flushing;
    this.flushing = null;
    if (this.queue.length) this.schedule(this.queue.length >= PERSIST.maxBatch || this.idleWaiters.length ? 0 : PERSIST.flushMs);
    else this.settleIdle();
  }

  private settleIdle(): void {
    if (this.queue.length || this.flushing) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
