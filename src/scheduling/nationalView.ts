import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { cookieFromHeader, resolveSession } from '../auth/sessions.ts';
import { SessionWatch } from '../auth/sessionWatch.ts';
import { channels } from '../events/bus.ts';
import { NationalClose, type CloseCode } from '../protocol/closeCodes.ts';
import type { AppDeps } from '../http/context.ts';
import type { UpgradeRoute } from '../http/upgrade.ts';
import { nationalOverview } from './queries.ts';

/**
 * The ministry's live national view (docs/rules.md §2): counts per school, recomputed at most once a second per sitting
 * while candidates connect, write, disconnect and hand in anywhere in the country, and pushed to every viewer.
 */
export class NationalViewHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private readonly viewers = new Map<number, Set<WebSocket>>();
  private readonly pending = new Set<number>();
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  private readonly sessions: SessionWatch;

  constructor(private readonly deps: AppDeps) {
    this.sessions = new SessionWatch(deps.db, deps.log, deps.now);
  }

  readonly route: UpgradeRoute = {
    prefix: '/ws/national/',
    handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => this.wss.handleUpgrade(req, socket, head, (ws) => void this.accept(ws, req)),
  };

  start(): void {
    this.sessions.start();
    this.unsubscribe = this.deps.bus.subscribe(channels.national(), (e) => {
      if ('sittingId' in e && this.viewers.has(e.sittingId)) this.pending.add(e.sittingId);
    });
    this.timer = setInterval(() => void this.push(), 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    this.sessions.stop();
    for (const set of this.viewers.values()) for (const ws of set) ws.close(NationalClose.restarting.code, NationalClose.restarting.reason);
    this.wss.close();
  }

  private async accept(ws: WebSocket, req: IncomingMessage): Promise<void> {
    // A socket error is always followed by 'close', which removes the viewer; the listener only keeps ws from throwing.
    ws.on('error', () => {
      /* see above */
    });
    const sittingId = Number((req.url ?? '').slice('/ws/national/'.length).split(/[?/]/)[0]);
    const token = cookieFromHeader(req.headers.cookie);
    const session = token ? await resolveSession(this.deps.db, token, this.deps.now()) : null;
    if (!session || !('actor' in session)) return close(ws, NationalClose.unauthenticated);
    if (session.actor.role !== 'ministry') return close(ws, NationalClose.forbidden);
    if (!Number.isSafeInteger(sittingId) || sittingId <= 0) return close(ws, NationalClose.unknownSitting);
    let set = this.viewers.get(sittingId);
    if (!set) this.viewers.set(sittingId, (set = new Set()));
    set.add(ws);
    const unwatch = this.sessions.watch(session.actor.sessionId, () => close(ws, NationalClose.unauthenticated));
    ws.on('close', () => {
      unwatch();
      set!.delete(ws);
      if (!set!.size) this.viewers.delete(sittingId);
    });
    await this.send(sittingId, [ws]);
  }

  private async push(): Promise<void> {
    for (const id of [...this.pending]) {
      this.pending.delete(id);
      // One sitting's failed read must not stop the others; its next event schedules a fresh push.
      await this.send(id, [...(this.viewers.get(id) ?? [])]).catch((err: unknown) =>
        this.deps.log.warn({ err, sittingId: id }, 'national overview push failed'),
      );
    }
  }

  private async send(sittingId: number, to: WebSocket[]): Promise<void> {
    if (!to.length) return;
    const message = JSON.stringify({ ...(await nationalOverview(this.deps.db, sittingId, this.deps.now())), at: this.deps.now().toISOString() });
    for (const ws of to) if (ws.readyState === ws.OPEN) ws.send(message);
  }
}

const close = (ws: WebSocket, c: CloseCode) => ws.close(c.code, c.reason);
