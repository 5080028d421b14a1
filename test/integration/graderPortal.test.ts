import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfQueueRunner } from '../../src/submissions/pdfQueueRunner.ts';
import { verifyPdf } from '../../src/submissions/verifier.ts';
import { assignGrader, buildSitting, buildUser, buildWorld, sessionCookie } from '../support/factories.ts';
import { buildSubmission, testIdentity, TEST_SIGNING_DIR } from '../support/submissionFactories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
let runner: PdfQueueRunner;
let world: Awaited<ReturnType<typeof buildWorld>>;
let other: Awaited<ReturnType<typeof buildWorld>>;
let grader: string;
const subs: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp({ config: { DATA_DIR: TEST_SIGNING_DIR } });
  runner = new PdfQueueRunner(t.deps, { identity: testIdentity(), workers: 1 });
  // Grading opens once the sitting has ended (graderGrading.test.ts): this one ended an hour ago.
  world = await buildWorld(t.deps.db, { candidates: 3, startsAt: new Date(Date.now() - 3 * 3_600_000), durationMinutes: 120 });
  other = await buildWorld(t.deps.db, { candidates: 1 });
  for (const c of [...world.candidates.slice(0, 2), ...other.candidates]) {
    subs[c.examNumber] = (await buildSubmission(t.deps.db, { registrationId: c.registrationId })).submissionId;
  }
  await runner.drain();
  // The third candidate handed in after the PDFs were made: theirs is still pending.
  subs[world.candidates[2].examNumber] = (await buildSubmission(t.deps.db, { registrationId: world.candidates[2].registrationId })).submissionId;
  grader = await sessionCookie(t.deps.db, world.grader);
});
afterAll(async () => {
  await runner.stop(100);
  await t.close();
});

const audits = async (action: string, actorId: number) =>
  (await t.deps.db.query('SELECT subject_id, details FROM audit_events WHERE action = $1 AND actor_id = $2 ORDER BY id', [action, actorId])).rows;

describe('graders portal: listing', () => {
  it('lists only the sittings assigned to the grader', async () => {
    const extra = await buildSitting(t.deps.db, { subject: 'Engelsk – skriftlig' });
    await assignGrader(t.deps.db, extra, world.grader.id);
    const res = await t.request('/api/submissions/sittings', { cookie: grader });
    expect(res.status).toBe(200);
    const { sittings } = await res.json();
    expect(sittings.map((s: { id: number }) => s.id).sort()).toEqual([world.sittingId, extra].sort());
    const mine = sittings.find((s: { id: number }) => s.id === world.sittingId);
    expect(mine).toMatchObject({ submissions: 3, pdfsReady: 2, graded: 0 });
  });

  it('lists a sitting’s submissions by exam number with hand-in time and PDF state, without names', async () => {
    const res = await t.request(`/api/submissions/sittings/${world.sittingId}`, { cookie: grader });
    expect(res.status).toBe(200);
    const body = await res.json();
    const expected = world.candidates.map((c) => c.examNumber).sort();
    expect(body.submissions.map((s: { examNumber: string }) => s.examNumber)).toEqual(expected);
    const states = Object.fromEntries(body.submissions.map((s: { examNumber: string; pdf: string }) => [s.examNumber, s.pdf]));
    expect(states[world.candidates[2].examNumber]).toBe('pending');
    expect(states[world.candidates[0].examNumber]).toBe('ready');
    expect(JSON.stringify(body)).not.toMatch(/Elev /);
  });

  it('refuses other roles with 403 forbidden', async () => {
    const cand = await sessionCookie(t.deps.db, world.candidates[0]);
    const res = await t.request('/api/submissions/sittings', { cookie: cand });
    expect(res.status).toBe(403);
    expect((await res.json()).type).toBe('urn:provesal:problem:forbidden');
  });
});

describe('graders portal: what is not assigned is 404', () => {
  it('a sitting, a submission PDF, a ZIP, a CSV and a grade of a sitting not assigned are all 404 not-found', async () => {
    const foreign = subs[other.candidates[0].examNumber];
    for (const [path, init] of [
      [`/api/submissions/sittings/${other.sittingId}`, {}],
      [`/api/submissions/${foreign}/pdf`, {}],
      [`/api/submissions/sittings/${other.sittingId}/pdfs.zip`, {}],
      [`/api/submissions/sittings/${other.sittingId}/grades.csv`, {}],
      [`/api/submissions/${foreign}/grade`, { method: 'PUT', json: { grade: '7' } }],
    ] as const) {
      const res = await t.request(path, { cookie: grader, ...init });
      expect(res.status, path).toBe(404);
      expect((await res.json()).type, path).toBe('urn:provesal:problem:not-found');
    }
    // The other sitting's own grader gets it.
    const theirs = await sessionCookie(t.deps.db, other.grader);
    expect((await t.request(`/api/submissions/${foreign}/pdf`, { cookie: theirs })).status).toBe(200);
  });
});

describe('graders portal: downloads', () => {
  it('downloads one PDF as <examNumber>.pdf and audits it', async () => {
    const c = world.candidates[0];
    const res = await t.request(`/api/submissions/${subs[c.examNumber]}/pdf`, { cookie: grader });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${c.examNumber}.pdf"`);
    expect(verifyPdf(Buffer.from(await res.arrayBuffer())).valid).toBe(true);
    expect((await audits('submission.pdf_download', world.grader.id)).map((a) => Number(a.subject_id))).toContain(subs[c.examNumber]);
  });

  it('a pending PDF is 409 pdf-pending', async () => {
    const res = await t.request(`/api/submissions/${subs[world.candidates[2].examNumber]}/pdf`, { cookie: grader });
    expect(res.status).toBe(409);
    expect((await res.json()).type).toBe('urn:provesal:problem:pdf-pending');
  });

  it('streams a ZIP holding exactly the sitting’s ready PDFs, named by exam number, each validly signed', async () => {
    const res = await t.request(`/api/submissions/sittings/${world.sittingId}/pdfs.zip`, { cookie: grader });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const ready = world.candidates
      .slice(0, 2)
      .map((c) => `${c.examNumber}.pdf`)
      .sort();
    expect(Object.keys(files).sort()).toEqual(ready);
    for (const name of ready) expect(verifyPdf(Buffer.from(files[name])).valid, name).toBe(true);
    const audit = await audits('submission.zip_download', world.grader.id);
    expect(audit.at(-1)).toMatchObject({ subject_id: String(world.sittingId), details: { pdfs: 2 } });
  });
});

describe('graders portal: grades', () => {
  const put = (submissionId: number, json: unknown, cookie = grader) => t.request(`/api/submissions/${submissionId}/grade`, { method: 'PUT', json, cookie });

  it.each([['5'], [7], ['0'], ['2'], ['-03'], [''], [null], ['12 ']])('refuses grade %j with 400 invalid-grade in Danish and English', async (grade) => {
    const res = await put(subs[world.candidates[0].examNumber], { grade });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.type).toBe('urn:provesal:problem:invalid-grade');
    expect(body.detail_da).toContain('7-trinsskalaen');
    expect(body.detail_en).toContain('7-point scale');
    expect(body.allowed).toEqual(['-3', '00', '02', '4', '7', '10', '12']);
  });

  it('refuses a note over 2000 characters with validation-failed naming the field', async () => {
    const res = await put(subs[world.candidates[0].examNumber], { grade: '7', note: 'x'.repeat(2001) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'urn:provesal:problem:validation-failed', field: 'note' });
  });

  it('sets and changes a grade, auditing both with the previous value', async () => {
    const c = world.candidates[0];
    const first = await put(subs[c.examNumber], { grade: '02', note: 'Kort, men klart.' });
    expect(first.status, await first.clone().text()).toBe(200);
    expect(await first.json()).toMatchObject({ grade: '02', note: 'Kort, men klart.', previous: null });
    const second = await put(subs[c.examNumber], { grade: '-3' });
    expect(await second.json()).toMatchObject({ grade: '-3', note: null, previous: { grade: '02', note: 'Kort, men klart.' } });
    const rows = await audits('grading.grade_set', world.grader.id);
    expect(rows.slice(-2).map((r) => r.details.grade)).toEqual(['02', '-3']);
    expect(rows.at(-1)!.details.previous).toEqual({ grade: '02', note: 'Kort, men klart.' });
  });

  it('exports grades as ;-separated UTF-8 CSV with a BOM, formula-safe notes and "-3" kept as a grade', async () => {
    const [a, b] = world.candidates;
    await put(subs[a.examNumber], { grade: '-3' });
    await put(subs[b.examNumber], { grade: '12', note: '=HYPERLINK("x"); æøå' });
    const res = await t.request(`/api/submissions/sittings/${world.sittingId}/grades.csv`, { cookie: grader });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('Prøvenummer;Karakter;Bemærkning');
    const byExam = Object.fromEntries(lines.slice(1).map((l) => [l.split(';')[0], l]));
    expect(byExam[a.examNumber]).toBe(`${a.examNumber};-3;`);
    expect(byExam[b.examNumber]).toBe(`${b.examNumber};12;"'=HYPERLINK(""x""); æøå"`);
    expect(byExam[world.candidates[2].examNumber]).toBe(`${world.candidates[2].examNumber};;`);
    expect(lines).toHaveLength(4);
    // The one export of this file (the refused one of a foreign sitting earlier is not an export).
    expect((await audits('grading.csv_export', world.grader.id)).map((a) => a.subject_id)).toEqual([String(world.sittingId)]);
  });
});

describe('verify route', () => {
  it('reports a downloaded PDF valid and a one-byte change invalid; refuses candidates', async () => {
    const pdf = Buffer.from(await (await t.request(`/api/submissions/${subs[world.candidates[1].examNumber]}/pdf`, { cookie: grader })).arrayBuffer());
    const post = (body: Buffer, cookie = grader) =>
      t.request('/api/submissions/verify', { method: 'POST', body: new Uint8Array(body), cookie, headers: { 'content-type': 'application/pdf' } });
    const ok = await post(pdf);
    expect(ok.status).toBe(200);
    // The self-made certificate is no configured trust anchor (graderGrading.test.ts): valid, labelled a demo certificate.
    expect(await ok.json()).toMatchObject({ valid: true, trusted: false, demoCertificate: true, examNumber: world.candidates[1].examNumber });
    const tampered = Buffer.from(pdf);
    tampered[tampered.length - 300] ^= 0x01; // inside the signed bytes (the signature itself sits near the start)
    expect(await (await post(tampered)).json()).toMatchObject({ valid: false, problem: 'digest-mismatch' });
    const empty = await post(Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect((await empty.json()).type).toBe('urn:provesal:problem:no-file');
    const cand = await sessionCookie(t.deps.db, world.candidates[0]);
    expect((await post(pdf, cand)).status).toBe(403);
    const ministryUser = await buildUser(t.deps.db, 'ministry');
    expect((await post(pdf, await sessionCookie(t.deps.db, ministryUser))).status).toBe(200);
  });
});
