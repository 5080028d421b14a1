import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SessionWatch } from '../auth/sessionWatch.ts';
import type { AppDeps } from '../http/context.ts';
import { startHeartbeat, watchPongs, type PingedSocket } from '../http/heartbeat.ts';
import type { UpgradeRoute } from '../http/upgrade.ts';
import { LobbyClose, type CloseCode } from '../protocol/closeCodes.ts';
import { decideLobbyPresence } from './admission.ts';
import { readAdmission } from './admissionReader.ts';
import { useDeviceSwitch } from './deviceSwitch.ts';
import type { PresenceReporter } from './presenceReporter.ts';

export const LOBBY_PATH = '/ws/lobby/';

/**
 * How long a closed lobby socket waits before the pupil counts as gone: the answer socket (at the start) or the
 * reloaded page's new lobby socket takes the presence over meanwhile, so neither is an alarm in the live room.
 * Short enough that a pupil who really left shows as gone within the 5 s of docs/rules.md §5.
 */
export const LOBBY_LEAVE_GRACE_MS = 2_000;

type LobbySocket = PingedSocket;

/**
 * The lobby's presence socket (docs/protocol.md): a pupil waiting for the start holds it open, and the live room
 * shows them present and connected. Nothing is sent on it; the server only pings. It is decided by the pure
 * `decideLobbyPresence` and reported through the same presence rows and events as the answer socket.
 */
export class LobbyHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false });
  private readonly sockets = new Map<LobbySocket, number>();
  private heartbeat: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    private readonly deps: AppDeps,
    private readonly presence: PresenceReporter,
    private readonly sessions: SessionWatch,
  ) {}

  readonly route: UpgradeRoute = {
    prefix: LOBBY_PATH,
    handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.closing) return void socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws) => void this.accept(ws, req));
    },
  };

  /** Registrations with a lobby socket on this node (their presence rows are heartbeaten here). */
  connectedIds(): number[] {
    return [...new Set(this.sockets.values())];
  }

  start(): void {
    // A lobby laptop that vanished misses a pong and is terminated, so the room sees it gone within seconds.
    this.heartbeat = startHeartbeat(() => this.sockets.keys());
  }

  stop(): void {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const ws of this.sockets.keys()) close(ws, LobbyClose.restarting);
    this.wss.close();
  }

  private async accept(ws: LobbySocket, req: IncomingMessage): Promise<void> {
    ws.on('error', () => {
      /* always followed by 'close' */
    });
    // Nothing a pupil sends here means anything; dropping it also caps what arrives before authentication.
    ws.on('message', () => {
      /* dropped on purpose */
    });
    try {
      const { input, sessionId } = await readAdmission(this.deps, req, this.deps.config.ANSWER_GRACE_SECONDS, LOBBY_PATH);
      const decision = decideLobbyPresence(input);
      if (!decision.admit) return close(ws, decision.close);
      const r = input.registration!;
      if (decision.usesDeviceSwitch && !(await useDeviceSwitch(this.deps, r, input.device.id))) return close(ws, LobbyClose.deviceInUse);
      if (ws.readyState !== ws.OPEN) return;
      const connectionId = randomUUID();
      watchPongs(ws);
      this.sockets.set(ws, r.id);
      const unwatch = this.sessions.watch(sessionId!, () => close(ws, LobbyClose.unauthenticated));
      ws.on('close', () => {
        unwatch();
        this.sockets.delete(ws);
        this.presence.disconnected(r, connectionId, this.closing ? 0 : LOBBY_LEAVE_GRACE_MS);
      });
      this.presence.connected(r, { deviceId: input.device.id, connectionId }, 'lobby');
    } catch (err) {
      this.deps.log.error({ err: { message: (err as Error).message } }, 'lobby presence set-up failed');
      close(ws, LobbyClose.unavailable);
    }
  }
}

const close = (ws: WebSocket, c: CloseCode) => ws.close(c.code, c.reason);
