import type { AppDeps } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import { handIn } from './handInFinalizer.ts';
import { findDueHandIns } from './queries.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';

/**
 * Hands in automatically at each candidate's end + grace (docs/rules.md §4.6), online or offline, on every node:
 * the sweep reads due registrations from PostgreSQL, so it survives restarts, and handIn() locks and re-checks
 * each row, so two nodes never hand in one answer twice.
 */
export class AutoHandIn {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly deps: AppDeps,
    private readonly drain: () => Promise<void>,
    private readonly everyMs = 2_000,
    private readonly items?: Pick<ItemTestReader, 'open'>,
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
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<number> {
    let done = 0;
    try {
      const due = await findDueHandIns(this.deps.db, this.deps.now(), this.deps.config.ANSWER_GRACE_SECONDS);
      for (const registrationId of due) {
        try {
          const { created } = await handIn(this.deps, { registrationId, by: 'auto', actor: null, drain: this.drain, items: this.items });
          if (created) done++;
        } catch (err) {
          if (!(err instanceof AppError && err.id === 'not-due')) {
            this.deps.log.error({ err: { message: (err as Error).message }, registrationId }, 'automatic hand-in failed; retrying next sweep');
          }
        }
      }
    } catch (err) {
      this.deps.log.error({ err: { message: (err as Error).message } }, 'automatic hand-in sweep failed');
    }
    return done;
  }
}
