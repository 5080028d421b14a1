import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { fileTypeFromStream } from 'file-type';
import { withTransaction } from '../db/pool.ts';
import { windowOf } from '../exam/examView.ts';
import { findRegistrationContext } from '../exam/queries.ts';
import type { AppDeps } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import { entryOf, publishDocumentUpdate, writeAttachmentEntry } from './answerList.ts';
import { recognise, type SniffResult } from './kinds.ts';
import { deleteUpload, findUpload, markCompleted, type UploadRow } from './queries.ts';
import { contentMismatch, decideWrite, type AttachmentRefusal } from './rules.ts';
import type { PostgresUploadStore } from './uploadStore.ts';
import { centralDirectoryOf, entryNamesOf, ZIP_TAIL_BYTES } from './zipEntries.ts';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export const appError = (r: AttachmentRefusal) => new AppError(r.status, r.id, r.da, r.en, r.extra);

/**
 * Turns a fully received upload into an attachment: the SHA-256 of the stored bytes, the kind the bytes prove
 * (which must be the kind the name claimed), and the window re-checked under the registration's lock, so an upload
 * finishing as the answer is handed in is either in the hand-in or gone. A refused upload is deleted at once.
 */
export async function finishUpload(deps: AppDeps, store: PostgresUploadStore, id: string): Promise<UploadRow> {
  const row = await findUpload(deps.db, id);
  if (!row) throw uploadGone();
  if (row.completed_at) return row;

  const hash = createHash('sha256');
  for await (const piece of store.bytes(id, row.size)) hash.update(piece);
  const sha256 = hash.digest('hex');

  const found = recognise(await sniff(store, id, row.size));
  if (!found || found.kind !== row.claimed_kind) {
    await deleteUpload(deps.db, id);
    throw appError(contentMismatch(row.claimed_kind, found?.kind ?? null));
  }

  const done = await withTransaction(deps.db, async (tx) => {
    const r = await findRegistrationContext(tx, row.registration_id, true);
    if (!r) throw uploadGone();
    const refused = decideWrite(windowOf(r), deps.now(), deps.config.ANSWER_GRACE_SECONDS, r.locked_reason !== null);
    if (refused) return refused;
    const completed = await markCompleted(tx, id, { kind: found.kind, mimeType: found.mime, sha256, at: deps.now() });
    // In the same transaction: the answer document lists the file exactly when the file is finished.
    return { completed, update: await writeAttachmentEntry(tx, completed.registration_id, id, entryOf(completed)) };
  });
  if ('status' in done) {
    await deleteUpload(deps.db, id);
    throw appError(done);
  }
  if (done.update) {
    await publishDocumentUpdate(deps.bus, done.completed.registration_id, done.update).catch((err: unknown) =>
      deps.log.warn({ err, registrationId: done.completed.registration_id }, 'attachment list not relayed; devices see it when they reconnect'),
    );
  }
  return done.completed;
}

const uploadGone = () => new AppError(404, 'not-found', 'Filen findes ikke længere.', 'The file no longer exists.');

/** file-type over the stored bytes; for a ZIP also the names in its central directory. */
async function sniff(store: PostgresUploadStore, id: string, size: number): Promise<SniffResult> {
  const type = await fileTypeFromStream(Readable.toWeb(Readable.from(store.bytes(id, size))) as ReadableStream<Uint8Array>);
  const head = await store.range(id, 0, ZIP_MAGIC.length);
  let zipEntries: string[] | null = null;
  if (head.equals(ZIP_MAGIC)) {
    const tailFrom = Math.max(0, size - ZIP_TAIL_BYTES);
    const dir = centralDirectoryOf(await store.range(id, tailFrom, size), size);
    if (dir) zipEntries = entryNamesOf(await store.range(id, dir.offset, dir.offset + dir.size), dir.count);
  }
  return { ext: type?.ext ?? null, mime: type?.mime ?? null, zipEntries };
}
