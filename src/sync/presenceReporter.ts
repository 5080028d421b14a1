import type { Logger } from 'pino';
import type { Db } from '../db/pool.ts';
import { announce } from '../events/announce.ts';
import type { EventBus } from '../events/bus.ts';
import { markArrived, type RegistrationContext } from '../exam/queries.ts';
import type { RoomEvent } from '../protocol/liveEvents.ts';
import type { LiveDocument } from './liveDocument.ts';
import { heartbeat, markConnected, markDisconnected, markSaved, PRESENCE_HEARTBEAT_MS } from './presence.ts';

/** "Last saved" and words reach the live room at most this often per answer (see saved()). */
const SAVED_EVENT_EVERY_MS = 10_000;

/**
 * What the invigilators see of this node's answer sockets (docs/rules.md §5): presence rows in PostgreSQL,
 * which any node reads (an invigilator on node A sees pupils on node B), a heartbeat so a dead node's pupils
 * read as disconnected, and live events for the room and the national overview.
 * Presence is a view, never the answer: a failed write is logged and the next event or heartbeat repairs it.
 */
export class PresenceReporter {
  private readonly lastSavedEvent = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly nodeId: string,
    private readonly now: () => Date,
  ) {}

  start(connectedIds: () => number[]): void {
    this.timer = setInterval(() => {
      heartbeat(this.db, this.nodeId, connectedIds(), this.now()).catch((err: Error) => this.failed(err, 'presence heartbeat'));
    }, PRESENCE_HEARTBEAT_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** A device of this pupil connected here: present, and writing from now on if it was not yet. */
  connected(r: RegistrationContext, deviceId: string | null): void {
    const at = this.now().toISOString();
    void (async () => {
      await markConnected(this.db, r.id, this.nodeId, deviceId, this.now());
      if (await markArrived(this.db, r.id, 'writing', this.now())) this.announce(r, { type: 'candidate.state', registrationId: r.id, state: 'writing', at });
      this.announce(r, { type: 'candidate.connected', registrationId: r.id, at, node: this.nodeId });
    })().catch((err: Error) => this.failed(err, 'marking a candidate connected', r.id));
  }

  /** The pupil's last device on this node left (a takeover is not a disconnect: the caller knows which). */
  disconnected(r: RegistrationContext): void {
    const at = this.now().toISOString();
    // Announced once stored, so a live room opened on the announcement reads the same truth from the database.
    markDisconnected(this.db, r.id, this.nodeId, this.now())
      .catch((err: Error) => this.failed(err, 'marking a candidate disconnected', r.id))
      .finally(() => this.announce(r, { type: 'candidate.disconnected', registrationId: r.id, at, node: this.nodeId }));
  }

  /**
   * "Last durable save" and words, at most every 10 s per answer: with thousands of pupils typing, counting
   * words walks every document, so it must stay rare (the invigilator needs minutes, not milliseconds).
   */
  saved(doc: LiveDocument): void {
    const t = Date.now(); // a rate limit, not exam time: the monotonic-enough process clock is right here
    if (doc.destroyed || t - (this.lastSavedEvent.get(doc.registrationId) ?? 0) < SAVED_EVENT_EVERY_MS) return;
    this.lastSavedEvent.set(doc.registrationId, t);
    const r = doc.context;
    const words = doc.wordCount();
    markSaved(this.db, r.id, words, this.now()).catch((err: Error) => this.failed(err, 'storing last saved', r.id));
    this.announce(r, { type: 'candidate.saved', registrationId: r.id, at: this.now().toISOString(), words });
  }

  forget(registrationId: number): void {
    this.lastSavedEvent.delete(registrationId);
  }

  private announce(r: RegistrationContext, event: RoomEvent): void {
    announce(this.bus, { sittingId: r.sitting_id, roomId: r.room_id }, event).catch((err: Error) => this.failed(err, `announcing ${event.type}`, r.id));
  }

  private failed(err: Error, what: string, registrationId?: number): void {
    this.log.warn({ err: { message: err.message }, registrationId }, `${what} failed; the live room may lag until the next event`);
  }
}
