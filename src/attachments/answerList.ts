import * as Y from 'yjs';
import type { Queryable } from '../db/pool.ts';
import { channels, type EventBus } from '../events/bus.ts';
import { ATTACHMENTS_MAP, type AttachmentEntry } from '../protocol/attachments.ts';
import type { BusEvent } from '../protocol/liveEvents.ts';
import { insertUpdates, loadStoredDocument } from '../sync/queries.ts';
import { docFromStored } from '../sync/storedDocument.ts';
import type { UploadRow } from './queries.ts';

/**
 * The list of finished attachments in the pupil's answer document (docs/rules.md §15.10), written by the server: a
 * Yjs update made against what PostgreSQL holds, stored in the update log like any pupil update. Run it in the
 * transaction that finishes the upload, under the registration's lock, so the list and the hand-in agree.
 * Returns the update; `publishDocumentUpdate` then hands it to the nodes holding the document live.
 */
export async function writeAttachmentEntry(tx: Queryable, registrationId: number, id: string, entry: AttachmentEntry | null): Promise<Uint8Array | null> {
  const doc = docFromStored(await loadStoredDocument(tx, registrationId));
  try {
    const map = doc.getMap<AttachmentEntry>(ATTACHMENTS_MAP);
    if (entry === null && !map.has(id)) return null;
    const before = Y.encodeStateVector(doc);
    if (entry) map.set(id, entry);
    else map.delete(id);
    const update = Y.encodeStateAsUpdate(doc, before);
    await insertUpdates(tx, [registrationId], [update]);
    return update;
  } finally {
    doc.destroy();
  }
}

export const entryOf = (u: UploadRow): AttachmentEntry => ({ name: u.file_name, size: u.size, sha256: u.sha256 ?? '', type: u.kind ?? u.claimed_kind });

/** Tells every node holding the document live (this one included) to apply the stored update and pass it to its devices. */
export async function publishDocumentUpdate(bus: EventBus<BusEvent>, registrationId: number, update: Uint8Array): Promise<void> {
  await bus.publish(channels.registration(registrationId), {
    type: 'registration.document',
    registrationId,
    update: Buffer.from(update).toString('base64'),
  });
}
