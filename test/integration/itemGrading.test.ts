import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaperVault } from '../../src/scheduling/paperVault.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { handInItemAnswer, sealDemoPackage } from '../support/itemHandIn.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

/** Graders see the automatic scores, score extended text, and override with a reason, audited (docs/rules.md §14.9). */
const KEY = 'd'.repeat(64);
let t: TestApp;
let world: Awaited<ReturnType<typeof buildWorld>>;
let grader: string;
let submissionId: number;
let examNumber: string;

beforeAll(async () => {
  t = await createTestApp({ config: { PAPER_MASTER_KEY: KEY } });
  world = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 90, candidates: 0 });
  await sealDemoPackage(t.deps.db, world, new PaperVault(Buffer.from(KEY, 'hex')));
  grader = await sessionCookie(t.deps.db, world.grader);
  ({ examNumber, submissionId } = await handInItemAnswer(
    t,
    world,
    { 'q01-valg': { RESPONSE: 'B' }, 'q03-tresserne': { RESPONSE: '60erne' } },
    'Vi var i sommerhus.',
  ));
});
afterAll(async () => {
  t.setNow(null);
  await t.close();
});

const scoresUrl = () => `/api/sittings/${world.sittingId}/items/submissions/${submissionId}/scores`;
const put = (item: string, json: unknown, cookie = grader) => t.request(`${scoresUrl()}/${item}`, { method: 'PUT', cookie, json });
const total = async () =>
  (await (await t.request(`/api/sittings/${world.sittingId}/items/results`, { cookie: grader })).json()).results.find(
    (r: { examNumber: string }) => r.examNumber === examNumber,
  ).total;
const audits = async (action: string) =>
  (await t.deps.db.query('SELECT details FROM audit_events WHERE action = $1 AND subject_id = $2 ORDER BY at', [action, String(submissionId)])).rows.map(
    (r) => r.details,
  );

describe('graders score item tests', () => {
  it('refuses before the sitting ended, and anyone but the sitting’s graders', async () => {
    const early = await t.request(scoresUrl(), { cookie: grader });
    expect(early.status).toBe(409);
    expect((await early.json()).type).toBe('urn:provesal:problem:grading-not-open');
    t.setNow(new Date(Date.now() + 3 * 3600_000));
    const other = await buildWorld(t.deps.db, { candidates: 0 });
    expect((await t.request(scoresUrl(), { cookie: await sessionCookie(t.deps.db, other.grader) })).status).toBe(404);
    expect((await put('q12-skriv', { score: 2 }, await sessionCookie(t.deps.db, other.grader))).status).toBe(404);
    expect((await t.request(scoresUrl(), { cookie: await sessionCookie(t.deps.db, world.ministry) })).status).toBe(403);
  });

  it('shows every item with its response and automatic score', async () => {
    const res = await t.request(scoresUrl(), { cookie: grader });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.examNumber).toBe(examNumber);
    expect(body.total.score).toBe(1);
    const byItem = Object.fromEntries(body.items.map((i: { item: string }) => [i.item, i]));
    expect(byItem['q01-valg']).toMatchObject({ manual: false, automatic: 1, score: 1, maxScore: 1, responses: ['nødvendig'], graded: null });
    expect(byItem['q12-skriv']).toMatchObject({ manual: true, score: 0, responses: ['Vi var i sommerhus.'] });
    expect(byItem['q12-skriv'].prompt.join(' ')).toContain('Skriv 5–8 linjer');
    expect(JSON.stringify(body)).not.toContain('Bedømmelsesvejledning');
  });

  it('scores an extended text: the total follows and the change is audited with old and new score', async () => {
    const res = await put('q12-skriv', { score: 3 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ item: 'q12-skriv', old: 0, score: 3, total: { score: 4 } });
    expect(await total()).toBe(4);
    expect(await audits('items.score_set')).toEqual([
      expect.objectContaining({ item: 'q12-skriv', old: 0, new: 3, reason: null, totalOld: 1, totalNew: 4, examNumber }),
    ]);
  });

  it('changes an automatic score only with a reason and within the item’s maximum, audited as an override', async () => {
    const noReason = await put('q01-valg', { score: 0 });
    expect(noReason.status).toBe(422);
    expect((await noReason.json()).type).toBe('urn:provesal:problem:item-score-refused');
    expect((await put('q01-valg', { score: 2, reason: 'ekstra' })).status).toBe(422);
    expect((await put('q01-valg', { score: 0.3, reason: 'skæv' })).status).toBe(422);
    expect((await put('nope', { score: 0, reason: 'x' })).status).toBe(404);
    expect(await total()).toBe(4);
    const ok = await put('q01-valg', { score: 0, reason: 'Eleven skrev svaret i margenen' });
    expect(ok.status).toBe(200);
    expect(await total()).toBe(3);
    expect(await audits('items.score_overridden')).toEqual([
      expect.objectContaining({ item: 'q01-valg', automatic: 1, old: 1, new: 0, reason: 'Eleven skrev svaret i margenen', totalOld: 4, totalNew: 3 }),
    ]);
  });

  it('a key correction rescores the automatic items but keeps the graders’ scores in the total', async () => {
    const res = await t.request(`/api/sittings/${world.sittingId}/items/corrections`, {
      method: 'POST',
      cookie: await sessionCookie(t.deps.db, world.ministry),
      json: { itemIdentifier: 'q03-tresserne', responseIdentifier: 'RESPONSE', change: { kind: 'add_variant', value: '60erne', score: 1 } },
    });
    expect(res.status).toBe(200);
    // q01 overridden to 0, q03 now 1, q12 graded 3.
    expect(await total()).toBe(4);
    const body = await (await t.request(scoresUrl(), { cookie: grader })).json();
    expect(body.items.find((i: { item: string }) => i.item === 'q01-valg')).toMatchObject({ automatic: 1, score: 0, graded: { score: 0 } });
  });
});
