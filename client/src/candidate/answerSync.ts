import * as buffer from 'lib0/buffer';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ANSWER_FRAGMENT } from '../../../src/protocol/answerDocument.ts';
import { ANSWER_LIMITS } from '../../../src/protocol/limits.ts';
import type { Control } from '../../../src/protocol/control.ts';
import { Reconnector } from '../shell/socket.ts';
import { createAnswerProvider } from './answerProvider.ts';
import { SaveLedger, type SaveState } from './saveLedger.ts';

export type { SaveState } from './saveLedger.ts';

/**
 * Keystrokes are merged for this long before they go to the server: one message instead of one per key,
 * which is what keeps thousands of pupils per node within what a node can store (docs/rules.md §10).
 */
const COALESCE_MS = 300;
/** The first connection gets this long before "connecting" turns into the offline warning. */
const FIRST_CONNECT_GRACE_MS = 5_000;

/**
 * The pupil's answer: a Y.Doc kept in IndexedDB (shown at once after a reload or crash) and synced over the
 * y-websocket protocol. "Saved" is claimed only from the server's persisted acknowledgement (docs/protocol.md),
 * never from having sent something (docs/rules.md §4.4).
 */
export class AnswerSync {
  readonly doc = new Y.Doc();
  readonly fragment = this.doc.getXmlFragment(ANSWER_FRAGMENT);
  readonly local: IndexeddbPersistence;
  readonly provider: WebsocketProvider;
  private readonly ledger = new SaveLedger();
  private readonly reconnector: Reconnector;
  private stoppedCode: number | null = null;
  private everConnected = false;
  private destroyed = false;
  private readonly startedAt = Date.now();
  private listeners = new Set<(s: SaveState) => void>();
  private pending: Uint8Array[] = [];
  private flushTimer: number | null = null;
  /** Edits held back until the next acknowledgement (flow control, ANSWER_LIMITS.maxUnackedMessages). */
  private waitingForAck = false;
  private readonly onOnline = () => this.reconnector.soon();
  private readonly onOffline = () => {
    if (this.provider.ws) this.provider.ws.close();
    this.emit();
  };
  private readonly backupKey: string;
  /**
   * IndexedDB commits each keystroke a few milliseconds later, and a reload or closed tab aborts what is not
   * committed yet. localStorage is written synchronously, so the unsaved state is put there as the page goes;
   * the next start merges it (Yjs updates are idempotent) and lets IndexedDB keep it.
   */
  private readonly onPageHide = () => {
    if (!this.hasUnsaved) return;
    try {
      localStorage.setItem(this.backupKey, buffer.toBase64(Y.encodeStateAsUpdate(this.doc)));
    } catch {
      /* full or blocked: IndexedDB still has nearly all */
    }
  };

  constructor(
    registrationId: number,
    onControl: (c: Control) => void,
    private readonly onClose: (code: number) => void,
  ) {
    this.local = new IndexeddbPersistence(`provesal-answer-${registrationId}`, this.doc);
    this.backupKey = `provesal-answer-${registrationId}-unload`;
    this.provider = createAnswerProvider(registrationId, this.doc, {
      socketOpened: () => {
        this.ledger.newSocket();
        // Edits held for an acknowledgement that the old socket will never bring go out on this one.
        if (this.waitingForAck) {
          this.waitingForAck = false;
          this.flushTimer ??= window.setTimeout(() => this.flushWhenRoom(), COALESCE_MS);
        }
      },
      sentSync: (syncType) => this.ledger.sentSync(syncType),
      persisted: (ack) => {
        this.ledger.persisted(ack);
        if (this.waitingForAck && this.ledger.inFlight < ANSWER_LIMITS.maxUnackedMessages) this.flush();
        this.emit();
      },
      control: onControl,
    });
    this.reconnector = new Reconnector(() => this.provider.connect());
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.everConnected = true;
      this.emit();
    });
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.reconnector.succeeded();
      this.emit();
    });
    this.provider.on('connection-close', (event: CloseEvent | null) => this.closed(event));
    // The provider's own listener sends every update at once; ours merges them per COALESCE_MS window.
    this.doc.off('update', this.provider._updateHandler);
    // What IndexedDB loads goes to the server in the sync exchange (start() connects after loading it).
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider && origin !== this.local) {
        this.pending.push(update);
        this.ledger.edited(Date.now());
        this.flushTimer ??= window.setTimeout(() => this.flushWhenRoom(), COALESCE_MS);
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
      try {
        Y.applyUpdate(this.doc, buffer.fromBase64(backup), 'unload-backup');
      } catch {
        /* a damaged backup: IndexedDB's copy stands */
      }
      localStorage.removeItem(this.backupKey);
    }
    this.resume();
  }

  /** Connects again after a final close that may have ended (e.g. the invigilator unlocked the answer). */
  resume(): void {
    this.stoppedCode = null;
    this.reconnector.reset();
    this.provider.connect();
    this.emit();
  }

  /** True when the server has acknowledged, as durable, everything this browser holds of its own edits. */
  get saved(): boolean {
    if (this.pending.length || !this.provider.wsconnected || !this.provider.synced) return false;
    return this.ledger.covers(Y.decodeStateVector(Y.encodeStateVector(this.doc)).get(this.doc.clientID) ?? 0);
  }

  state(): SaveState {
    if (this.stoppedCode !== null) return { kind: 'stopped', code: this.stoppedCode };
    if (this.saved) {
      this.ledger.settle();
      return { kind: 'saved', at: this.ledger.lastAckAt };
    }
    const since = this.ledger.oldestUnacked() ?? Date.now();
    if (!this.provider.wsconnected) {
      if (!this.everConnected && navigator.onLine && Date.now() - this.startedAt < FIRST_CONNECT_GRACE_MS) return { kind: 'connecting' };
      return { kind: 'offline', since, lastAck: this.ledger.lastAckAt };
    }
    return { kind: 'saving', since, lastAck: this.ledger.lastAckAt };
  }

  /** True while the pupil has changes the server has not acknowledged (warn before leaving). */
  get hasUnsaved(): boolean {
    return this.ledger.oldestUnacked() !== null && !this.saved;
  }

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
    this.waitingForAck = false;
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (!this.pending.length) return;
    const merged = this.pending.length === 1 ? this.pending[0] : Y.mergeUpdates(this.pending);
    this.pending = [];
    this.ledger.flushing(() => this.provider._updateHandler(merged, null)); // sends only while connected
  }

  /**
   * The merge window ended. While the server has several of this socket's messages unacknowledged, the edits stay
   * here, merging, until the next acknowledgement: a node that is behind gets one larger message instead of one
   * every 300 ms per pupil, and catches up. Hand-in, leaving the page and reconnecting still flush at once.
   */
  private flushWhenRoom(): void {
    this.flushTimer = null;
    if (this.provider.wsconnected && this.ledger.inFlight >= ANSWER_LIMITS.maxUnackedMessages) {
      this.waitingForAck = true;
      return;
    }
    this.flush();
  }

  /** Resolves once everything is acknowledged (before hand-in); rejects after timeoutMs. */
  whenSaved(timeoutMs = 20_000): Promise<void> {
    this.flush();
    return new Promise((resolve, reject) => {
      if (this.saved) return resolve();
      const timer = setTimeout(() => {
        off();
        reject(new Error('not saved'));
      }, timeoutMs);
      const off = this.subscribe((s) => {
        if (s.kind === 'saved') {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    });
  }

  destroy(): void {
    // Set first: provider.destroy() reports its own close, which must not schedule a reconnect (a destroyed
    // page reconnecting would take over from the page that replaced it, e.g. after a language switch).
    this.destroyed = true;
    this.flush(); // a last send while the socket is still open (e.g. a language switch rebuilds the page)
    this.reconnector.stop();
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('pagehide', this.onPageHide);
    this.provider.destroy();
    this.local.destroy().catch((err: unknown) => console.warn("closing the answer's IndexedDB failed", err));
    this.listeners.clear();
  }

  private emit(): void {
    const s = this.state();
    for (const l of this.listeners) l(s);
  }

  /**
   * Reconnects by the shared policy (shell/backoff.ts), jittered so a room whose network returns at once does
   * not arrive in the same millisecond; a final close stops writing here. Runs inside the provider's close
   * handling (before it forgets the socket): it must not call provider.disconnect() here, which would re-enter
   * that handling; clearing shouldConnect turns the provider's own un-jittered reconnect timer into a no-op.
   */
  private closed(event: CloseEvent | null): void {
    if (this.destroyed) return;
    const code = event?.code ?? 1006; // null: closed locally (e.g. the provider's silence watchdog): retry
    this.provider.shouldConnect = false;
    const retrying = this.reconnector.closed(code);
    if (!retrying && this.stoppedCode === null) {
      this.stoppedCode = code;
      queueMicrotask(() => {
        this.onClose(code);
        this.emit();
      });
      return;
    }
    queueMicrotask(() => this.emit());
  }
}
