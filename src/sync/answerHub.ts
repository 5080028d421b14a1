import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { cookieFromHeader, resolveSession } from '../auth/sessions.ts';
import { channels } from '../events/bus.ts';
import { announce } from '../events/announce.ts';
import type { BusEvent, RoomEvent } from '../protocol/liveEvents.ts';
import { examView, windowOf } from '../exam/examView.ts';
import { findCurrentSubmission, findRegistrationContext, markArrived, type RegistrationContext } from '../exam/queries.ts';
import { acceptsUpdates, phase } from '../exam/window.ts';
import type { AppDeps } from '../http/context.ts';
import type { UpgradeRoute } from '../http/upgrade.ts';
import { checkLockdown } from '../lockdown/gate.ts';
import { lockForMismatch } from '../lockdown/enforcement.ts';
import { AnswerConnection, type ConnectionHost } from './answerConnection.ts';
import { AnswerClose as Close, type CloseCode } from '../protocol/closeCodes.ts';
import { compactDocument } from './compaction.ts';
import { ANSWER_LIMITS } from '../protocol/limits.ts';
import { PERSIST } from './persistSettings.ts';
import { LiveDocument } from './liveDocument.ts';
import { encodeControl } from '../protocol/codec.ts';
import type { Control } from '../protocol/control.ts';
import { heartbeat, markConnected, markDisconnected, markSaved, PRESENCE_HEARTBEAT_MS } from './presence.ts';
import { loadStoredDocument } from './queries.ts';
import { UpdatePersister } from './updatePersister.ts';

export const ANSWER_PATH = '/ws/answer/';

/**
 * The answer websocket of one node: authenticates the upgrade, authorises one candidate's own registration,
 * keeps one LiveDocument per answer with devices on this node, and persists every update by group commit.
 * Registrations are re-read when an invigilator changes them (bus), so extra time shows at once.
 */
export class AnswerHub implements ConnectionHost {
  readonly persister: UpdatePersister;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4 * ANSWER_LIMITS.maxMessageBytes, perMessageDeflate: false });
  private readonly docs = new Map<number, LiveDocument>();
  private readonly loading = new Map<number, Promise<LiveDocument>>();
  private readonly contexts = new Map<number, RegistrationContext>();
  private readonly connections = new Set<AnswerConnection>();
  private readonly lastSavedEvent = new Map<number, number>();
  private heartbeat: NodeJS.Timeout | null = null;
  private presenceBeat: NodeJS.Timeout | null = null;
  private closing = false;
  readonly nodeId = randomUUID().slice(0, 8);

  constructor(private readonly deps: AppDeps) {
    this.persister = new UpdatePersister(deps.db, deps.log);
    this.persister.onFlush = (size, ms) => {
      deps.metrics.persistBatchSize.observe(size);
      deps.metrics.persistLatency.observe(ms / 1000);
      deps.metrics.pendingUpdates.set(this.persister.pending);
    };
  }

  get connectedCount(): number { return this.connections.size; }
  get liveDocuments(): number { return this.docs.size; }

  readonly route: UpgradeRoute = {
    prefix: ANSWER_PATH,
    handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.closing) { socket.destroy(); return; }
      this.wss.handleUpgrade(req, socket, head, (ws) => void this.accept(ws, req));
    },
  };

  start(): void {
    // A dead socket misses one pong and is gone within two beats: the invigilator sees it within ~5 s.
    this.heartbeat = setInterval(() => {
      for (const c of this.connections) {
        if (!c.alive) { c.ws.terminate(); continue; }
        c.alive = false;
        c.ws.ping();
      }
    }, ANSWER_LIMITS.heartbeatMs);
    this.heartbeat.unref();
    this.presenceBeat = setInterval(() => {
      const live = [...this.docs.values()].filter((d) => d.peers.size).map((d) => d.registrationId);
      heartbeat(this.deps.db, this.nodeId, live).catch(() => {});
    }, PRESENCE_HEARTBEAT_MS);
    this.presenceBeat.unref();
  }

  /** Graceful stop (docs/rules.md §9): refuse new sockets, commit everything pending, acknowledge, tell clients to reconnect. */
  async stop(): Promise<void> {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.presenceBeat) clearInterval(this.presenceBeat);
    await this.persister.drain();
    await new Promise((r) => setImmediate(r)); // let the last acknowledgements go out
    for (const c of this.connections) c.close(Close.restarting);
    this.wss.close();
  }

  now(): number { return this.deps.now().getTime(); }

  admit(conn: AnswerConnection): CloseCode | null {
    const r = this.contexts.get(conn.doc.registrationId);
    if (!r) return Close.windowClosed;
    if (r.locked_reason) return Close.locked;
    if (!acceptsUpdates(windowOf(r), this.deps.now(), this.deps.config.ANSWER_GRACE_SECONDS)) {
      conn.sendControl({ type: 'notice', da: 'Tiden er gået. Ændringer efter sluttidspunktet gemmes ikke.', en: 'Time is up. Changes after the end are not saved.' });
      return Close.windowClosed;
    }
    return null;
  }

  persist(conn: AnswerConnection, update: Uint8Array): Promise<void> {
    const doc = conn.doc;
    doc.pendingWrites++;
    this.deps.metrics.updatesReceived.inc();
    this.deps.metrics.pendingUpdates.set(this.persister.pending + 1);
    return this.persister.append(doc.registrationId, update).then(() => {
      doc.pendingWrites--;
      doc.markDurable(update);
      doc.updatesSinceCompaction++;
      this.savedEvent(doc);
      if (doc.updatesSinceCompaction >= PERSIST.compactAfterUpdates && !doc.destroyed) {
        doc.updatesSinceCompaction = 0;
        compactDocument(this.deps.db, doc.registrationId).catch((err) => this.deps.log.warn({ err: { message: err.message } }, 'compaction failed; will retry later'));
      }
      if (doc.idle) this.unload(doc);
    });
  }

  private async accept(ws: WebSocket, req: IncomingMessage): Promise<void> {
    // Authenticate before processing: buffer a bounded number of early messages (pre-auth queue cap).
    const early: Uint8Array[] = [];
    const onEarly = (data: Buffer) => {
      if (early.length >= ANSWER_LIMITS.maxPreAuthMessages) ws.close(Close.malformed.code, 'too many messages before sign-in');
      else early.push(new Uint8Array(data));
    };
    ws.on('message', onEarly);
    ws.on('error', () => {});
    const refuse = (c: CloseCode, control?: Control) => {
      if (control) ws.send(encodeControl(control));
      ws.close(c.code, c.reason);
    };
    try {
      const id = Number((req.url ?? '').slice(ANSWER_PATH.length).split(/[?/]/)[0]);
      if (!Number.isSafeInteger(id) || id <= 0) return refuse(Close.unknownRegistration);
      const token = cookieFromHeader(req.headers.cookie);
      const session = token ? await resolveSession(this.deps.db, token, this.deps.now()) : null;
      if (!session || !('actor' in session)) return refuse(Close.unauthenticated);
      const actor = session.actor;
      if (actor.role !== 'candidate') return refuse(Close.forbidden);
      const r = await findRegistrationContext(this.deps.db, id);
      if (!r || r.candidate_user_id !== actor.userId) return refuse(Close.unknownRegistration);

      const lock = await checkLockdown(this.deps, { sittingId: r.sitting_id, lockdownProfile: r.lockdown_profile,
        requestUrl: requestUrl(req, this.deps.config.PUBLIC_BASE_URL, this.deps.config.TRUST_PROXY), headers: req.headers });
      if (!lock.ok) {
        if (phase(windowOf(r), this.deps.now()) === 'writing') await lockForMismatch(this.deps, r, lock.reason);
        return refuse(Close.locked, { type: 'notice', da: lock.da, en: lock.en });
      }
      if (r.locked_reason) return refuse(Close.locked, { type: 'notice', da: 'Din besvarelse er låst. Kontakt den tilsynsførende.', en: 'Your answer is locked. Contact the invigilator.' });

      const now = this.deps.now();
      const p = phase(windowOf(r), now);
      if (p === 'handed_in') {
        const s = await findCurrentSubmission(this.deps.db, r.id);
        return refuse(Close.windowClosed, { type: 'handed_in', receipt: s ? examView(r, now, 0, s).receipt : null });
      }
      if (p === 'before_lobby' || p === 'lobby') return refuse(Close.tooEarly);
      if (!acceptsUpdates(windowOf(r), now, this.deps.config.ANSWER_GRACE_SECONDS)) return refuse(Close.windowClosed);

      let doc: LiveDocument;
      try {
        // The last device's commits may unload the document between open() and here: never attach to a
        // destroyed one (it would live on beside a fresh copy, unseen by takeovers and unloads).
        do doc = await this.open(r.id); while (doc.destroyed);
      } catch (err) {
        // Never serve (and later store over) an empty document because loading failed.
        this.deps.log.error({ err: { message: (err as Error).message }, registrationId: r.id }, 'loading an answer failed');
        return refuse(Close.loadFailed);
      }
      if (ws.readyState !== ws.OPEN) { if (doc.idle) this.unload(doc); return; }
      this.contexts.set(r.id, r);
      const conn = new AnswerConnection(randomUUID(), ws, doc, this);
      this.attach(conn, r);
      ws.off('message', onEarly);
      ws.on('message', (data: Buffer) => conn.receive(new Uint8Array(data)));
      ws.on('pong', () => { conn.alive = true; });
      ws.on('close', () => this.detach(conn, r));
      conn.start();
      conn.sendControl(this.windowControl(r));
      for (const m of early) conn.receive(m);
    } catch (err) {
      this.deps.log.error({ err: { message: (err as Error).message } }, 'answer socket set-up failed');
      refuse(Close.loadFailed);
    }
  }

  /** One LiveDocument per answer on this node; concurrent opens share one load. */
  private async open(registrationId: number): Promise<LiveDocument> {
    for (;;) {
      const live = this.docs.get(registrationId);
      if (live && !live.destroyed) return live;
      let pending = this.loading.get(registrationId);
      if (!pending) {
        pending = (async () => {
          const doc = new LiveDocument(registrationId, await loadStoredDocument(this.deps.db, registrationId));
          doc.unsubscribe = this.deps.bus.subscribe(channels.registration(registrationId), (e) => void this.onRegistrationEvent(doc, e));
          this.docs.set(registrationId, doc);
          return doc;
        })().finally(() => this.loading.delete(registrationId));
        this.loading.set(registrationId, pending);
      }
      const doc = await pending;
      if (!doc.destroyed) return doc;
    }
  }

  private attach(conn: AnswerConnection, r: RegistrationContext): void {
    const doc = conn.doc;
    // Device switch (docs/rules.md §4.5): the newest device takes over; the others are told and stop editing.
    for (const other of doc.peers.values()) this.replace(other as AnswerConnection);
    doc.peers.set(conn.id, conn);
    this.connections.add(conn);
    this.deps.metrics.connectedCandidates.set(this.connections.size);
    void this.deps.bus.publish(channels.registration(r.id), { type: 'registration.takeover', registrationId: r.id, connectionId: conn.id });
    void (async () => {
      const at = this.deps.now().toISOString();
      await markConnected(this.deps.db, r.id, this.nodeId);
      if (await markArrived(this.deps.db, r.id, 'writing')) this.publishRoom(r, { type: 'candidate.state', registrationId: r.id, state: 'writing', at });
      this.publishRoom(r, { type: 'candidate.connected', registrationId: r.id, at, node: this.nodeId });
    })().catch(() => {});
  }

  private replace(conn: AnswerConnection): void {
    conn.replaced = true;
    conn.sendControl({ type: 'replaced' });
    conn.close(Close.replaced);
  }

  private detach(conn: AnswerConnection, r: RegistrationContext): void {
    conn.closed = true;
    this.connections.delete(conn);
    this.deps.metrics.connectedCandidates.set(this.connections.size);
    const doc = conn.doc;
    doc.peers.delete(conn.id);
    conn.forgetAwareness();
    if (!conn.replaced && doc.peers.size === 0) {
      markDisconnected(this.deps.db, r.id, this.nodeId).catch(() => {});
      this.publishRoom(r, { type: 'candidate.disconnected', registrationId: r.id, at: this.deps.now().toISOString(), node: this.nodeId });
    }
    if (doc.idle) this.unload(doc);
  }

  private unload(doc: LiveDocument): void {
    if (doc.destroyed || !doc.idle) return;
    // Only the current document of a registration owns its context: a newer one may be live already.
    if (this.docs.get(doc.registrationId) === doc) {
      this.docs.delete(doc.registrationId);
      this.contexts.delete(doc.registrationId);
      this.lastSavedEvent.delete(doc.registrationId);
    }
    doc.destroy();
    if (!this.closing) {
      compactDocument(this.deps.db, doc.registrationId).catch((err) =>
        this.deps.log.warn({ err: { message: err.message }, registrationId: doc.registrationId }, 'compaction failed; the update log stays as it is'));
    }
  }

  private async onRegistrationEvent(doc: LiveDocument, e: BusEvent): Promise<void> {
    if (doc.destroyed) return;
    if (e.type === 'registration.takeover') {
      for (const peer of doc.peers.values()) if (peer.id !== e.connectionId) this.replace(peer as AnswerConnection);
      return;
    }
    if (e.type === 'registration.handed_in') {
      doc.broadcastControl({ type: 'handed_in', receipt: e.receipt });
      for (const peer of [...doc.peers.values()]) (peer as AnswerConnection).close(Close.windowClosed);
      return;
    }
    // registration.changed / locked / unlocked: re-read and tell the pupil at once.
    const r = await findRegistrationContext(this.deps.db, doc.registrationId);
    if (!r || doc.destroyed) return;
    this.contexts.set(r.id, r);
    doc.broadcastControl(this.windowControl(r));
    if (r.locked_reason) for (const peer of [...doc.peers.values()]) (peer as AnswerConnection).close(Close.locked);
  }

  windowControl(r: RegistrationContext): Control {
    const now = this.deps.now();
    const v = examView(r, now, this.deps.config.ANSWER_GRACE_SECONDS, null);
    return { type: 'window', phase: v.phase, startsAt: v.startsAt, endsAt: v.endsAt, graceSeconds: v.graceSeconds,
      paused: v.paused, locked: v.locked, serverTime: now.toISOString() };
  }

  /**
   * "Last durable save" and words for the live room, at most every 10 s per answer: with thousands of pupils
   * typing, counting words walks every document, so it must stay rare (the invigilator needs minutes, not ms).
   */
  private savedEvent(doc: LiveDocument): void {
    const r = this.contexts.get(doc.registrationId);
    const t = Date.now();
    if (!r || doc.destroyed || t - (this.lastSavedEvent.get(doc.registrationId) ?? 0) < 10_000) return;
    this.lastSavedEvent.set(doc.registrationId, t);
    const words = doc.wordCount();
    markSaved(this.deps.db, r.id, words).catch(() => {});
    this.publishRoom(r, { type: 'candidate.saved', registrationId: r.id, at: this.deps.now().toISOString(), words });
  }

  private publishRoom(r: RegistrationContext, event: RoomEvent): void {
    void announce(this.deps.bus, { sittingId: r.sitting_id, roomId: r.room_id }, event);
  }
}

/** The URL as the client requested it (SEB hashes exactly that). */
function requestUrl(req: IncomingMessage, publicBase: string | undefined, trustProxy: boolean): string {
  if (publicBase) return new URL(req.url ?? '/', publicBase).toString();
  const proto = trustProxy ? String(req.headers['x-forwarded-proto'] ?? 'http').split(',')[0] : 'http';
  const host = (trustProxy ? req.headers['x-forwarded-host'] : undefined) ?? req.headers.host ?? 'localhost';
  return `${proto === 'https' ? 'wss' : 'ws'}://${host}${req.url ?? '/'}`;
}
