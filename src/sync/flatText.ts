import type * as Y from 'yjs';

/** How many applied updates a live document takes between two flattenings of its text. */
export const FLATTEN_EVERY_UPDATES = 128;

let lastRead = 0;

/**
 * Yjs merges a pupil's consecutive insertions into one item by appending strings (`str += next`). V8 keeps each
 * append as a rope node, so a 20,000-character answer typed in 3,600 updates held 3,600 nodes: 278 KB per live
 * document instead of ~110 KB (`npm run bench:memory`), and RSS rose all through a soak (docs/performance.md).
 * Reading a character of a rope makes V8 copy it into one flat string in place; the text itself is unchanged.
 */
export function flattenText(doc: Y.Doc): number {
  // The character read goes to a module variable so that an optimising compiler cannot drop the read.
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) {
      const content = (struct as { content?: { str?: unknown } }).content;
      if (typeof content?.str === 'string' && content.str.length > 1) lastRead = content.str.charCodeAt(0);
    }
  }
  return lastRead;
}
