import type { StoredDocument } from '../sync/queries.ts';
import { WorkerPool } from '../workers/workerPool.ts';
import type { FrozenAnswer } from './handInRules.ts';

/**
 * Essays frozen in worker threads for the automatic hand-in at the end of an exam: rebuilding, extracting and hashing
 * every answer was the sweep's main-thread work, one pupil after the other (docs/performance.md). The same
 * freezeAnswer() runs in the worker, so the hash is the one the single hand-in computes. The threads start with the
 * first batch, not with the server.
 */
export class AnswerFreezer {
  private pool: WorkerPool<StoredDocument, FrozenAnswer> | null = null;

  constructor(private readonly workers = 2) {}

  freeze(stored: StoredDocument): Promise<FrozenAnswer> {
    this.pool ??= new WorkerPool(new URL('./freezeWorker.ts', import.meta.url), this.workers);
    return this.pool.run(stored);
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}
