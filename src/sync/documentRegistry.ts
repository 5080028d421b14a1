import type { Logger } from 'pino';
import type { Db } from '../db/pool.ts';
import type { RegistrationContext } from '../exam/queries.ts';
import { compactDocuments } from './compaction.ts';
import { CompactionQueue } from './compactionQueue.ts';
import { LiveDocument, type DocumentStore, type UpdateGuard } from './liveDocument.ts';
import { READ_BATCH_DEFAULTS, ReadBatch } from '../db/readBatch.ts';
import { loadStoredDocuments, type StoredDocument } from './queries.ts';

/** Answers folded per compaction transaction: a few hundred log rows each, so a batch reads some 10–20 thousand. */
const COMPACTION_BATCH = 50;

export interface RegistryHooks {
  /** A document was loaded: subscribe it to its registration's events; the returned function unsubscribes. */
  loaded(doc: LiveDocument): () => void;
  /** One of a document's updates is durable (feeds the live room's "last saved"). */
  saved(doc: LiveDocument): void;
  /** A document left memory (the last device left and every write committed). */
  unloaded(registrationId: number): void;
  /** The rules beyond the window for this document (an item test's), or null; a failure fails the load. */
  guard(doc: LiveDocument): Promise<UpdateGuard | null>;
  /** A compaction ended (for the metrics): how long it took and how many still wait. */
  compacted?(ms: number, waiting: number): void;
  /** Whether a compaction may start now (no while the group commit is behind); unset: always. */
  mayCompact?(): boolean;
}

/**
 * The answers with a device on this node: one LiveDocument per registration, loaded once however many
 * sockets open it at the same moment, compacted as its update log grows, and dropped when idle.
 * PostgreSQL stays the truth; a document is never unloaded while a write is pending (docs/rules.md §10).
 */
export class DocumentRegistry implements DocumentStore {
  private readonly docs = new Map<number, LiveDocument>();
  private readonly loading = new Map<number, Promise<LiveDocument>>();
  private closing = false;
  /** A start storm's documents are read many per statement (each still snapshot + tail in one read); bigger rows, so fewer per batch. */
  // Compaction is an optimisation: a failure leaves snapshot + log exactly as they were, still complete.
  private readonly compactions = new CompactionQueue(
    async (registrationIds) => {
      const started = performance.now();
      await compactDocuments(this.db, registrationIds);
      this.hooks.compacted?.(performance.now() - started, this.compactions.size);
    },
    (err, registrationId, failure) => this.log.warn({ err: { message: err.message }, registrationId }, failure),
    2,
    COMPACTION_BATCH,
    () => this.hooks.mayCompact?.() ?? true,
  );
  private readonly stored = new ReadBatch<number, StoredDocument>((ids) => loadStoredDocuments(this.db, ids), { ...READ_BATCH_DEFAULTS, maxKeys: 200 });

  /** @param store group commit (the persister): resolves once the update is durable. */
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly store: (registrationId: number, update: Uint8Array) => Promise<void>,
    private readonly hooks: RegistryHooks,
  ) {}

  get size(): number {
    return this.docs.size;
  }

  /** Registration ids with at least one device connected here (for the presence heartbeat). */
  connectedIds(): number[] {
    return [...this.docs.values()].filter((d) => d.peers.size).map((d) => d.registrationId);
  }

  get(registrationId: number): LiveDocument | undefined {
    const doc = this.docs.get(registrationId);
    return doc && !doc.destroyed ? doc : undefined;
  }

  /**
   * The live document of a registration, loaded if needed, with the context just read. Never returns a
   * destroyed one: the last device's commits may unload a document between a load and its use, and a copy
   * kept beside a fresh one would be unseen by takeovers and unloads. A failed load throws: never serve (and
   * later store over) an empty document.
   */
  async open(context: RegistrationContext): Promise<LiveDocument> {
    for (;;) {
      const doc = this.get(context.id) ?? (await this.load(context));
      if (!doc.destroyed) {
        doc.context = context;
        return doc;
      }
    }
  }

  private load(context: RegistrationContext): Promise<LiveDocument> {
    let pending = this.loading.get(context.id);
    if (!pending) {
      pending = (async () => {
        const doc = new LiveDocument(context.id, (await this.stored.load(context.id))!, this, context);
        try {
          doc.guard = await this.hooks.guard(doc);
        } catch (err) {
          // Never serve an item test unchecked: the load fails and the socket closes with "reconnect".
          doc.destroy();
          throw err;
        }
        doc.unsubscribe = this.hooks.loaded(doc);
        this.docs.set(context.id, doc);
        return doc;
      })().finally(() => this.loading.delete(context.id));
      this.loading.set(context.id, pending);
    }
    return pending;
  }

  commit(registrationId: number, update: Uint8Array): Promise<void> {
    return this.store(registrationId, update);
  }

  committed(doc: LiveDocument): void {
    this.hooks.saved(doc);
    if (doc.updatesSinceCompaction >= doc.compactAfter && !doc.destroyed) {
      doc.updatesSinceCompaction = 0;
      this.compact(doc.registrationId, 'compaction failed; will retry later');
    }
    this.release(doc);
  }

  /** Drops the document if nobody uses it any more; folds its log into a snapshot on the way out. */
  release(doc: LiveDocument): void {
    if (doc.destroyed || !doc.idle) return;
    // Only the current document of a registration owns its slot: a newer one may be live already.
    if (this.docs.get(doc.registrationId) === doc) {
      this.docs.delete(doc.registrationId);
      this.hooks.unloaded(doc.registrationId);
    }
    doc.destroy();
    if (!this.closing) this.compact(doc.registrationId, 'compaction failed; the update log stays as it is');
  }

  /** Graceful stop: no compaction is started any more; what is pending is committed by the persister's drain. */
  stop(): void {
    this.closing = true;
    this.compactions.stop();
  }

  private compact(registrationId: number, failure: string): void {
    this.compactions.add(registrationId, failure);
  }
}
