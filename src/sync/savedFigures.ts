import type { Logger } from 'pino';
import type { Db } from '../db/pool.ts';
import { channels, type EventBus } from '../events/bus.ts';
import type { SavedFigure } from '../protocol/liveEvents.ts';
import type { LiveDocument } from './liveDocument.ts';
import { markSavedMany } from './presence.ts';

/** How often the figures of every pupil who saved reach their live room: well inside the 2 s of docs/rules.md §5. */
export const SAVED_PUBLISH_MS = 1_000;
/** How often one pupil's figures are written to PostgreSQL (for a room opened later, on any node). */
export const SAVED_WRITE_EVERY_MS = 10_000;

/**
 * "Sidst gemt" and "Ord" for the live room (docs/rules.md §5). A save happens every few hundred milliseconds per
 * typing pupil; publishing or writing each would cost a bus message and a database write per keystroke. Instead the
 * pupils who saved are collected in memory and, once a second, one `candidates.saved` event per room goes out on the
 * bus with each one's latest figures, the words counted once (block by block, wordCounter.ts). PostgreSQL gets the
 * figures of all due pupils in one statement, at most every 10 s per pupil, and never misses the last ones.
 */
export class SavedFigures {
  /** Pupils who saved since the last publish: their document (counted at publish) and when the last save was durable. */
  private readonly dirty = new Map<number, { doc: LiveDocument; at: Date }>();
  /** Figures published but not yet written, and when each pupil's were last written. */
  private readonly unwritten = new Map<number, { at: Date; words: number }>();
  private readonly lastWritten = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly now: () => Date,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), SAVED_PUBLISH_MS);
    this.timer.unref();
  }

  /** Graceful stop: what was saved is published and written once more. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush(true);
  }

  /** One of the pupil's updates is durable. */
  saved(doc: LiveDocument): void {
    this.dirty.set(doc.registrationId, { doc, at: this.now() });
  }

  /** The document left memory: its last figures are still published; nothing else is kept for it. */
  forget(registrationId: number): void {
    if (!this.unwritten.has(registrationId) && !this.dirty.has(registrationId)) this.lastWritten.delete(registrationId);
  }

  /** Publishes the figures of every pupil who saved since the last call, then writes those that are due. */
  flush(writeAll = false): Promise<void> {
    // One at a time: a slow database must not stack up flushes, and figures stay in order.
    this.flushing ??= this.publishAndWrite(writeAll).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async publishAndWrite(writeAll: boolean): Promise<void> {
    const rooms = new Map<string, { sittingId: number; roomId: number; saved: SavedFigure[] }>();
    for (const [id, { doc, at }] of this.dirty) {
      const r = doc.context;
      const figure = { registrationId: id, at: at.toISOString(), words: doc.wordCount() };
      const key = `${r.sitting_id}:${r.room_id}`;
      if (!rooms.has(key)) rooms.set(key, { sittingId: r.sitting_id, roomId: r.room_id, saved: [] });
      rooms.get(key)!.saved.push(figure);
      this.unwritten.set(id, { at, words: figure.words });
    }
    this.dirty.clear();
    const at = this.now().toISOString();
    await Promise.all(
      [...rooms.values()].map((room) =>
        this.bus
          .publish(channels.room(room.sittingId, room.roomId), { type: 'candidates.saved', at, saved: room.saved })
          .catch((err: Error) => this.log.warn({ err: { message: err.message } }, 'saved figures not published; the next save repairs it')),
      ),
    );
    const t = Date.now(); // a rate limit, not exam time
    const due = [...this.unwritten].filter(([id]) => writeAll || t - (this.lastWritten.get(id) ?? 0) >= SAVED_WRITE_EVERY_MS);
    if (!due.length) return;
    try {
      await markSavedMany(
        this.db,
        due.map(([registrationId, f]) => ({ registrationId, ...f })),
      );
      for (const [id] of due) {
        this.unwritten.delete(id);
        this.lastWritten.set(id, t);
      }
    } catch (err) {
      // Kept unwritten: the next flush tries again. Presence is a view; the answer itself is safe.
      this.log.warn({ err: { message: (err as Error).message } }, 'storing saved figures failed; retried with the next flush');
    }
  }
}
