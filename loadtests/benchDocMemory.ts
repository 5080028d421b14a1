/**
 * Memory of a live answer (docs/performance.md, "ropes"): N answers typed update by update as a pupil's editor sends
 * them, held once as the server holds them (LiveDocument, which flattens its text) and once as plain Y.Docs.
 * Prints KB per answer for both, after a full garbage collection.
 *
 *   npm run bench:memory -- [--answers 300] [--updates 3600]
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { RegistrationContext } from '../src/exam/queries.ts';
import { LiveDocument, type DocumentPeer, type DocumentStore } from '../src/sync/liveDocument.ts';
import { parseFlags } from './lib/benchDatabase.ts';
import { TypingScript } from './lib/typingScript.ts';

const f = parseFlags(process.argv.slice(2), { answers: 300, updates: 3600 });
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const script = new TypingScript(1, 5.8); // ~200 characters a minute in 300-ms updates, as bench:autosave types
script.ensure(Number(f.updates));
const updates = script.frames.slice(0, Number(f.updates)).map((frame) => {
  const d = decoding.createDecoder(frame);
  decoding.readVarUint(d);
  decoding.readVarUint(d);
  return decoding.readVarUint8Array(d);
});

function kbPerAnswer(make: () => unknown): number {
  gc!();
  const before = process.memoryUsage().heapUsed;
  const kept = Array.from({ length: Number(f.answers) }, make);
  gc!();
  const kb = (process.memoryUsage().heapUsed - before) / kept.length / 1024;
  kept.length = 0;
  return Math.round(kb);
}

// Nothing is stored or sent: only the documents' memory is measured.
const nothing = () => undefined;
const store = { commit: () => Promise.resolve(), committed: nothing } as unknown as DocumentStore;
const peer = { id: 'bench', send: nothing, sendControl: nothing } as unknown as DocumentPeer;
const liveDocumentKb = kbPerAnswer(() => {
  const doc = new LiveDocument(0, { snapshot: null, updates: [], updateIds: [], lastId: 0 }, store, {} as RegistrationContext);
  for (const u of updates) doc.apply(u, peer);
  return doc;
});
const plainYDocKb = kbPerAnswer(() => {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
});
console.log(
  JSON.stringify({
    answers: Number(f.answers),
    updates: Number(f.updates),
    characters: script.textAfter(Number(f.updates)).length,
    liveDocumentKb,
    plainYDocKb,
  }),
);
process.exit(0);
