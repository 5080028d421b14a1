import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Control } from './types.ts';

const PERSISTED = 100;
const CONTROL = 101;

export type SaveState =
  | { kind: 'saved'; at: number }        // every change is durable in PostgreSQL (server time)
  | { kind: 'saving'; since: number }    // changes sent, not yet acknowledged
  | { kind: 'offline'; since: number }   // no connection: changes are kept in the browser
  | { kind: 'stopped'; code: number };   // the server closed for good (handed in, replaced, locked…)

/**
 * The pupil's answer: a Y.Doc kept in IndexedDB (shown at once after a reload or crash) and synced over the
 * y-websocket protocol. "Saved" is claimed only from the server's persisted acknowledgement: every
 * document-changing message this socket sent is counted, and the ack says how many are committed.
 */
export class AnswerSync {
  readonly doc = new Y.Doc();
  readonly fragment = this.doc.getXmlFragment('answer');
  readonly local: IndexeddbPersistence;
  readonly provider: WebsocketProvider;
  private sent = 0;
  private durable = 0;
  private lastAckAt = 0;
  private dirtySince: number | null = null;
  private attempts = 0;
  private retryTimer: number | null = null;
  private stoppedCode: number | null = null;
  private listeners = new Set<(s: SaveState) => void>();

  constructor(registrationId: number, private readonly onControl: (c: Control) => void, private readonly onClose: (code: number, reason: string) => void) {
    this.local = new IndexeddbPersistence(`provesal-answer-${registrationId}`, this.doc);
    const sync = this;
    class CountingSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sync.sent = 0;
        sync.durable = 0;
      }
      send(data: ArrayBufferLike | ArrayBufferView | Blob | string): void {
        if (data instanceof Uint8Array) {
          const d = decoding.createDecoder(data);
          if (decoding.readVarUint(d) === 0 && decoding.readVarUint(d) !== 0) sync.sent++;
        }
        super.send(data as ArrayBufferView);
      }
    }
    const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/answer`;
    this.provider = new WebsocketProvider(wsUrl, String(registrationId), this.doc, {
      WebSocketPolyfill: CountingSocket as unknown as typeof WebSocket, connect: false, disableBc: true, maxBackoffTime: 60_000,
    });
    this.provider.messageHandlers[PERSISTED] = (_e, decoder) => {
      decoding.readVarUint8Array(decoder); // the durable state vector: the count below is the stricter test
      this.lastAckAt = decoding.readVarUint(decoder);
      this.durable = decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : 0;
      this.emit();
    };
    this.provider.messageHandlers[CONTROL] = (_e, decoder) => onControl(JSON.parse(decoding.readVarString(decoder)));
    this.provider.on('status', () => this.emit());
    this.provider.on('sync', (synced: boolean) => { if (synced) this.attempts = 0; this.emit(); });
    this.provider.on('connection-close', (event: CloseEvent | null) => this.closed(event));
    this.doc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== this.provider && origin !== this.local && this.dirtySince === null) this.dirtySince = Date.now();
      this.emit();
    });
  }

  /** Shows the browser's copy first, then connects. */
  async start(): Promise<void> {
    await this.local.whenSynced;
    this.stoppedCode = null;
    this.provider.connect();
  }

  get saved(): boolean {
    return this.provider.wsconnected && this.provider.synced && this.durable >= this.sent;
  }

  state(): SaveState {
    if (this.stoppedCode !== null) return { kind: 'stopped', code: this.stoppedCode };
    if (this.saved) { this.dirtySince = null; return { kind: 'saved', at: this.lastAckAt }; }
    if (!this.provider.wsconnected) return { kind: 'offline', since: this.dirtySince ?? Date.now() };
    return { kind: 'saving', since: this.dirtySince ?? Date.now() };
  }

  /** True while the pupil has changes the server has not acknowledged (warn before leaving). */
  get hasUnsaved(): boolean { return this.dirtySince !== null && !this.saved; }

  subscribe(fn: (s: SaveState) => void): () => void {
    this.listeners.add(fn);
    fn(this.state());
    return () => this.listeners.delete(fn);
  }

  /** Resolves once everything is acknowledged (before hand-in); rejects after timeoutMs. */
  whenSaved(timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.saved) return resolve();
      const timer = setTimeout(() => { off(); reject(new Error('not saved')); }, timeoutMs);
      const off = this.subscribe((s) => { if (s.kind === 'saved') { clearTimeout(timer); off(); resolve(); } });
    });
  }

  destroy(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.provider.destroy();
    void this.local.destroy();
    this.listeners.clear();
  }

  private emit(): void {
    const s = this.state();
    for (const l of this.listeners) l(s);
  }

  /**
   * Reconnects itself with exponential backoff and jitter, so a thousand pupils whose network returns at once
   * do not all arrive in the same millisecond. Closes 4400–4499 are final decisions of the server.
   */
  private closed(event: CloseEvent | null): void {
    const code = event?.code ?? 1006;
    if (code >= 4400 && code < 4500) {
      this.stoppedCode = code;
      this.onClose(code, event?.reason ?? '');
      this.emit();
      return;
    }
    this.provider.disconnect();
    const base = Math.min(30_000, 500 * 2 ** this.attempts++);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.provider.connect(), base * (0.5 + Math.random()));
    this.emit();
  }
}
