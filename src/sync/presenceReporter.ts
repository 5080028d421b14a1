import type { Logger } from 'pino';
import type { Db } from '../db/pool.ts';
import { READ_BATCH_DEFAULTS } from '../db/readBatch.ts';
import { announce } from '../events/announce.ts';
import type { EventBus } from '../events/bus.ts';
import { markArrivedMany, type RegistrationContext } from '../exam/queries.ts';
import type { RoomEvent } from '../protocol/liveEvents.ts';
import type { LiveDocument } from './liveDocument.ts';
import { heartbeat, markConnectedMany, markDisconnected, PRESENCE_HEARTBEAT_MS } from './presence.ts';
import { SavedFigures } from './savedFigures.ts';

/**
 * What the invigilators see of this node's answer sockets (docs/rules.md §5): presence rows in PostgreSQL,
 * which any node reads (an invigilator on node A sees pupils on node B), a heartbeat so a dead node's pupils
 * read as disconnected, and live events for the room and the national overview.
 * Presence is a view, never the answer: a failed write is logged and the next event or heartbeat repairs it.
 */
/** Pauses before each attempt to write a batch of arrivals: at once, then twice more. */
const ARRIVAL_RETRY_MS = [0, 250, 1000];

export class PresenceReporter {
  private readonly figures: SavedFigures;
  private timer: NodeJS.Timeout | null = null;
  private readonly pendingLeaves = new Set<NodeJS.Timeout>();
  /** Arrivals not yet written, by registration (the newest socket of each), and the write that will take them. */
  private arrivals: { rows: Map<number, Arrival>; written: Promise<void> } | null = null;
  /** The last arrival write: arrivals are written one batch after the other, so an older holder never wins. */
  private lastWritten: Promise<void> = Promise.resolve();
  /** Per registration, the write of its latest arrival: a leave is written after it, never before. */
  private readonly arriving = new Map<number, Promise<void>>();

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
    await this.lastWritten;
    await this.figures.stop();
  }

  /**
   * A socket of this pupil connected here (the lobby's presence socket or the answer socket) and now holds the
   * pupil's presence: present, and in the lobby or writing from now on if they were not yet.
   */
  connected(r: RegistrationContext, socket: { deviceId: string | null; connectionId: string }, state: 'lobby' | 'writing'): void {
    // A start storm's arrivals are written together: two statements per few milliseconds instead of two per socket.
    if (!this.arrivals) {
      const rows = new Map<number, Arrival>();
      const written = this.lastWritten
        .then(() => new Promise((resolve) => setTimeout(resolve, READ_BATCH_DEFAULTS.windowMs)))
        .then(() => this.writeArrivals(rows));
      this.arrivals = { rows, written };
      this.lastWritten = written;
    }
    this.arrivals.rows.set(r.id, { r, socket, state, at: this.now().toISOString() });
    const written = this.arrivals.written;
    this.arriving.set(r.id, written);
    void written.then(() => {
      if (this.arriving.get(r.id) === written) this.arriving.delete(r.id);
    });
  }

  private async writeArrivals(rows: Map<number, Arrival>): Promise<void> {
    if (this.arrivals?.rows === rows) this.arrivals = null;
    // In id order: two nodes writing overlapping batches lock the rows in the same order and cannot deadlock.
    const all = [...rows.values()].sort((a, b) => a.r.id - b.r.id);
    // A failed batch is tried again (a database blip, a rare deadlock between nodes): unlike a lone pupil's row, a
    // whole storm's arrivals would otherwise stay unwritten, and the heartbeat only refreshes rows already written.
    // Leaves wait for this promise, so a retry can never overwrite a later leave.
    for (const [attempt, pause] of ARRIVAL_RETRY_MS.entries()) {
      if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
      if (await this.tryWriteArrivals(all, attempt === ARRIVAL_RETRY_MS.length - 1)) return;
    }
  }

  private async tryWriteArrivals(all: Arrival[], last: boolean): Promise<boolean> {
    try {
      const now = this.now();
      await markConnectedMany(
        this.db,
        all.map((a) => ({ registrationId: a.r.id, nodeId: this.nodeId, ...a.socket })),
        now,
      );
      const moved = await markArrivedMany(
        this.db,
        all.map((a) => ({ registrationId: a.r.id, state: a.state })),
        now,
      );
      for (const a of all) {
        if (moved.has(a.r.id)) this.announce(a.r, { type: 'candidate.state', registrationId: a.r.id, state: a.state, at: a.at });
        this.announce(a.r, { type: 'candidate.connected', registrationId: a.r.id, at: a.at, node: this.nodeId });
      }
      return true;
    } catch (err) {
      if (last) this.failed(err as Error, `marking ${all.length} candidate(s) connected`);
      return false;
    }
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
    const afterArrival = () => {
      const arrival = this.arriving.get(r.id);
      if (arrival) void arrival.then(mark);
      else mark();
    };
    if (!afterMs) return afterArrival();
    const timer = setTimeout(() => {
      this.pendingLeaves.delete(timer);
      afterArrival();
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

interface Arrival {
  r: RegistrationContext;
  socket: { deviceId: string | null; connectionId: string };
  state: 'lobby' | 'writing';
  at: string;
}
