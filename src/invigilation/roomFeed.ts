import { channels, type Unsubscribe } from '../events/bus.ts';
import type { BusEvent, SavedFigure } from '../protocol/liveEvents.ts';
import { recentRoomEvents } from '../events/queries.ts';
import { RESYNC_EVENT } from '../events/redisBus.ts';
import { FEED_REPLAY } from '../events/roomEventLog.ts';
import type { AppDeps } from '../http/context.ts';
import { recentLockdownEvents, roomRoster, type PresenceRow } from './queries.ts';
import { candidateView } from './rosterView.ts';

export interface Viewer {
  send(message: unknown): void;
}

/** Bus events after which the server's own view of a candidate (end time, state, lock…) must be re-read. */
const REREAD = new Set(['candidate.changed', 'candidate.state']);

/**
 * One watched room on this node: one bus subscription for all its viewers, each viewer's snapshot, and the
 * events in order. A viewer that is still waiting for its snapshot has its events queued, so nothing that
 * happens between subscribing and the snapshot is lost or shown before it.
 */
export class RoomFeed {
  private readonly viewers = new Map<Viewer, unknown[] | null>(); // null = snapshot sent, live
  private readonly unsubscribe: Unsubscribe;
  /** Candidates this node told its viewers are gone because their node stopped heartbeating. */
  private readonly announcedStale = new Set<number>();
  /**
   * The latest saved figures heard on the bus: PostgreSQL holds them only every few seconds per pupil
   * (src/sync/savedFigures.ts), so a viewer joining a watched room gets these when they are newer.
   */
  private readonly latestSaved = new Map<number, SavedFigure>();

  constructor(
    private readonly deps: AppDeps,
    readonly sittingId: number,
    readonly roomId: number,
  ) {
    this.unsubscribe = deps.bus.subscribe(channels.room(sittingId, roomId), (e) => void this.onEvent(e));
  }

  /** Adds a viewer and sends its snapshot, then whatever arrived meanwhile. */
  async join(viewer: Viewer): Promise<void> {
    this.viewers.set(viewer, []);
    await this.sendSnapshot(viewer);
  }

  /** Removes a viewer; true when the room has none left (the feed is stopped). */
  leave(viewer: Viewer): boolean {
    this.viewers.delete(viewer);
    if (this.viewers.size) return false;
    this.stop();
    return true;
  }

  stop(): void {
    this.unsubscribe();
  }

  private async sendSnapshot(viewer: Viewer): Promise<void> {
    const [roster, lockdown, feed] = await Promise.all([
      roomRoster(this.deps.db, this.sittingId, this.roomId, this.deps.now()),
      recentLockdownEvents(this.deps.db, this.sittingId, this.roomId),
      recentRoomEvents(this.deps.db, this.sittingId, this.roomId, FEED_REPLAY),
    ]);
    const queued = this.viewers.get(viewer);
    if (queued === undefined) return; // left meanwhile
    const now = this.deps.now();
    const candidates = roster.map((r) => {
      const row = candidateView(r, now, lockdown);
      const heard = this.latestSaved.get(row.registrationId);
      return heard && (!row.lastSavedAt || heard.at > row.lastSavedAt) ? { ...row, lastSavedAt: heard.at, words: heard.words } : row;
    });
    viewer.send({ type: 'snapshot', serverTime: now.toISOString(), candidates, feed });
    this.viewers.set(viewer, null);
    for (const m of queued ?? []) viewer.send(m);
  }

  private broadcast(message: unknown): void {
    for (const [viewer, queued] of this.viewers) {
      if (queued) queued.push(message);
      else viewer.send(message);
    }
  }

  private async onEvent(e: BusEvent): Promise<void> {
    try {
      if (e.type === RESYNC_EVENT) {
        // Events were lost while the bus was away: everyone gets a fresh picture from the database.
        await Promise.all(
          [...this.viewers.keys()].map((v) => {
            this.viewers.set(v, []);
            return this.sendSnapshot(v);
          }),
        );
        return;
      }
      if (e.type === 'candidates.saved') {
        // Coalesced per room on the bus; the browser gets each pupil's figures as its own event.
        for (const f of e.saved) {
          this.latestSaved.set(f.registrationId, f);
          this.broadcast({ type: 'event', event: { type: 'candidate.saved', ...f } });
        }
        return;
      }
      if (e.type === 'candidate.connected') this.announcedStale.delete(e.registrationId as number);
      this.broadcast({ type: 'event', event: e });
      if (REREAD.has(e.type) && typeof e.registrationId === 'number') await this.sendRow(e.registrationId);
    } catch (err) {
      this.deps.log.warn({ err: { message: (err as Error).message }, event: e.type }, 'live room event not forwarded');
    }
  }

  private async sendRow(registrationId: number): Promise<void> {
    const [row] = await roomRoster(this.deps.db, this.sittingId, this.roomId, this.deps.now(), registrationId);
    if (row) this.broadcast({ type: 'candidate', candidate: candidateView(row, this.deps.now()) });
  }

  /**
   * The presence rows of this room that say "connected" (from LiveRoomHub.checkPresence). A stale one belongs
   * to a node that died: announce the disconnect once, dated at the last heartbeat; if it beats again (a node
   * that was only stalled), announce it back.
   */
  notePresence(rows: PresenceRow[]): void {
    for (const r of rows) {
      const announced = this.announcedStale.has(r.registration_id);
      if (r.stale && !announced) {
        this.announcedStale.add(r.registration_id);
        this.broadcast({
          type: 'event',
          event: { type: 'candidate.disconnected', registrationId: r.registration_id, at: r.heartbeat_at.toISOString(), reason: 'node-lost' },
        });
      } else if (!r.stale && announced) {
        this.announcedStale.delete(r.registration_id);
        this.broadcast({
          type: 'event',
          event: { type: 'candidate.connected', registrationId: r.registration_id, at: this.deps.now().toISOString(), reason: 'node-back' },
        });
      }
    }
  }
}
