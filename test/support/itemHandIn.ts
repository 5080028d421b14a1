import { expect } from 'vitest';
import * as Y from 'yjs';
import type { Queryable } from '../../src/db/pool.ts';
import type { Receipt } from '../../src/protocol/control.ts';
import { storeItemPackage } from '../../src/items/queries.ts';
import { extendedTextFragment, RESPONSES_MAP, type ItemResponse } from '../../src/protocol/itemResponses.ts';
import type { PaperVault } from '../../src/scheduling/paperVault.ts';
import { insertUpdates } from '../../src/sync/queries.ts';
import { buildCandidate, type buildWorld, sessionCookie } from './factories.ts';
import { demoZip } from './itemPackages.ts';
import type { TestApp } from './testApp.ts';

type World = Awaited<ReturnType<typeof buildWorld>>;

/** The demo package (13 items, a linear 30-minute part and a non-linear 45-minute part) sealed into a sitting. */
export async function sealDemoPackage(q: Queryable, world: World, vault: PaperVault): Promise<void> {
  await storeItemPackage(q, world.sittingId, vault.seal(Buffer.from(demoZip())), {
    itemCount: 13,
    parts: [
      { identifier: 'del1', navigationMode: 'linear', maxTimeSeconds: 1800 },
      { identifier: 'del2', navigationMode: 'nonlinear', maxTimeSeconds: 2700 },
    ],
    by: world.ministry.id,
  });
}

/**
 * A new pupil of the sitting whose answer document holds these responses and, for the demo's extended-text item
 * q12-skriv, this text; then the pupil hands in over HTTP, as the browser does.
 */
export async function handInItemAnswer(t: TestApp, world: World, responses: Record<string, ItemResponse>, extendedText?: string) {
  const pupil = await buildCandidate(t.deps.db, { schoolId: world.schoolId, sittingId: world.sittingId, roomId: world.roomA });
  const doc = new Y.Doc();
  for (const [item, response] of Object.entries(responses)) doc.getMap(RESPONSES_MAP).set(item, response);
  if (extendedText !== undefined) {
    const para = new Y.XmlElement('paragraph');
    doc.getXmlFragment(extendedTextFragment('q12-skriv', 'RESPONSE')).insert(0, [para]);
    const words = new Y.XmlText();
    para.insert(0, [words]);
    words.insert(0, extendedText);
  }
  await insertUpdates(t.deps.db, [pupil.registrationId], [Y.encodeStateAsUpdate(doc)]);
  await t.deps.db.query("UPDATE registrations SET state = 'writing' WHERE id = $1", [pupil.registrationId]);
  const res = await t.request(`/api/exam/registrations/${pupil.registrationId}/hand-in`, {
    method: 'POST',
    cookie: await sessionCookie(t.deps.db, pupil),
    json: { confirm: true },
  });
  expect(res.status).toBe(200);
  const { rows } = await t.deps.db.query<{ id: number }>('SELECT id FROM submissions WHERE registration_id = $1', [pupil.registrationId]);
  return { registrationId: pupil.registrationId, examNumber: pupil.examNumber, submissionId: rows[0].id, receipt: (await res.json()) as Receipt, doc };
}
