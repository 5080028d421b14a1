import * as buffer from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { reconnectDelay } from './backoff.ts';
import type { Control } from './types.ts';

const PERSISTED = 100;
const CONTROL = 101;
/**
 * Keystrokes are merged for this long before they go to the server (one message instead of one per key):
 * the load tests model pupils this way (README), and 10,000 pupils fit only so (STACK-NOTES).
 */
const COALESCE_MS = 300;
/** The first connection gets this long before "connecting" turns into the offline warning. */
const FIRST_CONNECT_GRACE_MS = 5_000;

export type SaveState =
  | { kind: 'saved'; at: number }        // every change is durable in PostgreSQL (server time of the ack)
  | { kind: 'connecting' }               // page just opened: the browser's copy is shown, the socket is coming up
  | { kind: 'saving'; since: number; lastAck: number }    // changes sent, not yet acknowledged
  | { kind: 'offline'; since: number; lastAck: number }   // no connection: changes are kept in the browser
  | { kind: 'stopped'; code: number };   // the server closed for good (handed in, replaced, locked…)

/**
 * The pupil's answer: a Y.Doc kept in IndexedDB (shown at once after a reload or crash) and synced over the
 * y-websocket protocol. "Saved" is claimed only from the server's persisted acknowledgement (docs/protocol.md):
 * the durable state vector must cover this client's clock, and the durable message count must cover every
 * document-changing message this socket sent (a pure deletion does not move the state vector).
 */
export class AnswerSync {
  readonly doc = new Y.Doc();
  readonly fragment = this.doc.getXmlFragment('answer');
  readonly local: IndexeddbPersistence;
  readonly provider: WebsocketProvider;
  private sent = 0;
  private durableMessages = 0;
  private durableClock = 0;
  private lastAckAt = 0;
  /**
   * Age of unacknowledged edits, for the 10-second warning. Measured per sent message (not "since the last
   * moment all was saved", which a pupil typing steadily never reaches): each message sent on this socket with
   * the time of its oldest edit; edits sent on an earlier socket or dropped while offline are carried into the
   * next socket's sync step 2, which contains them.
   */
  private unacked: { seq: number; since: number }[] = [];
  private carried: number | null = null;
  private pendingSince: number | null = null;
  private flushingSince: number | null = null;
  private attempts = 0;
  private retryTimer: number | null = null;
  private stoppedCode: number | null = null;
  private everConnected = false;
  private destroyed = false;
  private readonly startedAt = Date.now();
  private listeners = new Set<(s: SaveState) => void>();
  private pending: Uint8Array[] = [];
  private flushTimer: number | null = null;
  private readonly onOnline = () => this.reconnectSoon(reconnectDelay(1)); // spread: a whole room comes back at once
  private readonly onOffline = () => { if (this.provider.ws) this.provider.ws.close(); this.emit(); };
  private readonly backupKey: string;
  /**
   * IndexedDB commits each keystroke a few milliseconds later, and a reload or closed tab aborts what is not
   * committed yet. localStorage is written synchronously, so the unsaved state is put there as the page goes;
   * the next start merges it (Yjs updates are idempotent) and lets IndexedDB keep it.
   */
  private readonly onPageHide = () => {
    if (!this.hasUnsaved) return;
    try { localStorage.setItem(this.backupKey, buffer.toBase64(Y.encodeStateAsUpdate(this.doc))); } catch { /* full or blocked: IndexedDB still has nearly all */ }
  };

  constructor(registrationId: number, onControl: (c: Control) => void, private readonly onClose: (code: number) => void) {
    this.local = new IndexeddbPersistence(`provesal-answer-${registrationId}`, this.doc);
    this.backupKey = `provesal-answer-${registrationId}-unload`;
    const sync = this;
    // Counts the document-changing messages (sync step 2 and updates) each socket sends; the server's
    // persisted ack counts the same messages per connection.
    class CountingSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sync.sent = 0;
        sync.durableMessages = 0;
        sync.durableClock = 0;
        sync.carry(sync.unacked[0]?.since ?? null);
        sync.unacked = [];
      }
      send(data: ArrayBufferLike | ArrayBufferView | Blob | string): void {
        if (data instanceof Uint8Array) {
          const d = decoding.createDecoder(data);
          if (decoding.readVarUint(d) === 0) sync.countedSend(decoding.readVarUint(d));
        }
        super.send(data as ArrayBufferView);
      }
    }
    const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/answer`;
    this.provider = new WebsocketProvider(wsUrl, String(registrationId), this.doc, {
      WebSocketPolyfill: CountingSocket as unknown as typeof WebSocket, connect: false, disableBc: true, maxBackoffTime: 60_000,
    });
    this.provider.messageHandlers[PERSISTED] = (_encoder, decoder) => {
      const durable = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      this.durableClock = durable.get(this.doc.clientID) ?? 0;
      this.lastAckAt = decoding.readVarUint(decoder);
      // An older server without the count: the state vector alone decides.
      this.durableMessages = decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : Number.POSITIVE_INFINITY;
      while (this.unacked.length && this.unacked[0].seq <= this.durableMessages) this.unacked.shift();
      this.emit();
    };
    this.provider.messageHandlers[CONTROL] = (_encoder, decoder) => onControl(JSON.parse(decoding.readVarString(decoder)) as Control);
    this.provider.on('status', ({ status }) => { if (status === 'connected') this.everConnected = true; this.emit(); });
    this.provider.on('sync', (synced: boolean) => { if (synced) this.attempts = 0; this.emit(); });
    this.provider.on('connection-close', (event: CloseEvent | null) => this.closed(event));
    // The provider's own listener sends every update at once; ours merges them per COALESCE_MS window.
    this.doc.off('update', this.provider._updateHandler);
    // What IndexedDB loads goes to the server in the sync exchange (start() connects after loading it).
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider && origin !== this.local) {
        this.pending.push(update);
        this.pendingSince ??= Date.now();
        this.flushTimer ??= window.setTimeout(() => this.flush(), COALESCE_MS);
      }
      this.emit();
    });
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('pagehide', this.onPageHide);
  }

  /** Shows the browser's copy first, then connects. */
  async start(): Promise<void> {
    await this.local.whenSynced;
    const backup = localStorage.getItem(this.backupKey);
    if (backup) {
      try { Y.applyUpdate(this.doc, buffer.fromBase64(backup), 'unload-backup'); } catch { /* a damaged backup: IndexedDB's copy stands */ }
      localStorage.removeItem(this.backupKey);
    }
    this.resume();
  }

  /** Connects again after a final close that may have ended (e.g. the invigilator unlocked the answer). */
  resume(): void {
    this.stoppedCode = null;
    this.provider.connect();
    this.emit();
  }

  /** True when the server has acknowledged, as durable, everything this browser holds of its own edits. */
  get saved(): boolean {
    if (this.pending.length || !this.provider.wsconnected || !this.provider.synced) return false;
    const localClock = Y.decodeStateVector(Y.encodeStateVector(this.doc)).get(this.doc.clientID) ?? 0;
    return this.durableClock >= localClock && this.durableMessages >= this.sent;
  }

  /** When the oldest edit the server has not acknowledged was made (null: none known). */
  private oldestUnacked(): number | null {
    const times = [this.pendingSince, this.carried, this.unacked[0]?.since ?? null].filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  private carry(since: number | null): void {
    if (since !== null) this.carried = Math.min(this.carried ?? since, since);
  }

  /** Called for each sync message a socket sends: step 2 (1) and updates (2) change the document and are counted. */
  private countedSend(syncType: number): void {
    if (syncType === 0) return;
    this.sent++;
    const since = syncType === 1 ? this.carried : this.flushingSince;
    if (syncType === 1) this.carried = null;
    else this.flushingSince = null;
    if (since !== null) this.unacked.push({ seq: this.sent, since });
  }

  state(): SaveState {
    if (this.stoppedCode !== null) return { kind: 'stopped', code: this.stoppedCode };
    if (this.saved) { this.carried = null; this.unacked = []; return { kind: 'saved', at: this.lastAckAt }; }
    const since = this.oldestUnacked() ?? Date.now();
    if (!this.provider.wsconnected) {
      if (!this.everConnected && navigator.onLine && Date.now() - this.startedAt < FIRST_CONNECT_GRACE_MS) return { kind: 'connecting' };
      return { kind: 'offline', since, lastAck: this.lastAckAt };
    }
    return { kind: 'saving', since, lastAck: this.lastAckAt };
  }

  /** True while the pupil has changes the server has not acknowledged (warn before leaving). */
  get hasUnsaved(): boolean { return this.oldestUnacked() !== null && !this.saved; }

  subscribe(fn: (s: SaveState) => void): () => void {
    this.listeners.add(fn);
    fn(this.state());
    return () => this.listeners.delete(fn);
  }

  /**
   * Sends the merged pending updates now. Sent while disconnected they are dropped by the provider, which is
   * fine: the sync exchange on reconnect carries everything the server lacks.
   */
  flush(): void {
    if (this.flushTimer) { clearTimeout(this.flushTimer); this.flushTimer = null; }
    if (!this.pending.length) return;
    const merged = this.pending.length === 1 ? this.pending[0] : Y.mergeUpdates(this.pending);
    this.pending = [];
    this.flushingSince = this.pendingSince;
    this.pendingSince = null;
    this.provider._updateHandler(merged, null); // sends only while connected (countedSend takes flushingSince)
    this.carry(this.flushingSince); // not sent: the next socket's sync step 2 carries it
    this.flushingSince = null;
  }

  /** Resolves once everything is acknowledged (before hand-in); rejects after timeoutMs. */
  whenSaved(timeoutMs = 20_000): Promise<void> {
    this.flush();
    return new Promise((resolve, reject) => {
      if (this.saved) return resolve();
      const timer = setTimeout(() => { off(); reject(new Error('not saved')); }, timeoutMs);
      const off = this.subscribe((s) => { if (s.kind === 'saved') { clearTimeout(timer); off(); resolve(); } });
    });
  }

  destroy(): void {
    // Set first: provider.destroy() reports its own close, which must not schedule a reconnect (a destroyed
    // page reconnecting would take over from the page that replaced it, e.g. after a language switch).
    this.destroyed = true;
    this.flush(); // a last send while the socket is still open (e.g. a language switch rebuilds the page)
    if (this.retryTimer) clearTimeout(this.retryTimer);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('pagehide', this.onPageHide);
    this.provider.destroy();
    void this.local.destroy();
    this.listeners.clear();
  }

  private emit(): void {
    const s = this.state();
    for (const l of this.listeners) l(s);
  }

  /**
   * Reconnects with exponential backoff and jitter, so a thousand pupils whose network returns at once do not
   * all arrive in the same millisecond. Closes 4400–4499 are final decisions of the server.
   * Runs inside the provider's close handling (before it forgets the socket): it must not call
   * provider.disconnect() here, which would re-enter that handling; clearing shouldConnect turns the
   * provider's own un-jittered reconnect timer into a no-op instead.
   */
  private closed(event: CloseEvent | null): void {
    if (this.destroyed) return;
    const code = event?.code ?? 1006;
    this.provider.shouldConnect = false;
    if (code >= 4400 && code < 4500) {
      this.stoppedCode = code;
      queueMicrotask(() => { this.onClose(code); this.emit(); });
      return;
    }
    this.reconnectSoon(reconnectDelay(this.attempts++));
    queueMicrotask(() => this.emit());
  }

  private reconnectSoon(delayMs: number): void {
    if (this.stoppedCode !== null || this.destroyed) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => { this.retryTimer = null; this.provider.connect(); }, delayMs);
  }
}
