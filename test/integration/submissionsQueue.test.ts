import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfQueueRunner } from '../../src/submissions/pdfQueueRunner.ts';
import { claimPdfJobs, completePdfJob, enqueuePdfJob, pdfBacklog } from '../../src/submissions/queue.ts';
import { verifyPdf } from '../../src/submissions/verifier.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { until } from '../support/poll.ts';
import { answerState, buildSubmission, candidateName, h, p, testIdentity, TEST_SIGNING_DIR, text } from '../support/submissionFactories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
const runners: PdfQueueRunner[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'provesal-subq-'));
const runner = (o: Partial<ConstructorParameters<typeof PdfQueueRunner>[1]> = {}) => {
  const r = new PdfQueueRunner(t.deps, { identity: testIdentity(), workers: 1, backoffBaseMs: 0, ...o });
  runners.push(r);
  return r;
};
const job = async (submissionId: number) => (await t.deps.db.query('SELECT * FROM pdf_jobs WHERE submission_id = $1', [submissionId])).rows[0];
const submission = async (id: number) => (await t.deps.db.query('SELECT pdf, pdf_sha256, pdf_signed_at FROM submissions WHERE id = $1', [id])).rows[0];

beforeAll(async () => {
  t = await createTestApp({ config: { DATA_DIR: TEST_SIGNING_DIR } });
});
afterAll(async () => {
  for (const r of runners) await r.stop(100);
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PDF queue', () => {
  it('renders and signs a handed-in answer once: valid signature, pupil text with æøå, exam number, never the name', async () => {
    const w = await buildWorld(t.deps.db, { candidates: 1 });
    const c = w.candidates[0];
    const { submissionId, sha256 } = await buildSubmission(t.deps.db, {
      registrationId: c.registrationId,
      state: answerState(h(2, 'Indledning'), p(text('Blåbærsyltetøj på Ærø er en særlig oplevelse.'))),
    });
    await runner().drain();
    const row = await submission(submissionId);
    expect(row.pdf).not.toBeNull();
    expect((await job(submissionId)).state).toBe('done');
    const result = verifyPdf(row.pdf, testIdentity().trustedCaPem);
    expect(result).toMatchObject({ valid: true, trusted: true, answerSha256: sha256, examNumber: c.examNumber });
    if (spawnSync('sh', ['-c', 'command -v pdftotext']).status !== 0) return console.warn('pdftotext missing: text check SKIPPED');
    const file = path.join(dir, 'one.pdf');
    writeFileSync(file, row.pdf);
    const txt = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(txt).toContain('Blåbærsyltetøj på Ærø er en særlig oplevelse.');
    expect(txt).toContain(c.examNumber);
    expect(txt).not.toContain(await candidateName(t.deps.db, c.registrationId));
  });

  it('re-runs a job whose runner was killed (lease expired) and stores the PDF exactly once', async () => {
    const w = await buildWorld(t.deps.db, { candidates: 1 });
    const { submissionId } = await buildSubmission(t.deps.db, { registrationId: w.candidates[0].registrationId });
    // A runner claims the job and dies without finishing.
    // (A second ahead: PostgreSQL stamps run_after in microseconds, a JS Date of the same millisecond is earlier.)
    const [claimed] = await claimPdfJobs(t.deps.db, { runnerId: 'killed-runner', limit: 1, now: new Date(Date.now() + 1000), leaseMs: 60_000 });
    expect(claimed.submissionId).toBe(submissionId);
    // Within the lease nobody else takes it.
    await runner({ leaseMs: 60_000 }).drain();
    expect((await submission(submissionId)).pdf).toBeNull();
    // After the lease a live runner reclaims and finishes it.
    t.setNow(new Date(Date.now() + 61_000));
    try {
      await runner({ leaseMs: 60_000 }).drain();
    } finally {
      t.setNow(null);
    }
    const first = await submission(submissionId);
    expect(first.pdf).not.toBeNull();
    const j = await job(submissionId);
    expect(j).toMatchObject({ state: 'done', attempts: 2 });
    // The "killed" runner coming back late cannot overwrite it.
    const produced = await completePdfJob(t.deps.db, claimed, Buffer.from('%PDF-late'), 'f'.repeat(64), new Date());
    expect(produced).toBe(false);
    const after = await submission(submissionId);
    expect(after.pdf_sha256).toBe(first.pdf_sha256);
    expect(Buffer.compare(after.pdf, first.pdf)).toBe(0);
  });

  it('marks a job failed after max attempts, keeps the error and shows it in the ministry backlog', async () => {
    const w = await buildWorld(t.deps.db, { candidates: 1 });
    const { submissionId } = await buildSubmission(t.deps.db, { registrationId: w.candidates[0].registrationId });
    const broken = { ...testIdentity(), keyPem: '-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n' };
    await runner({ identity: broken, maxAttempts: 3 }).drain();
    expect(await job(submissionId)).toMatchObject({ state: 'failed', attempts: 3 });
    expect((await job(submissionId)).last_error).toBeTruthy();
    expect((await submission(submissionId)).pdf).toBeNull();
    const backlog = await pdfBacklog(t.deps.db);
    const {
      rows: [{ failed }],
    } = await t.deps.db.query<{ failed: number }>("SELECT count(*)::int AS failed FROM pdf_jobs WHERE state = 'failed'");
    expect(backlog.failed).toBe(failed);
    expect(backlog.failedJobs.map((f) => f.submissionId)).toContain(submissionId);

    const ministry = await sessionCookie(t.deps.db, w.ministry);
    const res = await t.request('/api/submissions/backlog', { cookie: ministry });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.failedJobs.map((f: { submissionId: number }) => f.submissionId)).toContain(submissionId);
    const grader = await sessionCookie(t.deps.db, w.grader);
    const refused = await t.request('/api/submissions/backlog', { cookie: grader });
    expect(refused.status).toBe(403);
    expect((await refused.json()).type).toBe('urn:provesal:problem:forbidden');
  });

  it('backs off after a failed attempt instead of retrying at once', async () => {
    const w = await buildWorld(t.deps.db, { candidates: 1 });
    const { submissionId } = await buildSubmission(t.deps.db, { registrationId: w.candidates[0].registrationId });
    const broken = { ...testIdentity(), keyPem: 'not a key' };
    await runner({ identity: broken, maxAttempts: 5, backoffBaseMs: 60_000 }).drain();
    const j = await job(submissionId);
    expect(j).toMatchObject({ state: 'pending', attempts: 1 });
    expect(new Date(j.run_after).getTime()).toBeGreaterThan(Date.now() + 50_000);
  });

  it('picks up a new hand-in through NOTIFY without waiting for the poll', async () => {
    const w = await buildWorld(t.deps.db, { candidates: 1 });
    const r = runner({ pollMs: 600_000 });
    await r.start();
    const { submissionId } = await buildSubmission(t.deps.db, { registrationId: w.candidates[0].registrationId, enqueue: false });
    await enqueuePdfJob(t.deps.db, submissionId);
    // The poll is ten minutes away: a PDF within 15 s can only have come through NOTIFY.
    await until(async () => (await submission(submissionId)).pdf, { what: 'the PDF', timeoutMs: 15_000, intervalMs: 50 });
    await r.stop();
  });

  it('claims nothing while receipts come first, and picks the queue up by the next poll once they are issued', async () => {
    const w = await buildWorld(t.deps.db, { candidates: 1 });
    let handingIn = true;
    const r = runner({ pollMs: 100, yieldTo: () => handingIn });
    await r.start();
    const { submissionId } = await buildSubmission(t.deps.db, { registrationId: w.candidates[0].registrationId });
    await new Promise((resolve) => setTimeout(resolve, 600)); // the NOTIFY and five polls have come and gone
    expect((await job(submissionId)).state).toBe('pending');
    handingIn = false;
    await until(async () => (await submission(submissionId)).pdf, { what: 'the PDF after the storm', timeoutMs: 15_000, intervalMs: 50 });
    await r.stop();
  });

  it('keeps claiming when new jobs are notified while every worker is busy (no stuck claim loop)', async () => {
    const w = await buildWorld(t.deps.db, { candidates: 4 });
    const r = runner({ pollMs: 600_000 });
    await r.start();
    const ids: number[] = [];
    for (const c of w.candidates) ids.push((await buildSubmission(t.deps.db, { registrationId: c.registrationId })).submissionId);
    const done = async () =>
      (await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM submissions WHERE id = ANY($1) AND pdf IS NOT NULL', [ids])).rows[0].n;
    await until(async () => (await done()) === ids.length, { what: `${ids.length} PDFs`, timeoutMs: 20_000, intervalMs: 50 });
    await r.stop();
  });
});

describe('candidate PDF download', () => {
  it('gives a candidate their own PDF, 409 pdf-pending before it exists, and 404 for anyone else’s', async () => {
    const w = await buildWorld(t.deps.db, { candidates: 2 });
    const [me, other] = w.candidates;
    await buildSubmission(t.deps.db, { registrationId: me.registrationId });
    await buildSubmission(t.deps.db, { registrationId: other.registrationId });
    const cookie = await sessionCookie(t.deps.db, me);

    const pending = await t.request(`/api/submissions/mine/${me.registrationId}/pdf`, { cookie });
    expect(pending.status).toBe(409);
    expect((await pending.json()).type).toBe('urn:provesal:problem:pdf-pending');

    await runner().drain();
    const own = await t.request(`/api/submissions/mine/${me.registrationId}/pdf`, { cookie });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('application/pdf');
    expect(own.headers.get('content-disposition')).toContain(`${me.examNumber}.pdf`);
    expect(verifyPdf(Buffer.from(await own.arrayBuffer())).valid).toBe(true);

    const theirs = await t.request(`/api/submissions/mine/${other.registrationId}/pdf`, { cookie });
    expect(theirs.status).toBe(404);
    expect((await theirs.json()).type).toBe('urn:provesal:problem:not-found');
    const nonsense = await t.request('/api/submissions/mine/99999999/pdf', { cookie });
    expect(nonsense.status).toBe(404);
    // Graders' download path is not open to candidates at all.
    const { rows } = await t.deps.db.query('SELECT id FROM submissions WHERE registration_id = $1', [other.registrationId]);
    const graderPath = await t.request(`/api/submissions/${rows[0].id}/pdf`, { cookie });
    expect(graderPath.status).toBe(403);
    const audit = await t.deps.db.query("SELECT count(*)::int AS n FROM audit_events WHERE action = 'submission.pdf_download' AND actor_id = $1", [me.userId]);
    expect(audit.rows[0].n).toBe(1);
  });
});
