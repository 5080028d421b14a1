import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { RegistrationContext } from '../../src/exam/queries.ts';
import { LiveDocument, type DocumentPeer, type DocumentStore } from '../../src/sync/liveDocument.ts';

/** A store whose commits the test completes one by one, in order. */
function heldStore() {
  const held: (() => void)[] = [];
  const store: DocumentStore = {
    commit: () => new Promise<void>((resolve) => held.push(resolve)),
    committed: () => undefined,
  };
  return { store, commitNext: () => held.shift()!() };
}

const peer: DocumentPeer = { id: 'pupil', send: () => undefined, sendControl: () => undefined };
const tick = () => new Promise((r) => setTimeout(r, 0));
const durable = (doc: LiveDocument) => Y.decodeStateVector(doc.durableStateVector());

/** A pupil's editor: each call types into its own document and returns the update it would send. */
function editor() {
  const doc = new Y.Doc();
  const t = new Y.XmlText();
  doc.getXmlFragment('answer').insert(0, [t]);
  return {
    clientID: doc.clientID,
    type(s: string): Uint8Array {
      const before = Y.encodeStateVector(doc);
      t.insert(t.length, s);
      return Y.encodeStateAsUpdate(doc, before);
    },
    opening: () => Y.encodeStateAsUpdate(doc),
  };
}

describe('a live document marks structs durable', () => {
  it('only once their update is committed, up to the clock the update integrated', async () => {
    const { store, commitNext } = heldStore();
    const pupil = editor();
    const doc = new LiveDocument(1, { snapshot: null, updates: [], updateIds: [], lastId: 0 }, store, {} as RegistrationContext);
    const first = doc.persist(doc.apply(pupil.opening(), peer));
    const hej = doc.persist(doc.apply(pupil.type('Hej'), peer));
    expect(durable(doc).get(pupil.clientID)).toBeUndefined();
    commitNext();
    await first;
    const afterFirst = durable(doc).get(pupil.clientID) ?? 0;
    commitNext();
    await hej;
    expect(durable(doc).get(pupil.clientID)).toBe(afterFirst + 3);
  });

  it('leaves a struct that waits for a gap undurable until the update that fills the gap is committed', async () => {
    const { store, commitNext } = heldStore();
    const pupil = editor();
    const doc = new LiveDocument(1, { snapshot: null, updates: [], updateIds: [], lastId: 0 }, store, {} as RegistrationContext);
    const opening = pupil.opening();
    const a = pupil.type('a');
    const b = pupil.type('b');
    const all = Y.mergeUpdates([opening, a, b]);
    // b arrives first: Yjs keeps it pending (its left neighbour is unknown), so it is stored but not integrated.
    const late = doc.persist(doc.apply(b, peer));
    commitNext();
    await late;
    expect(durable(doc).get(pupil.clientID)).toBeUndefined();
    const fill = doc.persist(doc.apply(Y.mergeUpdates([opening, a]), peer));
    commitNext();
    await fill;
    await tick();
    expect(durable(doc).get(pupil.clientID)).toBe(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(all)).get(pupil.clientID));
  });
});
