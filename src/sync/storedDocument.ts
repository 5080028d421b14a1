import * as Y from 'yjs';
import type { StoredDocument } from './queries.ts';

/**
 * Every Y.Doc the server builds gets a fixed guid: the guid only names subdocuments, which answers have none, and
 * Yjs's default draws 31 random numbers through WebCrypto per document (7 % of the server's CPU in a start storm).
 */
export const SERVER_DOC_GUID = 'provesal-answer';

/**
 * The one way to turn what PostgreSQL holds (snapshot + the update log after it) into a Y.Doc: the live
 * document, compaction and the hand-in must agree byte for byte on what the answer is.
 * Returns the bytes applied, a cheap bound on the document's size.
 */
export function applyStored(doc: Y.Doc, stored: StoredDocument): number {
  let bytes = 0;
  // One transaction for all of them: Yjs then cleans up (merges structs, runs observers) once instead of once per
  // logged update — 2.6× faster for a 300-update tail, the same bytes encoded (compaction ran behind without it).
  doc.transact(() => {
    if (stored.snapshot) {
      Y.applyUpdate(doc, stored.snapshot);
      bytes += stored.snapshot.length;
    }
    for (const u of stored.updates) {
      Y.applyUpdate(doc, u);
      bytes += u.length;
    }
  });
  return bytes;
}

/** A fresh Y.Doc holding the stored answer; the caller destroys it. */
export function docFromStored(stored: StoredDocument): Y.Doc {
  const doc = new Y.Doc({ guid: SERVER_DOC_GUID });
  applyStored(doc, stored);
  return doc;
}
