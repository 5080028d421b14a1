import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemTestReader } from '../../src/items/itemTestReader.ts';
import { PaperVault } from '../../src/scheduling/paperVault.ts';
import { PdfQueueRunner } from '../../src/submissions/pdfQueueRunner.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { testIdentity, TEST_SIGNING_DIR } from '../support/submissionFactories.ts';
import { handInItemAnswer, sealDemoPackage } from '../support/itemHandIn.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

/** The signed PDF of an item test: every prompt and response; the grader's copy adds scores and key (docs/rules.md §14.8). */
const KEY = 'c'.repeat(64);
const dir = mkdtempSync(path.join(os.tmpdir(), 'provesal-itempdf-'));
let t: TestApp;
let world: Awaited<ReturnType<typeof buildWorld>>;
let runner: PdfQueueRunner;

beforeAll(async () => {
  t = await createTestApp({ config: { PAPER_MASTER_KEY: KEY, DATA_DIR: TEST_SIGNING_DIR } });
  world = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 90, candidates: 0 });
  const vault = new PaperVault(Buffer.from(KEY, 'hex'));
  await sealDemoPackage(t.deps.db, world, vault);
  runner = new PdfQueueRunner(t.deps, { identity: testIdentity(), workers: 1, items: new ItemTestReader(t.deps.db, vault) });
});
afterAll(async () => {
  t.setNow(null);
  await runner.stop(100);
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const pdfText = (pdf: Buffer, name: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, pdf);
  return { file, text: execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ') };
};

describe('item test PDF', () => {
  let submissionId: number;
  let pupilPdf: Buffer;

  it('the stored (pupil and archive) copy lists every prompt and the response as text, with no score and no key', async () => {
    const pupil = await handInItemAnswer(
      t,
      world,
      { 'q01-valg': { RESPONSE: 'B' }, 'q05-ordklasser': { RESPONSE: ['HUS SUB', 'LØBE ADJ'] }, 'q10-to-felter': { ENTAL: 'bogen', FLERTAL: 'bøgerne' } },
      'Om sommeren badede vi ved Ærø.',
    );
    await runner.drain();
    const row = (await t.deps.db.query('SELECT s.id, s.pdf FROM submissions s WHERE s.registration_id = $1', [pupil.registrationId])).rows[0];
    submissionId = row.id;
    pupilPdf = row.pdf;
    expect(pupilPdf).not.toBeNull();
    const { file, text } = pdfText(pupilPdf, 'pupil.pdf');
    expect(spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout).toContain('Signature is Valid.');
    // Prompts of each kind of item, readable.
    expect(text).toContain('Hvilket ord er stavet rigtigt?');
    expect(text).toContain('Forbind hvert ord med dets ordklasse.');
    expect(text).toContain('Skriv 5–8 linjer om din sommerferie.');
    expect(text).toContain('Jeg har [lagt / lakt / laget] bogen på bordet.');
    // Responses: a choice by its text, pairs by their texts, typed text, extended text, and the unanswered.
    expect(text).toContain('Elevens svar: nødvendig');
    expect(text).toContain('hus → navneord; løbe → tillægsord');
    expect(text).toContain('Svar 1: »bogen« Svar 2: »bøgerne«');
    expect(text).toContain('Om sommeren badede vi ved Ærø.');
    expect(text).toContain('Ikke besvaret');
    // Never the key, a score or the scorer's rubric on the pupil's copy.
    expect(text).not.toMatch(/Nøgle|Point:|Samlet|Bedømmelsesvejledning/);
  });

  it('refuses the grader copy before the sitting ended, and to a grader of another sitting or a candidate', async () => {
    const grader = await sessionCookie(t.deps.db, world.grader);
    const early = await t.request(`/api/submissions/${submissionId}/grader.pdf`, { cookie: grader });
    expect(early.status).toBe(409);
    expect((await early.json()).type).toBe('urn:provesal:problem:grading-not-open');
    t.setNow(new Date(Date.now() + 3 * 3600_000));
    const other = await buildWorld(t.deps.db, { candidates: 0 });
    expect((await t.request(`/api/submissions/${submissionId}/grader.pdf`, { cookie: await sessionCookie(t.deps.db, other.grader) })).status).toBe(404);
    expect((await t.request(`/api/submissions/${submissionId}/grader.pdf`, { cookie: await sessionCookie(t.deps.db, world.ministry) })).status).toBe(403);
  });

  it('the grader copy shows each score, the key and the total, signed', async () => {
    const res = await t.request(`/api/submissions/${submissionId}/grader.pdf`, { cookie: await sessionCookie(t.deps.db, world.grader) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const { file, text } = pdfText(Buffer.from(await res.arrayBuffer()), 'grader.pdf');
    expect(spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout).toContain('Signature is Valid.');
    expect(text).toContain('Bedømmerens eksemplar');
    expect(text).toContain('Hvilket ord er stavet rigtigt?');
    expect(text).toContain('Point: 1 af 1 (automatisk) Nøgle: rigtigt svar: nødvendig');
    expect(text).toContain('Nøgle: rigtigt svar: hus → navneord; løbe → udsagnsord; grøn → tillægsord');
    expect(text).toContain('Elevens svar: Om sommeren badede vi ved Ærø. Point: 0 af 0 (bedømmes af bedømmer)');
    expect(text).toContain('Bedømmelsesvejledning: Giv op til 4 point');
    // q01 1 + q05 1 (one pair right) + q10 2.
    expect(text).toMatch(/Samlet: 4 af \d+ point/);
    const audit = await t.deps.db.query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'submission.grader_pdf_download' AND subject_id = $1", [
      String(submissionId),
    ]);
    expect(audit.rows[0].n).toBe(1);
  });
});
