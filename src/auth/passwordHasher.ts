import { WorkerPool } from '../workers/workerPool.ts';
import type { PasswordJob } from './passwordWorker.ts';

/**
 * bcrypt off the event loop (docs/rules.md §1): bcryptjs's async API still runs on the main thread, so a login
 * storm would freeze every live exam socket. The pool's FIFO queue also makes the storm fair.
 */
export class PasswordHasher {
  private readonly pool: WorkerPool<PasswordJob, string | boolean>;
  // A real hash to compare against when the user does not exist, so both paths take the same time.
  private dummyHash: Promise<string>;

  constructor(
    workers: number,
    private readonly cost: number,
  ) {
    this.pool = new WorkerPool(new URL('./passwordWorker.ts', import.meta.url), workers);
    this.dummyHash = this.hash('provesal-timing-equaliser');
  }

  /** Logins waiting for a free hashing thread. */
  get queued(): number {
    return this.pool.waiting;
  }

  hash(password: string): Promise<string> {
    return this.pool.run({ op: 'hash', password, cost: this.cost }) as Promise<string>;
  }

  async verify(password: string, hash: string | null): Promise<boolean> {
    const ok = await this.pool.run({ op: 'compare', password, hash: hash ?? (await this.dummyHash) });
    return hash !== null && ok === true;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
