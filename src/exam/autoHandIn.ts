import type { AppDeps } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import { handInSet } from './handInSet.ts';
import { findDueHandIns } from './queries.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';

/** Registrations read per query; hand-ins per transaction (handInSet); such transactions at once. */
const SWEEP_PAGE = 400;
const BATCH = 100;
const SWEEP_CONCURRENCY = 4;

/**
 * Hands in automatically at each candidate's end + grace (docs/rules.md §4.6), online or offline, on every node:
 * the sweep reads due registrations from PostgreSQL, so it survives restarts, and handInSet() locks and re-checks
 * each row, so two nodes never hand in one answer twice.
 */
export class AutoHandIn {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  /** Set while a sweep hands in (from its first due page to its end). */
  private draining = false;

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
   * Hands in everything due, page after page in id order (each registration tried once per sweep), in batches of
   * one transaction each, a few at once. The end of an exam makes a whole sitting due in the same second: one
   * transaction per pupil, 50 per 2-s beat, handed in 25 pupils a second (docs/performance.md).
   */
  async sweep(): Promise<number> {
    let done = 0;
    let afterId = 0;
    try {
      while (!this.stopped) {
        const due = await findDueHandIns(this.deps.db, this.deps.now(), this.deps.config.ANSWER_GRACE_SECONDS, this.page, afterId);
        if (!due.length) break;
        this.draining = true;
        afterId = due[due.length - 1];
        const batches: number[][] = [];
        for (let i = 0; i < due.length; i += BATCH) batches.push(due.slice(i, i + BATCH));
        const worker = async () => {
          for (let b = batches.shift(); b && !this.stopped; b = batches.shift()) done += await this.handInBatch(b);
        };
        await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, batches.length) }, worker));
      }
    } catch (err) {
      this.deps.log.error({ err: { message: (err as Error).message } }, 'automatic hand-in sweep failed');
    } finally {
      this.draining = false;
    }
    return done;
  }

  /** True while a batch of automatic hand-ins is in progress (the PDF queue waits for the receipts). */
  get handingIn(): boolean {
    return this.draining;
  }

  private async handInBatch(ids: number[]): Promise<number> {
    let outcomes: Awaited<ReturnType<typeof handInSet>>;
    try {
      outcomes = await handInSet(
        this.deps,
        ids.map((registrationId) => ({ registrationId, by: 'auto' as const, actor: null, drain: this.drain, items: this.items })),
      );
    } catch (err) {
      outcomes = ids.map(() => err as Error);
    }
    let created = 0;
    for (const [i, o] of outcomes.entries()) {
      if (!(o instanceof Error)) created += o.created ? 1 : 0;
      else if (!(o instanceof AppError && o.id === 'not-due')) {
        this.deps.log.error({ err: { message: o.message }, registrationId: ids[i] }, 'automatic hand-in failed; retrying next sweep');
      }
    }
    return created;
  }
}
