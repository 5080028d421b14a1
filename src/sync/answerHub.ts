import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { channels } from '../events/bus.ts';
import { examView } from '../exam/examView.ts';
import { findCurrentSubmission, findRegistrationContext, type RegistrationContext } from '../exam/queries.ts';
import type { AppDeps } from '../http/context.ts';
import type { UpgradeRoute } from '../http/upgrade.ts';
import { lockForMismatch } from '../lockdown/enforcement.ts';
import { AnswerClose, type CloseCode } from '../protocol/closeCodes.ts';
import { encodeControl } from '../protocol/codec.ts';
import type { Control } from '../protocol/control.ts';
import { ANSWER_LIMITS } from '../protocol/limits.ts';
import type { RegistrationEvent } from '../protocol/liveEvents.ts';
import { decideAdmission } from './admission.ts';
import { ackDelayMs } from './ackPacing.ts';
import { beatAction } from './liveness.ts';
import { ANSWER_PATH, readAdmission } from './admissionReader.ts';
import { AnswerConnection, type ConnectionClock } from './answerConnection.ts';
import type { DocumentRegistry } from './documentRegistry.ts';
import type { LiveDocument } from './liveDocument.ts';
import type { PresenceReporter } from './presenceReporter.ts';
import type { SessionWatch } from '../auth/sessionWatch.ts';
import { useDeviceSwitch } from './deviceSwitch.ts';

/**
 * The answer websocket of one node (docs/protocol.md): reads what admission needs, lets the pure
 * `decideAdmission` decide, attaches the socket to the registration's live document, and reacts to the
 * registration's events (takeover on another node, hand-in, extra time, lock). Documents live in the
 * registry, presence in the reporter; `sync/module.ts` wires them together.
 */
export class AnswerHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * ANSWER_LIMITS.maxMessageBytes, perMessageDeflate: false });
  private readonly connections = new Set<AnswerConnection>();
  private heartbeat: NodeJS.Timeout | null = null;
  private closing = false;
  /** Sockets upgraded or upgrading whose opening has not been sent yet: a start storm shows here first. */
  private readonly admitting = new Set<Duplex>();
  readonly clock: ConnectionClock;

  constructor(
    private readonly deps: AppDeps,
    private readonly docs: DocumentRegistry,
    private readonly presence: PresenceReporter,
    private readonly sessions: SessionWatch,
  ) {
    this.clock = {
      now: () => deps.now(),
      graceSeconds: deps.config.ANSWER_GRACE_SECONDS,
      ackDelayMs: () => ackDelayMs(this.admitting.size),
    };
  }

  get connectedCount(): number {
    return this.connections.size;
  }

  readonly route: UpgradeRoute = {
    prefix: ANSWER_PATH,
    handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.closing) {
        socket.destroy();
        return;
      }
      // Counted until its opening is sent or it is refused; a handshake that fails never calls back, so the socket's
      // close counts it out too.
      const admitted = () => this.admitting.delete(socket);
      this.admitting.add(socket);
      socket.once('close', admitted);
      this.wss.handleUpgrade(req, socket, head, (ws) => void this.accept(ws, req).finally(admitted));
    },
  };

  start(): void {
    // A dead socket misses one pong and is gone within two beats: the invigilator sees it within ~5 s.
    this.heartbeat = setInterval(() => {
      const now = performance.now();
      for (const c of this.connections) {
        const action = beatAction(c, now, ANSWER_LIMITS.heartbeatMs);
        if (action === 'terminate') c.ws.terminate();
        else if (action === 'ping') {
          c.pingedAt = now;
          c.ws.ping();
        }
      }
    }, ANSWER_LIMITS.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Graceful stop (docs/rules.md §9): refuse new sockets, then (after the caller drained) tell clients to reconnect. */
  async stop(drain: () => Promise<void>): Promise<void> {
    this.closing = true;
    this.docs.stop();
    if (this.heartbeat) clearInterval(this.heartbeat);
    await drain();
    await new Promise((r) => setImmediate(r)); // the last commits' acknowledgements become due
    AnswerConnection.flushAcks(); // and go out now, even those a start storm would hold
    for (const c of this.connections) c.close(AnswerClose.restarting);
    this.wss.close();
  }

  private async accept(ws: WebSocket, req: IncomingMessage): Promise<void> {
    // Authenticate before processing: buffer a bounded number of early messages (pre-auth queue cap).
    const early: Uint8Array[] = [];
    const onEarly = (data: Buffer) => {
      if (early.length >= ANSWER_LIMITS.maxPreAuthMessages) close(ws, AnswerClose.malformed);
      else early.push(new Uint8Array(data));
    };
    ws.on('message', onEarly);
    ws.on('error', (err) => this.deps.log.debug({ err: { message: err.message } }, 'answer socket error (the close handler cleans up)'));
    try {
      const { input, sessionId } = await readAdmission(this.deps, req, this.clock.graceSeconds);
      const decision = decideAdmission(input);
      if (!decision.admit) {
        const r = input.registration!;
        if (decision.lockAnswer) await lockForMismatch(this.deps, r, decision.lockAnswer);
        if (decision.notice) ws.send(encodeControl({ type: 'notice', ...decision.notice }));
        if (decision.sendReceipt) ws.send(encodeControl({ type: 'handed_in', receipt: await this.receiptOf(r) }));
        return close(ws, decision.close);
      }
      const r = input.registration!;
      if (decision.usesDeviceSwitch && !(await useDeviceSwitch(this.deps, r, input.device.id))) return close(ws, AnswerClose.deviceInUse);
      let doc: LiveDocument;
      try {
        doc = await this.docs.open(r);
      } catch (err) {
        this.deps.log.error({ err: { message: (err as Error).message }, registrationId: r.id }, 'loading an answer failed');
        return close(ws, AnswerClose.loadFailed);
      }
      if (ws.readyState !== ws.OPEN) {
        this.docs.release(doc);
        return;
      }
      const conn = new AnswerConnection(randomUUID(), ws, doc, this.clock);
      this.attach(conn, r, input.device.id);
      ws.off('message', onEarly);
      ws.on('message', (data: Buffer) => {
        // Whatever arrives proves the socket alive: a pupil's pong queued behind a storm must not get them cut off.
        conn.heardAt = performance.now();
        conn.receive(new Uint8Array(data));
      });
      ws.on('pong', () => {
        conn.heardAt = performance.now();
      });
      // Logout, a password reset or expiry ends the socket too; the pupil's unsaved text stays in the browser.
      const unwatch = this.sessions.watch(sessionId!, () => conn.close(AnswerClose.unauthenticated));
      ws.on('close', () => {
        unwatch();
        this.detach(conn);
      });
      conn.corked(() => {
        conn.start();
        conn.sendControl(this.windowControl(r));
        for (const c of doc.guard?.opening() ?? []) conn.sendControl(c);
        for (const m of early) conn.receive(m);
      });
    } catch (err) {
      this.deps.log.error({ err: { message: (err as Error).message } }, 'answer socket set-up failed');
      close(ws, AnswerClose.loadFailed);
    }
  }

  private async receiptOf(r: RegistrationContext) {
    const s = await findCurrentSubmission(this.deps.db, r.id);
    return s ? examView(r, this.deps.now(), 0, s).receipt : null;
  }

  private attach(conn: AnswerConnection, r: RegistrationContext, deviceId: string | null): void {
    const doc = conn.doc;
    // Device switch (docs/rules.md §4.5): the newest device takes over; the others are told and stop editing.
    for (const other of doc.peers.values()) replace(other as AnswerConnection);
    doc.peers.set(conn.id, conn);
    this.connections.add(conn);
    this.deps.metrics.connectedCandidates.set(this.connections.size);
    this.deps.bus
      .publish(channels.registration(r.id), { type: 'registration.takeover', registrationId: r.id, connectionId: conn.id })
      .catch((err: Error) => this.deps.log.warn({ err: { message: err.message }, registrationId: r.id }, 'takeover not announced to other nodes'));
    this.presence.connected(r, { deviceId, connectionId: conn.id }, 'writing');
  }

  private detach(conn: AnswerConnection): void {
    conn.closed = true;
    this.connections.delete(conn);
    this.deps.metrics.connectedCandidates.set(this.connections.size);
    const doc = conn.doc;
    doc.peers.delete(conn.id);
    conn.forgetAwareness();
    if (!conn.replaced && doc.peers.size === 0) this.presence.disconnected(doc.context, conn.id);
    this.docs.release(doc);
  }

  /** A registration's event from any node: the documents of this node follow it at once. */
  async onRegistrationEvent(doc: LiveDocument, e: RegistrationEvent): Promise<void> {
    if (doc.destroyed) return;
    switch (e.type) {
      case 'registration.takeover':
        for (const peer of doc.peers.values()) if (peer.id !== e.connectionId) replace(peer as AnswerConnection);
        return;
      case 'registration.handed_in':
        doc.broadcastControl({ type: 'handed_in', receipt: e.receipt });
        for (const peer of [...doc.peers.values()]) (peer as AnswerConnection).close(AnswerClose.windowClosed);
        return;
      case 'registration.changed':
      case 'registration.locked':
      case 'registration.unlocked': {
        // Re-read and tell the pupil at once (extra time, pause, lock).
        const r = await findRegistrationContext(this.deps.db, doc.registrationId);
        if (!r || doc.destroyed) return;
        doc.context = r;
        doc.guard?.rescheduled();
        doc.broadcastControl(this.windowControl(r));
        if (r.locked_reason) for (const peer of [...doc.peers.values()]) (peer as AnswerConnection).close(AnswerClose.locked);
      }
    }
  }

  windowControl(r: RegistrationContext): Control {
    const now = this.deps.now();
    const v = examView(r, now, this.clock.graceSeconds, null);
    return {
      type: 'window',
      phase: v.phase,
      startsAt: v.startsAt,
      endsAt: v.endsAt,
      graceSeconds: v.graceSeconds,
      paused: v.paused,
      locked: v.locked,
      simpleWriting: v.accommodations.simpleWriting,
      serverTime: now.toISOString(),
    };
  }
}

function replace(conn: AnswerConnection): void {
  conn.replaced = true;
  conn.sendControl({ type: 'replaced' });
  conn.close(AnswerClose.replaced);
}

const close = (ws: WebSocket, c: CloseCode) => ws.close(c.code, c.reason);
