import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemTestHashText } from '../../src/protocol/itemResponses.ts';
import { PaperVault } from '../../src/scheduling/paperVault.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { handInItemAnswer, sealDemoPackage } from '../support/itemHandIn.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

/** Scores at hand-in, and a key correction that rescores every submission, audited (acceptance 4, docs/rules.md §14.5–6). */
const KEY = 'b'.repeat(64);
let t: TestApp;
let world: Awaited<ReturnType<typeof buildWorld>>;
let ministry: string;

beforeAll(async () => {
  t = await createTestApp({ config: { PAPER_MASTER_KEY: KEY } });
  world = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 90, candidates: 0 });
  await sealDemoPackage(t.deps.db, world, new PaperVault(Buffer.from(KEY, 'hex')));
  ministry = await sessionCookie(t.deps.db, world.ministry);
});
afterAll(async () => {
  await t.close();
});

/** A pupil who answered q01 and q03 and handed in; returns the receipt and the document they wrote. */
const handedIn = (tresserne: string) => handInItemAnswer(t, world, { 'q01-valg': { RESPONSE: 'B' }, 'q03-tresserne': { RESPONSE: tresserne } });

const results = async () => (await (await t.request(`/api/sittings/${world.sittingId}/items/results`, { cookie: ministry })).json()).results;

describe('item test results', () => {
  let first: Awaited<ReturnType<typeof handedIn>>;
  let second: Awaited<ReturnType<typeof handedIn>>;

  it('scores at hand-in per item, part and total; the receipt hash covers the responses', async () => {
    first = await handedIn('60erne');
    second = await handedIn("60'erne");
    const expected = createHash('sha256').update(itemTestHashText(first.doc), 'utf8').digest('hex');
    expect(first.receipt.sha256).toBe(expected);
    expect(itemTestHashText(first.doc)).toContain('"q03-tresserne":{"RESPONSE":"60erne"}');
    const list = await results();
    const byExam = Object.fromEntries(list.map((r: { examNumber: string }) => [r.examNumber, r]));
    expect(byExam[first.examNumber].total).toBe(1);
    expect(byExam[second.examNumber].total).toBe(2);
    expect(byExam[second.examNumber].parts[0]).toMatchObject({ part: 'del1', score: 2 });
    expect(byExam[second.examNumber].maxTotal).toBeGreaterThan(10);
  });

  it('a key correction rescores every submission, audits each change with old and new score, and the results list changes', async () => {
    const res = await t.request(`/api/sittings/${world.sittingId}/items/corrections`, {
      method: 'POST',
      cookie: ministry,
      json: { itemIdentifier: 'q03-tresserne', responseIdentifier: 'RESPONSE', change: { kind: 'add_variant', value: '60erne', score: 1 } },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sitting: world.sittingId, submissions: 2, changed: 1, corrections: 1 });
    const list = await results();
    expect(list.find((r: { examNumber: string }) => r.examNumber === first.examNumber).total).toBe(2);
    const { rows } = await t.deps.db.query("SELECT details FROM audit_events WHERE action = 'items.rescored' AND subject_id = $1", [
      String(list.find((r: { examNumber: string }) => r.examNumber === first.examNumber).submissionId),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].details).toMatchObject({ changes: [{ item: 'q03-tresserne', old: 0, new: 1 }], totalOld: 1, totalNew: 2 });
    const corrected = await t.deps.db.query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'items.key_corrected'");
    expect(corrected.rows[0].n).toBe(1);
  });

  it('refuses a correction for an item the test does not have, and one from a non-ministry user', async () => {
    const bad = await t.request(`/api/sittings/${world.sittingId}/items/corrections`, {
      method: 'POST',
      cookie: ministry,
      json: { itemIdentifier: 'nope', responseIdentifier: 'RESPONSE', change: { kind: 'set_key', values: ['A'] } },
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).type).toBe('urn:provesal:problem:key-correction-refused');
    const grader = await t.request(`/api/sittings/${world.sittingId}/items/corrections`, {
      method: 'POST',
      cookie: await sessionCookie(t.deps.db, world.grader),
      json: { itemIdentifier: 'q01-valg', responseIdentifier: 'RESPONSE', change: { kind: 'set_key', values: ['A'] } },
    });
    expect(grader.status).toBe(403);
  });

  it('gives the ministry per-item statistics as JSON and CSV', async () => {
    const json = await (await t.request(`/api/sittings/${world.sittingId}/items/statistics`, { cookie: ministry })).json();
    const q03 = json.items.find((i: { item: string }) => i.item === 'q03-tresserne');
    expect(q03).toMatchObject({ part: 'del1', submissions: 2, shareCorrect: 1, meanScore: 1, shareOmitted: 0 });
    expect(json.items.find((i: { item: string }) => i.item === 'q02-flervalg')).toMatchObject({ shareOmitted: 1, responses: [] });
    const csv = await t.request(`/api/sittings/${world.sittingId}/items/statistics?format=csv`, { cookie: ministry });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain('"q01-valg";"del1";2;1;1;0;"{""RESPONSE"":""B""}";2');
  });

  it('npm run items:rescore prints one JSON line with the counts', async () => {
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/items/rescoreCli.ts', '--sitting', String(world.sittingId)], {
      env: { ...process.env, DATABASE_URL: t.database.url, PAPER_MASTER_KEY: KEY, LOG_LEVEL: 'silent' },
      cwd: process.cwd(),
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ sitting: world.sittingId, submissions: 2, changed: 0, corrections: 1 });
  });
});
