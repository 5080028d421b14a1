import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { cookieFromHeader, resolveSession } from '../auth/sessions.ts';
import type { AppDeps } from '../http/context.ts';
import { startHeartbeat, watchPongs, type PingedSocket } from '../http/heartbeat.ts';
import type { UpgradeRoute } from '../http/upgrade.ts';
import { SessionWatch } from '../auth/sessionWatch.ts';
import { LiveRoomClose } from '../protocol/closeCodes.ts';
import { PRESENCE_HEARTBEAT_MS } from '../sync/presence.ts';
import { invigilatorAccess } from './permissions.ts';
import { connectedPresence, isAssigned } from './queries.ts';
import { RoomFeed, type Viewer } from './roomFeed.ts';

export const LIVE_ROOM_PATH = '/ws/invigilate/';

/**
 * The invigilators' live room (docs/rules.md §5) on this node: `/ws/invigilate/<sittingId>/<roomId>`, session cookie,
 * assigned invigilators only. One RoomFeed per watched room holds the bus subscription and the viewers.
 * Server → client messages (JSON):
 *   {type:'snapshot', serverTime, candidates, feed}   on connect and after the bus lost events (resync); `feed`
 *                                               is the room's stored events (hand-ins, actions, locks, lockdown,
 *                                               notes), oldest first, each with its `seq`
 *   {type:'event', event}                       each bus event of the room as it arrives (connect, disconnect,
 *                                               save, state, lockdown, incident, candidate.changed); a stored one
 *                                               carries the same `seq` as in a later snapshot's feed
 *   {type:'candidate', candidate}               a re-read row after a change the server computes (extra time…)
 * Pings every 2 s; a socket that missed a pong is terminated, so a dead invigilator laptop is noticed.
 */
export class LiveRoomHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly feeds = new Map<string, RoomFeed>();
  private readonly sockets = new Set<PingedSocket>();
  private timers: NodeJS.Timeout[] = [];
  private checking = false;

  private readonly sessions: SessionWatch;

  constructor(private readonly deps: AppDeps) {
    this.sessions = new SessionWatch(deps.db, deps.log, deps.now);
  }

  readonly route: UpgradeRoute = {
    prefix: LIVE_ROOM_PATH,
    handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => this.wss.handleUpgrade(req, socket, head, (ws) => void this.accept(ws, req)),
  };

  start(): void {
    const ping = startHeartbeat(() => this.sockets);
    const presence = setInterval(() => void this.checkPresence(), PRESENCE_HEARTBEAT_MS);
    this.timers = [ping, presence];
    for (const t of this.timers) t.unref();
    this.sessions.start();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.sessions.stop();
    for (const ws of this.sockets) ws.close(LiveRoomClose.restarting.code, LiveRoomClose.restarting.reason);
    for (const feed of this.feeds.values()) feed.stop();
    this.feeds.clear();
    this.wss.close();
  }

  /** Rooms watched on this node (tests). */
  watchedRooms(): number {
    return this.feeds.size;
  }

  private async accept(ws: PingedSocket, req: IncomingMessage): Promise<void> {
    // A socket error is always followed by 'close', which removes the viewer; the listener only keeps ws from throwing.
    ws.on('error', () => {
      /* see above */
    });
    // Nothing a viewer sends is meaningful; cap what arrives before authentication by dropping it.
    ws.on('message', () => {
      /* dropped on purpose */
    });
    const close = (c: { code: number; reason: string }) => ws.close(c.code, c.reason);
    try {
      const m = /^\/ws\/invigilate\/(\d{1,15})\/(\d{1,15})\/?(?:\?.*)?$/.exec(req.url ?? '');
      const token = cookieFromHeader(req.headers.cookie);
      const session = token ? await resolveSession(this.deps.db, token, this.deps.now()) : null;
      if (!session || !('actor' in session)) return close(LiveRoomClose.unauthenticated);
      if (invigilatorAccess(session.actor, true) === 'wrong-role') return close(LiveRoomClose.forbidden);
      if (!m) return close(LiveRoomClose.unknownRoom);
      const [sittingId, roomId] = [Number(m[1]), Number(m[2])];
      if (invigilatorAccess(session.actor, await isAssigned(this.deps.db, session.actor.userId, sittingId, roomId)) !== 'allowed') {
        return close(LiveRoomClose.unknownRoom);
      }
      if (ws.readyState !== ws.OPEN) return;

      watchPongs(ws);
      this.sockets.add(ws);
      const feed = this.feedFor(sittingId, roomId);
      const viewer: Viewer = {
        send: (msg) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
        },
      };
      const unwatch = this.sessions.watch(session.actor.sessionId, () => close(LiveRoomClose.unauthenticated));
      ws.on('close', () => {
        unwatch();
        this.sockets.delete(ws);
        if (feed.leave(viewer)) this.feeds.delete(key(sittingId, roomId));
      });
      await feed.join(viewer);
    } catch (err) {
      this.deps.log.error({ err: { message: (err as Error).message } }, 'live room set-up failed');
      close(LiveRoomClose.unavailable);
    }
  }

  private feedFor(sittingId: number, roomId: number): RoomFeed {
    let feed = this.feeds.get(key(sittingId, roomId));
    if (!feed) this.feeds.set(key(sittingId, roomId), (feed = new RoomFeed(this.deps, sittingId, roomId)));
    return feed;
  }

  /**
   * A node that dies publishes no "disconnected" for its candidates; their presence rows stop heartbeating.
   * Every node watching a room looks for such rows every few seconds and tells its own viewers, so the live
   * room shows the pupil as disconnected since the last heartbeat (within PRESENCE_STALE_SECONDS + 5 s).
   */
  async checkPresence(): Promise<void> {
    if (this.checking || !this.feeds.size) return;
    this.checking = true;
    try {
      const feeds = [...this.feeds.values()];
      const rows = await connectedPresence(
        this.deps.db,
        feeds.map((f) => ({ sittingId: f.sittingId, roomId: f.roomId })),
        this.deps.now(),
      );
      for (const feed of feeds) feed.notePresence(rows.filter((r) => r.sitting_id === feed.sittingId && r.room_id === feed.roomId));
    } catch (err) {
      this.deps.log.warn({ err: { message: (err as Error).message } }, 'live room presence check failed');
    } finally {
      this.checking = false;
    }
  }
}

const key = (sittingId: number, roomId: number) => `${sittingId}:${roomId}`;
