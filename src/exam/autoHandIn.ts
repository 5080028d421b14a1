import type { AppDeps } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import { handIn } from './handInFinalizer.ts';
import { findDueHandIns } from './queries.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';

/** Registrations read per query, and hand-ins in flight at once: each is a short transaction on its own row. */
const SWEEP_PAGE = 200;
const SWEEP_CONCURRENCY = 8;

/**
 * Hands in automatically at each candidate's end + grace (docs/rules.md §4.6), online or offline, on every node:
 * the sweep reads due registrations from PostgreSQL, so it survives restarts, and handIn() locks and re-checks
 * each row, so two nodes never hand in one answer twice.
 */
export class AutoHandIn {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: AppDeps,
    private readonly drain: () => Promise<void>,
    private readonly everyMs = 2_000,
    private readonly items?: Pick<ItemTestReader, 'open'>,
    private readonly page = SWEEP_PAGE,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => {
        this.running = null;
      });
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * Hands in everything due, page after page in id order (each registration tried once per sweep), a few at a time.
   * The end of an exam makes a whole sitting due in the same second: one page of 50 per 2-s beat, one after the
   * other, handed in 25 pupils a second (docs/performance.md).
   */
  async sweep(): Promise<number> {
    let done = 0;
    let afterId = 0;
    try {
      while (!this.stopped) {
        const due = await findDueHandIns(this.deps.db, this.deps.now(), this.deps.config.ANSWER_GRACE_SECONDS, this.page, afterId);
        if (!due.length) break;
        afterId = due[due.length - 1];
        let next = 0;
        const worker = async () => {
          while (next < due.length && !this.stopped) if (await this.handInOne(due[next++])) done++;
        };
        await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, due.length) }, worker));
      }
    } catch (err) {
      this.deps.log.error({ err: { message: (err as Error).message } }, 'automatic hand-in sweep failed');
    }
    return done;
  }

  private async handInOne(registrationId: number): Promise<boolean> {
    try {
      const { created } = await handIn(this.deps, { registrationId, by: 'auto', actor: null, drain: this.drain, items: this.items });
      return created;
    } catch (err) {
      if (!(err instanceof AppError && err.id === 'not-due')) {
        this.deps.log.error({ err: { message: (err as Error).message }, registrationId }, 'automatic hand-in failed; retrying next sweep');
      }
      return false;
    }
  }
}
