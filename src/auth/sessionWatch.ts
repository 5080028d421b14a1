import type { Logger } from 'pino';
import type { Db } from '../db/pool.ts';
import { endedSessions } from './queries.ts';

/** How often open sockets' sessions are re-checked: a signed-out or disabled user's sockets close within ~3 s. */
export const SESSION_CHECK_MS = 2_500;

/**
 * Ends a socket when its session ends (docs/rules.md §1): logout, password reset, a disabled user or plain expiry,
 * on this node or any other. One query per check for every socket of the hub, never one per socket, so ten
 * thousand pupils cost one round trip every few seconds. The database is the truth; no event can be missed.
 */
export class SessionWatch {
  private readonly watched = new Map<number, Set<() => void>>();
  private timer: NodeJS.Timeout | null = null;
  private checking = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly now: () => Date,
  ) {}

  /** Calls `ended` once the session is over; the returned function stops watching (the socket closed). */
  watch(sessionId: number, ended: () => void): () => void {
    let set = this.watched.get(sessionId);
    if (!set) this.watched.set(sessionId, (set = new Set()));
    set.add(ended);
    return () => {
      set.delete(ended);
      if (!set.size && this.watched.get(sessionId) === set) this.watched.delete(sessionId);
    };
  }

  start(): void {
    this.timer = setInterval(() => void this.check(), SESSION_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async check(): Promise<void> {
    if (this.checking || !this.watched.size) return;
    this.checking = true;
    try {
      for (const id of await endedSessions(this.db, [...this.watched.keys()], this.now())) {
        for (const ended of [...(this.watched.get(id) ?? [])]) ended();
        this.watched.delete(id);
      }
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message } }, 'session check failed; retrying at the next one');
    } finally {
      this.checking = false;
    }
  }
}
