import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { storeItemPackage } from '../../src/items/queries.ts';
import { extendedTextFragment, RESPONSES_MAP } from '../../src/protocol/itemResponses.ts';
import { PaperVault } from '../../src/scheduling/paperVault.ts';
import { loadStoredDocument } from '../../src/sync/queries.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { buildCandidate, buildWorld, sessionCookie } from '../support/factories.ts';
import { timedPackage } from '../support/itemPackages.ts';
import { startTestServer } from '../support/testApp.ts';

/**
 * The answer socket keeps an item test's responses to the rules (docs/rules.md §14, acceptance 5): a timed part closes
 * on the server clock, an unknown item or a response of the wrong form is not kept, and nothing stored is corrupted.
 */
const KEY = 'a'.repeat(64);
const PART_A_SECONDS = 6;
let server: Awaited<ReturnType<typeof startTestServer>>;
const clients: AnswerClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ config: { ANSWER_GRACE_SECONDS: '1', PAPER_MASTER_KEY: KEY } });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.closeAll();
});

async function pupilOfTimedTest() {
  const world = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 500), durationMinutes: 60, candidates: 0 });
  const zip = timedPackage(PART_A_SECONDS);
  await storeItemPackage(server.deps.db, world.sittingId, new PaperVault(Buffer.from(KEY, 'hex')).seal(Buffer.from(zip)), {
    itemCount: 3,
    parts: [
      { identifier: 'A', navigationMode: 'linear', maxTimeSeconds: PART_A_SECONDS },
      { identifier: 'B', navigationMode: 'nonlinear', maxTimeSeconds: null },
    ],
    by: world.ministry.id,
  });
  const pupil = await buildCandidate(server.deps.db, { schoolId: world.schoolId, sittingId: world.sittingId, roomId: world.roomA });
  const c = new AnswerClient(server.url, pupil.registrationId, await sessionCookie(server.deps.db, pupil));
  clients.push(c);
  await c.waitSynced();
  return { c, pupil, responses: c.doc.getMap(RESPONSES_MAP) };
}

async function storedDoc(registrationId: number): Promise<Y.Doc> {
  const stored = await loadStoredDocument(server.deps.db, registrationId);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}
const notices = (c: AnswerClient) => c.controls.filter((x) => x.type === 'notice');

describe('responses over the answer socket', () => {
  it('refuses a response for an unknown item and one of the wrong type, keeping the last good value and later changes', async () => {
    const { c, pupil, responses } = await pupilOfTimedTest();
    responses.set('b1', { RESPONSE: 'B' });
    await c.waitSaved();
    responses.set('nope', { RESPONSE: 'A' });
    await c.waitFor(() => !responses.has('nope'), 'unknown item reverted on the pupil');
    expect(notices(c).at(-1)).toMatchObject({ en: expect.stringMatching(/"nope" does not belong to an item/) });
    responses.set('b1', { RESPONSE: ['A', 'B'] });
    await c.waitFor(() => JSON.stringify(responses.get('b1')) === '{"RESPONSE":"B"}', 'wrong cardinality reverted');
    responses.set('b1', { RESPONSE: 'Z' });
    await c.waitFor(() => JSON.stringify(responses.get('b1')) === '{"RESPONSE":"B"}', 'unknown choice reverted');
    responses.set('b1', 'B');
    await c.waitFor(() => JSON.stringify(responses.get('b1')) === '{"RESPONSE":"B"}', 'not an object reverted');
    expect(notices(c).filter((n) => /not in the form/.test((n as { en: string }).en))).toHaveLength(3);
    // The socket is still open and the next good change is kept: nothing was dropped, no clock is missing.
    responses.set('b1', { RESPONSE: 'A' });
    await c.waitSaved();
    expect(c.closes).toEqual([]);
    const stored = (await storedDoc(pupil.registrationId)).getMap(RESPONSES_MAP).toJSON();
    expect(stored).toEqual({ b1: { RESPONSE: 'A' } });
  });

  it('closes a timed part on the server clock: changes after it are reverted, the stored value stays the one at close', async () => {
    const { c, pupil, responses } = await pupilOfTimedTest();
    const essay = c.doc.getXmlFragment(extendedTextFragment('a2', 'RESPONSE'));
    responses.set('a1', { RESPONSE: 'A' });
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('Før tiden')]);
    essay.push([p]);
    await c.waitSaved();
    // The server announces the close by itself while the pupil is connected.
    await c.waitFor(() => c.controls.some((x) => x.type === 'partClosed' && x.part === 'A'), 'partClosed A', (PART_A_SECONDS + 5) * 1000);
    const before = c.controls.length;
    responses.set('a1', { RESPONSE: 'B' });
    responses.delete('a1');
    (essay.get(0) as Y.XmlElement).insert(1, [new Y.XmlText(' og efter')]);
    await c.waitFor(
      () => JSON.stringify(responses.get('a1')) === '{"RESPONSE":"A"}' && essay.toString().includes('Før tiden') && !essay.toString().includes('efter'),
      'closed part reverted',
    );
    expect(c.controls.slice(before)).toContainEqual({ type: 'partClosed', part: 'A' });
    expect(c.controls.slice(before)).toContainEqual(expect.objectContaining({ type: 'notice', da: expect.stringMatching(/Tiden for delprøven "A" er gået/) }));
    // The untimed part is still open.
    responses.set('b1', { RESPONSE: 'A' });
    await c.waitSaved();
    const stored = await storedDoc(pupil.registrationId);
    expect(stored.getMap(RESPONSES_MAP).toJSON()).toEqual({ a1: { RESPONSE: 'A' }, b1: { RESPONSE: 'A' } });
    expect(stored.getXmlFragment(extendedTextFragment('a2', 'RESPONSE')).toString()).toBe('<paragraph>Før tiden</paragraph>');
    // A device that connects later is told at once that the part is closed.
    const late = new AnswerClient(server.url, pupil.registrationId, await sessionCookie(server.deps.db, pupil));
    clients.push(late);
    await late.waitSynced();
    await late.waitFor(() => late.controls.some((x) => x.type === 'partClosed' && x.part === 'A'), 'partClosed on connect');
  });
});
