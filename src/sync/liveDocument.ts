import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Control } from '../protocol/control.ts';
import { encodeStateVectorMap, encodeUpdate } from '../protocol/codec.ts';
import type { RegistrationContext } from '../exam/queries.ts';
import { ANSWER_FRAGMENT } from '../protocol/answerDocument.ts';
import { decideUpdate, type Admission } from './admission.ts';
import type { StoredDocument } from './queries.ts';
import { applyStored, SERVER_DOC_GUID } from './storedDocument.ts';
import { WordCounter } from './wordCounter.ts';
import { FLATTEN_EVERY_UPDATES, flattenText } from './flatText.ts';
import { PERSIST } from './persistSettings.ts';

/** What a live document needs from the connection that sent an update. */
export interface DocumentPeer {
  id: string;
  send(message: Uint8Array): void;
  sendControl(control: Control): void;
}

/**
 * Rules on what a pupil's update may change beyond the time window (an item test's responses, src/items). An update
 * is never dropped, since a Yjs client would wait forever for its missing clock: the guard reverts instead.
 */
export interface UpdateGuard {
  before(origin: object): void;
  /** The server's correction (stored with the update, sent to every device) and what to tell the sender. */
  after(): { correction: Uint8Array | null; controls: Control[] };
  /** What a device that just connected must know (parts already closed). */
  opening(): Control[];
  /** The registration changed: extra time or a pause moves the clock's next decision. */
  rescheduled(): void;
  destroy(): void;
}

/** Where a live document's updates go: group commit, then the registry's bookkeeping (saved event, compaction). */
export interface DocumentStore {
  commit(registrationId: number, update: Uint8Array): Promise<void>;
  committed(doc: LiveDocument): void;
}

/**
 * One candidate's answer while at least one device is connected to this node: the Y.Doc (to answer sync
 * requests and validate updates), who is connected, and what of it is durable. It is dropped once the last
 * device has left and every update is committed; PostgreSQL stays the source of truth.
 */
export class LiveDocument {
  readonly ydoc = new Y.Doc({ gc: true, guid: SERVER_DOC_GUID });
  readonly awareness = new awarenessProtocol.Awareness(this.ydoc);
  readonly peers = new Map<string, DocumentPeer>();
  /** Per client id, the clock up to which this document is committed in PostgreSQL. */
  private readonly durable = new Map<number, number>();
  /**
   * While apply() runs: per client, the clock up to which its transactions integrated structs; then, with the bytes
   * to store, what persist() marks durable once they are committed. Read from the transactions Yjs runs anyway, where
   * decoding the update a second time (`parseUpdateMeta`) cost ~2 µs and its garbage per update.
   */
  private integrating: Map<number, number> | null = null;
  private lastApplied: { stored: Uint8Array; to: Map<number, number> } | null = null;
  /** Bytes of updates applied since load: a cheap bound on document size. */
  sizeBytes = 0;
  pendingWrites = 0;
  updatesSinceCompaction = 0;
  /**
   * Compacted after this many updates: between one and two times the setting, drawn per document. Pupils who start
   * together reach a fixed threshold together, and 5,000 compactions in the same minute starved the group commit.
   */
  readonly compactAfter = PERSIST.compactAfterUpdates + Math.floor(Math.random() * PERSIST.compactAfterUpdates);
  private sinceFlatten = 0;
  /** Word count for the live room, recomputed only when asked for and changed since (block by block). */
  private words = 0;
  private dirtyWords = true;
  private readonly counter: WordCounter;
  destroyed = false;
  /** Set by the registry before the document serves anyone; null for an essay. */
  guard: UpdateGuard | null = null;
  unsubscribe: () => void = () => {
    /* set by the registry once subscribed */
  };

  /**
   * @param context the registration as last read: its window and lock decide every update; re-read when an
   *   invigilator changes it (the hub replaces it on the bus event).
   */
  constructor(
    readonly registrationId: number,
    stored: StoredDocument,
    private readonly store: DocumentStore,
    public context: RegistrationContext,
  ) {
    this.awareness.setLocalState(null);
    this.ydoc.on('afterTransaction', (tr: Y.Transaction) => {
      if (!this.integrating) return;
      for (const [client, clock] of tr.afterState) {
        if (clock > (tr.beforeState.get(client) ?? 0) && clock > (this.integrating.get(client) ?? 0)) this.integrating.set(client, clock);
      }
    });
    this.counter = new WordCounter(this.ydoc.getXmlFragment(ANSWER_FRAGMENT));
    this.sizeBytes = applyStored(this.ydoc, stored);
    flattenText(this.ydoc);
    this.updatesSinceCompaction = stored.updates.length;
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.ydoc))) this.durable.set(client, clock);
  }

  /**
   * Applies a validated update from a peer and relays it to the other peers of this document. Returns what must be
   * stored: the update, merged with the guard's correction when it reverted part of it (one row, so a crash can
   * never store the one without the other).
   */
  apply(update: Uint8Array, from: DocumentPeer): Uint8Array {
    this.integrating = new Map();
    try {
      const stored = this.integrate(update, from);
      this.lastApplied = { stored, to: this.integrating };
      return stored;
    } finally {
      this.integrating = null;
    }
  }

  private integrate(update: Uint8Array, from: DocumentPeer): Uint8Array {
    this.guard?.before(from);
    Y.applyUpdate(this.ydoc, update, from);
    this.dirtyWords = true;
    this.sizeBytes += update.length;
    if (++this.sinceFlatten >= FLATTEN_EVERY_UPDATES) {
      this.sinceFlatten = 0;
      flattenText(this.ydoc);
    }
    // Most answers have one device: the relay message is only built when another device listens.
    if (this.peers.size > (this.peers.has(from.id) ? 1 : 0)) {
      const relay = encodeUpdate(update);
      for (const peer of this.peers.values()) if (peer !== from) peer.send(relay);
    }
    if (!this.guard) return update;
    const { correction, controls } = this.guard.after();
    if (correction) {
      this.sizeBytes += correction.length;
      const fix = encodeUpdate(correction);
      for (const peer of this.peers.values()) peer.send(fix);
    }
    for (const c of controls) from.sendControl(c);
    return correction ? Y.mergeUpdates([update, correction]) : update;
  }

  /**
   * An update the server already stored (the attachment list, src/attachments/answerList.ts): applied, relayed to
   * every device, and durable at once. Applying it twice is harmless, so every node holding the document may.
   */
  applyServerUpdate(update: Uint8Array): void {
    if (this.destroyed) return;
    Y.applyUpdate(this.ydoc, update, this);
    this.sizeBytes += update.length;
    this.markDurable(update);
    const relay = encodeUpdate(update);
    for (const peer of this.peers.values()) peer.send(relay);
  }

  /** Whether one more update is stored now (docs/rules.md §4.6): the window and the lock, re-decided per update. */
  admits(now: Date, graceSeconds: number): Admission {
    return decideUpdate(this.context, now, graceSeconds);
  }

  /** Group-commits an applied update; resolves once it is durable and counted as such. */
  async persist(update: Uint8Array): Promise<void> {
    // Only structs that were integrated count: one still pending (a gap before it) is marked by the update that
    // fills the gap, which is committed after it.
    const to = this.lastApplied?.stored === update ? this.lastApplied.to : Y.parseUpdateMeta(update).to;
    this.lastApplied = null;
    this.pendingWrites++;
    try {
      await this.store.commit(this.registrationId, update);
    } finally {
      this.pendingWrites--;
    }
    this.markDurableTo(to);
    this.updatesSinceCompaction++;
    this.store.committed(this);
  }

  /** Records that an update is committed: its structs count as durable from now on. */
  private markDurable(update: Uint8Array): void {
    this.markDurableTo(Y.parseUpdateMeta(update).to);
  }

  private markDurableTo(to: Map<number, number>): void {
    for (const [client, clock] of to) {
      if ((this.durable.get(client) ?? 0) < clock) this.durable.set(client, clock);
    }
  }

  durableStateVector(): Uint8Array {
    return encodeStateVectorMap(this.durable);
  }

  /** The current word count; after destroy() the last one (a pupil's final figures still reach the room). */
  wordCount(): number {
    if (this.dirtyWords && !this.destroyed) {
      this.words = this.counter.count();
      this.dirtyWords = false;
    }
    return this.words;
  }

  get idle(): boolean {
    return this.peers.size === 0 && this.pendingWrites === 0;
  }

  broadcastControl(control: Control): void {
    for (const peer of this.peers.values()) peer.sendControl(control);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.wordCount();
    this.destroyed = true;
    this.guard?.destroy();
    this.unsubscribe();
    this.awareness.destroy();
    this.ydoc.destroy();
  }
}
