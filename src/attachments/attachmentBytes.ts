import type { Queryable } from '../db/pool.ts';
import { chunksBetween } from './queries.ts';

/** How many bytes one query reads back. */
const READ_WINDOW = 1024 * 1024;

/**
 * A stored attachment's bytes in one array of exactly its size, read from its chunks a window at a time (so no query
 * returns more than ~1 MB). The array owns its ArrayBuffer, so it can be handed to a worker thread without a copy.
 * Throws when the stored chunks do not add up to the size: a gap must fail the PDF, never be signed.
 */
export async function readAttachment(q: Queryable, id: string, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let filled = 0;
  for (let from = 0; from < size; from += READ_WINDOW) {
    const to = Math.min(size, from + READ_WINDOW);
    for (const row of await chunksBetween(q, id, from, to)) {
      const at = Math.max(from, row.start_offset);
      const piece = row.data.subarray(at - row.start_offset, Math.min(row.data.length, to - row.start_offset));
      out.set(piece, at);
      filled += piece.length;
    }
  }
  if (filled !== size) throw new Error(`attachment ${id}: ${filled} of ${size} bytes stored`);
  return out;
}
