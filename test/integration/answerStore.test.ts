import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerPlainText } from '../../src/protocol/answerDocument.ts';
import { compactDocuments } from '../../src/sync/compaction.ts';
import { insertUpdates, loadStoredDocument, upsertSnapshot } from '../../src/sync/queries.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { storedAnswerText } from '../support/storedAnswer.ts';
import { buildWorld } from '../support/factories.ts';
import { until } from '../support/poll.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const textOf = (stored: Awaited<ReturnType<typeof loadStoredDocument>>) => {
  const d = new Y.Doc();
  for (const u of [stored.snapshot, ...stored.updates]) if (u) Y.applyUpdate(d, u);
  return answerPlainText(d);
};

/** One pupil's registration and a Yjs document whose updates are collected as the pupil's editor would send them. */
async function onePupil() {
  const w = await buildWorld(t.db, { candidates: 1 });
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const p = new Y.XmlElement('paragraph');
  return { id: w.candidates[0].registrationId, doc, updates, p };
}

describe('the stored answer (snapshot + update log)', () => {
  it('a load that overlaps a compaction still sees the whole answer (no snapshot/log read skew)', async () => {
    const { id, doc, updates, p } = await onePupil();
    p.insert(0, [new Y.XmlText('Alt det, eleven har skrevet og fået "Gemt" for.')]);
    doc.getXmlFragment('answer').push([p]);
    await insertUpdates(
      t.db,
      updates.map(() => id),
      updates,
    );

    // A compaction that has written its snapshot and deleted the log rows, not yet committed, holding the log
    // table: a reader starting now must see either all before it or all after it — never half of each.
    const compaction = await t.db.connect();
    await compaction.query('BEGIN');
    await compaction.query('LOCK TABLE doc_updates IN ACCESS EXCLUSIVE MODE');
    const before = await loadStoredDocument(compaction, id);
    const merged = new Y.Doc();
    for (const u of before.updates) Y.applyUpdate(merged, u);
    await upsertSnapshot(compaction, {
      registrationId: id,
      state: Y.encodeStateAsUpdate(merged),
      lastUpdateId: before.lastId,
      foldedIds: before.updateIds,
      textLength: 0,
      wordCount: 0,
    });

    const loading = loadStoredDocument(t.db, id);
    // Commit only once the load is queued behind the lock (an ungranted lock on doc_updates), or it would not overlap.
    await until(
      async () =>
        (await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'doc_updates'::regclass AND NOT granted")).rows[0].n > 0,
      { what: 'the load waiting on the compaction lock' },
    );
    await compaction.query('COMMIT');
    compaction.release();
    expect(textOf(await loading)).toBe('Alt det, eleven har skrevet og fået "Gemt" for.');
    expect(await storedAnswerText(t.db, id)).toBe('Alt det, eleven har skrevet og fået "Gemt" for.');
  });

  it('compacts several answers in one transaction: each keeps its whole text, only its folded rows go', async () => {
    const w = await buildWorld(t.db, { candidates: 3 });
    const ids = w.candidates.map((c) => c.registrationId);
    const docs = ids.map(() => new Y.Doc());
    const typeInto = async (i: number, text: string) => {
      const updates: Uint8Array[] = [];
      const collect = (u: Uint8Array) => updates.push(u);
      docs[i].on('update', collect);
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(text)]);
      docs[i].getXmlFragment('answer').push([p]);
      docs[i].off('update', collect);
      await insertUpdates(
        t.db,
        updates.map(() => ids[i]),
        updates,
      );
    };
    const rows = async (id: number) => (await t.db.query('SELECT id FROM doc_updates WHERE registration_id = $1', [id])).rowCount;
    await typeInto(0, 'Første elev.');
    await typeInto(1, 'Anden elev.');
    await compactDocuments(t.db, [ids[1], ids[0], ids[2]]); // out of order, one never written
    expect([await rows(ids[0]), await rows(ids[1])]).toEqual([0, 0]);
    await typeInto(0, 'Mere tekst.');
    await compactDocuments(t.db, [ids[0], ids[1]]);
    expect(await rows(ids[0])).toBe(0);
    expect(await storedAnswerText(t.db, ids[0])).toBe('Første elev.\nMere tekst.');
    expect(await storedAnswerText(t.db, ids[1])).toBe('Anden elev.');
    expect(await storedAnswerText(t.db, ids[2])).toBe('');
    const { rows: snaps } = await t.db.query<{ registration_id: string; word_count: number }>(
      'SELECT registration_id, word_count FROM doc_snapshots WHERE registration_id = ANY($1) ORDER BY registration_id',
      [ids],
    );
    expect(snaps.map((r) => r.word_count)).toEqual([4, 2]);
  });

  it('keeps a row that commits after a compaction folded a later one (two group-commit batches side by side)', async () => {
    const { id, doc, updates, p } = await onePupil();
    doc.getXmlFragment('answer').push([p]);
    const text = new Y.XmlText('');
    p.insert(0, [text]);
    text.insert(0, 'Hej');
    text.insert(3, ' verden, ');
    text.insert(12, 'og resten af dagen.');
    const [first, middle, last] = [Y.mergeUpdates(updates.slice(0, -2)), updates.at(-2)!, updates.at(-1)!];
    await insertUpdates(t.db, [id], [first]);

    // Batch A draws the lower id for the middle update but has not committed; batch B logs the last one and commits.
    const batchA = await t.db.connect();
    await batchA.query('BEGIN');
    await insertUpdates(batchA, [id], [middle]);
    await insertUpdates(t.db, [id], [last]);
    // A compaction now sees the first and the last row (the last one waits on the missing middle) and folds them.
    await compactDocuments(t.db, [id]);
    await batchA.query('COMMIT');
    batchA.release();

    // The middle row committed and was acknowledged: the answer must have it, and the text after it.
    expect(await storedAnswerText(t.db, id)).toBe('Hej verden, og resten af dagen.');
    await compactDocuments(t.db, [id]);
    expect(await storedAnswerText(t.db, id)).toBe('Hej verden, og resten af dagen.');
    expect((await t.db.query('SELECT id FROM doc_updates WHERE registration_id = $1', [id])).rowCount).toBe(0);
  });
});
