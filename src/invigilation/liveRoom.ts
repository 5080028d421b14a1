import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { cookieFromHeader, resolveSession } from '../auth/sessions.ts';
import { mayInvigilate } from '../auth/permissions.ts';
import { channels, type LiveEvent } from '../events/bus.ts';
import type { AppDeps } from '../http/context.ts';
import type { UpgradeRoute } from '../http/upgrade.ts';
import { Close } from '../sync/closeCodes.ts';
import { ANSWER_LIMITS } from '../sync/limits.ts';
import { assignedRooms, recentLockdownEvents, roomRoster } from './queries.ts';
import { candidateView } from './rosterView.ts';

export const LIVE_ROOM_PATH = '/ws/invigilate/';

/**
 * The invigilator's live room (SPEC §5): a snapshot of every candidate on connect, then every event of the
 * room as it happens (connect, disconnect, save, state, lockdown), pushed, never polled. Events that change
 * what the server computes (extra time, pause…) are answered with a fresh row for that candidate.
 */
export class LiveRoomHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly sockets = new Set<WebSocket & { alive?: boolean }>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(private readonly deps: AppDeps) {}

  readonly route: UpgradeRoute = {
    prefix: LIVE_ROOM_PATH,
    handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => this.wss.handleUpgrade(req, socket, head, (ws) => void this.accept(ws, req)),
  };

  start(): void {
    this.heartbeat = setInterval(() => {
      for (const ws of this.sockets) {
        if (ws.alive === false) { ws.terminate(); continue; }
        ws.alive = false;
        ws.ping();
      }
    }, ANSWER_LIMITS.heartbeatMs);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const ws of this.sockets) ws.close(Close.restarting.code, Close.restarting.reason);
    this.wss.close();
  }

  private async accept(ws: WebSocket & { alive?: boolean }, req: IncomingMessage): Promise<void> {
    ws.on('error', () => {});
    const close = (c: { code: number; reason: string }) => ws.close(c.code, c.reason);
    const [sittingId, roomId] = (req.url ?? '').slice(LIVE_ROOM_PATH.length).split(/[?]/)[0].split('/').map(Number);
    if (!Number.isSafeInteger(sittingId) || !Number.isSafeInteger(roomId)) return close(Close.unknownRegistration);
    const token = cookieFromHeader(req.headers.cookie);
    const session = token ? await resolveSession(this.deps.db, token, this.deps.now()) : null;
    if (!session || !('actor' in session)) return close(Close.unauthenticated);
    const actor = session.actor;
    if (actor.role !== 'invigilator') return close(Close.forbidden);
    const rooms = (await assignedRooms(this.deps.db, actor.userId)).filter((r) => r.sitting_id === sittingId).map((r) => r.room_id);
    if (!mayInvigilate(actor, rooms, roomId)) return close({ code: 4404, reason: 'unknown room' });

    ws.alive = true;
    ws.on('pong', () => { ws.alive = true; });
    this.sockets.add(ws);
    const send = (m: unknown) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m)); };
    // Subscribe before the snapshot so nothing that happens in between is missed.
    const unsubscribe = this.deps.bus.subscribe(channels.room(sittingId, roomId), (e) => void this.forward(e, sittingId, roomId, send));
    ws.on('close', () => { unsubscribe(); this.sockets.delete(ws); });
    const [roster, lockdown] = await Promise.all([roomRoster(this.deps.db, sittingId, roomId), recentLockdownEvents(this.deps.db, sittingId, roomId)]);
    const now = this.deps.now();
    send({ type: 'snapshot', serverTime: now.toISOString(), candidates: roster.map((r) => candidateView(r, now, lockdown)) });
  }

  private async forward(e: LiveEvent, sittingId: number, roomId: number, send: (m: unknown) => void): Promise<void> {
    send({ type: 'event', event: e });
    if (e.type === 'candidate.changed' || e.type === 'candidate.state') {
      const [row] = await roomRoster(this.deps.db, sittingId, roomId, e.registrationId as number);
      if (row) send({ type: 'candidate', candidate: candidateView(row, this.deps.now()) });
    }
  }
}
