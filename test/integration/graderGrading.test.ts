import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfQueueRunner } from '../../src/submissions/pdfQueueRunner.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { buildSubmission, testIdentity, TEST_SIGNING_DIR } from '../support/submissionFactories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
let runner: PdfQueueRunner;
let world: Awaited<ReturnType<typeof buildWorld>>;
let grader: string;
let handedIn: number;
const start = new Date(Date.now() - 30 * 60_000);

beforeAll(async () => {
  t = await createTestApp({ config: { DATA_DIR: TEST_SIGNING_DIR, ANSWER_GRACE_SECONDS: '30' } });
  runner = new PdfQueueRunner(t.deps, { identity: testIdentity(), workers: 1 });
  // Started 30 minutes ago, 60 minutes long: one pupil has handed in, the other still writes.
  world = await buildWorld(t.deps.db, { candidates: 2, startsAt: start, durationMinutes: 60 });
  handedIn = (await buildSubmission(t.deps.db, { registrationId: world.candidates[0].registrationId })).submissionId;
  await runner.drain();
  grader = await sessionCookie(t.deps.db, world.grader);
});
afterAll(async () => {
  await runner.stop(100);
  t.setNow(null);
  await t.close();
});

const put = () =>
  t.request(`/api/submissions/${handedIn}/grade`, { method: 'PUT', cookie: grader, json: { grade: '7', note: 'God disposition.\nSprogligt sikker.' } });
const sittingView = async () => (await (await t.request(`/api/submissions/sittings/${world.sittingId}`, { cookie: grader })).json()).sitting;

describe('grading opens when the sitting has ended', () => {
  it('refuses a grade while pupils still write, saying when grading opens', async () => {
    const res = await put();
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body.type).toBe('urn:provesal:problem:grading-not-open');
    // The end (start + 60 min) plus the 30 s grace, in the product's Danish time format.
    expect(body.opensAt).toBe(new Date(start.getTime() + 60 * 60_000 + 30_000).toISOString());
    expect(body.detail).toMatch(/^Bedømmelsen åbner, når prøven er afsluttet \(\d{1,2}\. [a-zæøå]+ \d{4} kl\. \d{2}:\d{2}\)\.$/);
    expect((await t.deps.db.query('SELECT count(*)::int AS n FROM grades')).rows[0].n).toBe(0);
    expect(await sittingView()).toMatchObject({ gradingOpen: false, state: 'running' });
    const { sittings } = await (await t.request('/api/submissions/sittings', { cookie: grader })).json();
    expect(sittings[0]).toMatchObject({ id: world.sittingId, gradingOpen: false });
  });

  it('a pupil with extra time still writing keeps grading closed after the regular end', async () => {
    await t.deps.db.query('UPDATE registrations SET extra_minutes = 30 WHERE id = $1', [world.candidates[1].registrationId]);
    t.setNow(new Date(start.getTime() + 70 * 60_000));
    expect((await put()).status).toBe(409);
  });

  it('after every end plus grace the grade and its multi-line note are saved', async () => {
    t.setNow(new Date(start.getTime() + 91 * 60_000));
    expect(await sittingView()).toMatchObject({ gradingOpen: true, state: 'ended' });
    const res = await put();
    expect(res.status).toBe(200);
    const { rows } = await t.deps.db.query('SELECT grade, note FROM grades');
    expect(rows).toEqual([{ grade: '7', note: 'God disposition.\nSprogligt sikker.' }]);
    const list = await (await t.request(`/api/submissions/sittings/${world.sittingId}`, { cookie: grader })).json();
    expect(list.submissions[0]).toMatchObject({ grade: '7', note: 'God disposition.\nSprogligt sikker.' });
  });
});

describe('"Verificér fil" calls a signature trusted only through a configured trust anchor', () => {
  const verify = async (app: TestApp, cookie: string) => {
    const pdf = (await app.deps.db.query('SELECT pdf FROM submissions WHERE id = $1', [handedIn])).rows[0].pdf as Buffer;
    const res = await app.request('/api/submissions/verify', {
      method: 'POST',
      cookie,
      body: new Uint8Array(pdf),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(res.status).toBe(200);
    return res.json();
  };

  it('the self-made (demo) certificate is valid but not trusted, and labelled a demo certificate', async () => {
    expect(await verify(t, grader)).toMatchObject({ valid: true, trusted: false, demoCertificate: true });
  });

  it('with the issuing CA configured as a trust anchor it is trusted', async () => {
    const anchors = path.join(os.tmpdir(), `provesal-anchors-${process.pid}.pem`);
    writeFileSync(anchors, testIdentity().trustedCaPem.join('\n'));
    const other = await createTestApp({ config: { DATA_DIR: TEST_SIGNING_DIR, SIGNING_TRUST_ANCHORS_PATH: anchors } });
    try {
      const pdf = (await t.deps.db.query('SELECT pdf FROM submissions WHERE id = $1', [handedIn])).rows[0].pdf as Buffer;
      const ministry = await sessionCookie(other.deps.db, await (await import('../support/factories.ts')).buildUser(other.deps.db, 'ministry'));
      const res = await other.request('/api/submissions/verify', {
        method: 'POST',
        cookie: ministry,
        body: new Uint8Array(pdf),
        headers: { 'content-type': 'application/pdf' },
      });
      expect(await res.json()).toMatchObject({ valid: true, trusted: true });
    } finally {
      await other.close();
    }
  });
});
