import type { Logger } from 'pino';
import type { Db } from '../db/pool.ts';
import { announce } from '../events/announce.ts';
import type { EventBus } from '../events/bus.ts';
import { markArrived, type RegistrationContext } from '../exam/queries.ts';
import type { RoomEvent } from '../protocol/liveEvents.ts';
import type { LiveDocument } from './liveDocument.ts';
import { heartbeat, markConnected, markDisconnected, PRESENCE_HEARTBEAT_MS } from './presence.ts';
import { SavedFigures } from './savedFigures.ts';

/**
 * What the invigilators see of this node's answer sockets (docs/rules.md §5): presence rows in PostgreSQL,
 * which any node reads (an invigilator on node A sees pupils on node B), a heartbeat so a dead node's pupils
 * read as disconnected, and live events for the room and the national overview.
 * Presence is a view, never the answer: a failed write is logged and the next event or heartbeat repairs it.
 */
export class PresenceReporter {
  private readonly figures: SavedFigures;
  private timer: NodeJS.Timeout | null = null;
  private readonly pendingLeaves = new Set<NodeJS.Timeout>();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly nodeId: string,
    private readonly now: () => Date,
  ) {
    this.figures = new SavedFigures(db, bus, log, now);
  }

  start(connectedIds: () => number[]): void {
    this.figures.start();
    this.timer = setInterval(() => {
      heartbeat(this.db, this.nodeId, connectedIds(), this.now()).catch((err: Error) => this.failed(err, 'presence heartbeat'));
    }, PRESENCE_HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Graceful stop; the last saved figures are published and written (call once the sockets are closed). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    // A pending leave is dropped: the row stops heartbeating and reads as gone after PRESENCE_STALE_SECONDS.
    for (const t of this.pendingLeaves) clearTimeout(t);
    this.pendingLeaves.clear();
    await this.figures.stop();
  }

  /**
   * A socket of this pupil connected here (the lobby's presence socket or the answer socket) and now holds the
   * pupil's presence: present, and in the lobby or writing from now on if they were not yet.
   */
  connected(r: RegistrationContext, socket: { deviceId: string | null; connectionId: string }, state: 'lobby' | 'writing'): void {
    const at = this.now().toISOString();
    void (async () => {
      await markConnected(this.db, r.id, { nodeId: this.nodeId, ...socket }, this.now());
      if (await markArrived(this.db, r.id, state, this.now())) this.announce(r, { type: 'candidate.state', registrationId: r.id, state, at });
      this.announce(r, { type: 'candidate.connected', registrationId: r.id, at, node: this.nodeId });
    })().catch((err: Error) => this.failed(err, 'marking a candidate connected', r.id));
  }

  /**
   * The socket `connectionId` closed. The pupil is gone only if it still held the presence (a reload or a device
   * switch made a newer holder, whose presence stays). `afterMs` lets a newer socket arrive first, e.g. the answer
   * socket after the lobby's, so a pupil moving from the lobby into the exam is never reported gone.
   */
  disconnected(r: RegistrationContext, connectionId: string, afterMs = 0): void {
    const mark = () => {
      const at = this.now().toISOString();
      // Announced once stored, so a live room opened on the announcement reads the same truth from the database.
      markDisconnected(this.db, r.id, connectionId, this.now())
        .then((gone) => {
          if (gone) this.announce(r, { type: 'candidate.disconnected', registrationId: r.id, at, node: this.nodeId });
        })
        .catch((err: Error) => this.failed(err, 'marking a candidate disconnected', r.id));
    };
    if (!afterMs) return mark();
    const timer = setTimeout(() => {
      this.pendingLeaves.delete(timer);
      mark();
    }, afterMs);
    this.pendingLeaves.add(timer);
  }

  /** One of the pupil's updates is durable: their "last saved" and words reach the room within 2 s (savedFigures.ts). */
  saved(doc: LiveDocument): void {
    this.figures.saved(doc);
  }

  forget(registrationId: number): void {
    this.figures.forget(registrationId);
  }

  private announce(r: RegistrationContext, event: RoomEvent): void {
    announce(this.bus, { sittingId: r.sitting_id, roomId: r.room_id }, event).catch((err: Error) => this.failed(err, `announcing ${event.type}`, r.id));
  }

  private failed(err: Error, what: string, registrationId?: number): void {
    this.log.warn({ err: { message: err.message }, registrationId }, `${what} failed; the live room may lag until the next event`);
  }
}
