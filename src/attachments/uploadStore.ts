import type { Readable } from 'node:stream';
import type pg from 'pg';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import { withTransaction, type Db } from '../db/pool.ts';
import type { AttachmentKind } from '../protocol/attachments.ts';
import { appendChunk, chunksBetween, deleteStaleUploads, deleteUpload, findUpload, insertUpload } from './queries.ts';

/** What the creating transaction learns from the caller's admission: whose upload it is and what it claims to be. */
export interface Admitted {
  registrationId: number;
  fileName: string;
  claimedKind: AttachmentKind;
}

export interface UploadStoreOptions {
  /**
   * Runs inside the transaction that creates the upload, before the row exists: the place to lock the pupil's
   * registration and decide the limits, so two uploads started at once cannot both squeeze under the quota.
   * Throws to refuse.
   */
  admit: (tx: pg.PoolClient, upload: Upload) => Promise<Admitted>;
  /** An unfinished upload older than this is gone (the tus expiration extension). */
  expirationMs: number;
  /** Bytes gathered from a PATCH body before they are written as one row. */
  pieceBytes?: number;
}

const PIECE_BYTES = 256 * 1024;
/** How many bytes one query reads back when streaming a stored file. */
const READ_WINDOW = 1024 * 1024;

/**
 * A tus DataStore over PostgreSQL (docs/rules.md §9: nodes are stateless): no byte touches local disk, so an upload
 * begun on one node resumes on any other. Each piece of a body is committed on its own; the offset a HEAD reports
 * is always what is durable, and a body cut off mid-way keeps the pieces that arrived.
 */
export class PostgresUploadStore extends DataStore {
  constructor(
    private readonly db: Db,
    private readonly o: UploadStoreOptions,
  ) {
    super();
    // No creation-defer-length: Upload-Length is required, so every size limit is decided at creation.
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  override async create(upload: Upload): Promise<Upload> {
    const row = await withTransaction(this.db, async (tx) => {
      const a = await this.o.admit(tx, upload);
      return insertUpload(tx, { id: upload.id, ...a, size: upload.size ?? 0, metadata: upload.metadata ?? {} });
    });
    upload.creation_date = row.created_at.toISOString();
    return upload;
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const limit = this.o.pieceBytes ?? PIECE_BYTES;
    let at = offset;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (!pendingBytes) return;
      const data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      // Someone else moved the offset (a resume on another node): this request's bytes are not ours to add.
      if (!(await appendChunk(this.db, id, at, data))) throw ERRORS.INVALID_OFFSET;
      at += data.length;
    };
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes >= limit) await flush();
      }
      await flush();
    } catch (err) {
      // A dropped connection: what did arrive is a valid prefix, kept so the resume need not send it again.
      await flush().catch(() => undefined);
      throw err;
    }
    return at;
  }

  override async getUpload(id: string): Promise<Upload> {
    const row = await findUpload(this.db, id);
    if (!row) throw ERRORS.FILE_NOT_FOUND;
    return new Upload({ id, size: row.size, offset: row.upload_offset, metadata: row.metadata, creation_date: row.created_at.toISOString() });
  }

  override async remove(id: string): Promise<void> {
    await deleteUpload(this.db, id);
  }

  override async deleteExpired(): Promise<number> {
    return deleteStaleUploads(this.db, new Date(Date.now() - this.o.expirationMs));
  }

  override getExpiration(): number {
    return this.o.expirationMs;
  }

  /** The stored bytes in [from, to), as one buffer (for sniffing the head and a ZIP's directory). */
  async range(id: string, from: number, to: number): Promise<Buffer> {
    if (to <= from) return Buffer.alloc(0);
    const rows = await chunksBetween(this.db, id, from, to);
    const parts = rows.map((r) => r.data.subarray(Math.max(0, from - r.start_offset), Math.min(r.data.length, to - r.start_offset)));
    return Buffer.concat(parts);
  }

  /** The stored bytes from the start, a window at a time: memory stays flat for a 20 MB file. */
  async *bytes(id: string, size: number): AsyncGenerator<Buffer> {
    for (let from = 0; from < size; from += READ_WINDOW) yield await this.range(id, from, Math.min(size, from + READ_WINDOW));
  }
}
