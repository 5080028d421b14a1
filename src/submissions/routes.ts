import { Hono, type Context } from 'hono';
import { appendAudit } from '../audit/auditLog.ts';
import { requireActor } from '../auth/middleware.ts';
import { withTransaction } from '../db/pool.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { idParam, jsonBody } from '../http/validate.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';
import { gradesCsv } from './grades.ts';
import { loadPdfInput } from './pdfInput.ts';
import type { PdfWorkJob } from './pdfWorker.ts';
import {
  assignedSitting,
  countReadyPdfs,
  gradersSittings,
  ownSubmission,
  sittingGrades,
  sittingSubmissions,
  submissionForGrader,
  upsertGrade,
} from './queries.ts';
import { copenhagenDanish } from '../scheduling/localTime.ts';
import { sittingProgress } from '../scheduling/sittingStatus.ts';
import { pdfBacklog } from './queue.ts';
import { gradeInput, parseGrade } from './schema.ts';
import { verifyPdf } from './verifier.ts';
import { sittingZipStream } from './zipStream.ts';

const pdfResponse = (pdf: Buffer, fileName: string) =>
  new Response(new Uint8Array(pdf), {
    headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${fileName}"`, 'content-length': String(pdf.length) },
  });

/** Grades are given to the whole sitting's answers: only once every pupil's time (and grace) is over. */
const gradingNotOpen = (opensAt: Date) =>
  conflict(
    'grading-not-open',
    `Bedømmelsen åbner, når prøven er afsluttet (${copenhagenDanish(opensAt)}).`,
    `Grading opens when the sitting has ended (${opensAt.toISOString()}).`,
    { opensAt: opensAt.toISOString() },
  );

const pdfPending = () =>
  conflict('pdf-pending', 'PDF’en er ved at blive lavet. Prøv igen om lidt.', 'The PDF is still being made. Try again shortly.', { retryAfterSeconds: 5 });

/**
 * Submissions: the graders' portal (their sittings only, by exam number), downloads (one PDF, a streamed
 * ZIP), grades + CSV, signature verification, the PDF backlog and a candidate's own PDF.
 * Every download and grade change is audited (docs/rules.md §8).
 */
export function submissionRoutes(
  deps: AppDeps,
  trust: () => { anchors: readonly string[]; demoCaPem: readonly string[] },
  itemTests?: { items: Pick<ItemTestReader, 'open'>; graderCopy: (job: PdfWorkJob) => Promise<Buffer> },
) {
  const app = new Hono<AppEnv>();
  const { db } = deps;

  /** Ministry (and /metrics): how far behind PDF rendering is; failed jobs are listed, never hidden. */
  app.get('/backlog', async (c) => {
    requireActor(c, 'ministry');
    return c.json(await pdfBacklog(db, deps.now()));
  });

  /** A candidate's own PDF; anyone else's registration is 404 whatever it is. */
  app.get('/mine/:registrationId/pdf', async (c) => {
    const actor = requireActor(c, 'candidate');
    const registrationId = idParam(c, 'registrationId');
    const own = await ownSubmission(db, actor.userId, registrationId);
    if (!own) throw notFound('submission');
    if (!own.pdf) throw pdfPending();
    await withTransaction(db, (tx) =>
      appendAudit(tx, { actor, action: 'submission.pdf_download', subjectType: 'submission', subjectId: own.id, details: { by: 'candidate', registrationId } }),
    );
    return pdfResponse(own.pdf, `${own.examNumber}.pdf`);
  });

  app.post('/verify', async (c) => {
    requireActor(c, 'grader', 'ministry');
    const body = Buffer.from(await c.req.arrayBuffer());
    if (!body.length) throw new AppError(400, 'no-file', 'Vælg en PDF-fil at kontrollere.', 'Choose a PDF file to verify.');
    const { anchors, demoCaPem } = trust();
    return c.json(verifyPdf(body, anchors, { demoCaPem }));
  });

  /** Whether grading is open for the sitting now, and from when (scheduling/sittingState.ts). */
  const grading = async (sittingId: number) => {
    const p = await sittingProgress(db, sittingId, deps.now(), deps.config.ANSWER_GRACE_SECONDS);
    return { gradingOpen: p?.state === 'ended', gradingOpensAt: p ? p.endsAt.toISOString() : null, state: p?.state ?? null };
  };

  app.get('/sittings', async (c) => {
    const actor = requireActor(c, 'grader');
    const sittings = await gradersSittings(db, actor.userId);
    return c.json({ sittings: await Promise.all(sittings.map(async (s) => ({ ...s, ...(await grading(s.id)) }))) });
  });

  const sittingOf = async (c: Context<AppEnv>) => {
    const actor = requireActor(c, 'grader');
    const sitting = await assignedSitting(db, actor.userId, idParam(c, 'sittingId'));
    if (!sitting) throw notFound('sitting');
    return { actor, sitting };
  };

  app.get('/sittings/:sittingId', async (c) => {
    const { sitting } = await sittingOf(c);
    return c.json({ sitting: { ...sitting, ...(await grading(sitting.id)) }, submissions: await sittingSubmissions(db, sitting.id) });
  });

  app.get('/sittings/:sittingId/pdfs.zip', async (c) => {
    const { actor, sitting } = await sittingOf(c);
    const count = await countReadyPdfs(db, sitting.id);
    await withTransaction(db, (tx) =>
      appendAudit(tx, { actor, action: 'submission.zip_download', subjectType: 'sitting', subjectId: sitting.id, details: { pdfs: count } }),
    );
    const stream = sittingZipStream(db, sitting.id, (err) => deps.log.error({ err, sitting: sitting.id }, 'ZIP stream failed'));
    return new Response(stream, {
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="besvarelser-${sitting.id}.zip"`,
      },
    });
  });

  app.get('/sittings/:sittingId/grades.csv', async (c) => {
    const { actor, sitting } = await sittingOf(c);
    const rows = await sittingGrades(db, sitting.id);
    await withTransaction(db, (tx) =>
      appendAudit(tx, { actor, action: 'grading.csv_export', subjectType: 'sitting', subjectId: sitting.id, details: { rows: rows.length } }),
    );
    return new Response(gradesCsv(rows), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="karakterer-${sitting.id}.csv"`,
      },
    });
  });

  app.get('/:submissionId/pdf', async (c) => {
    const actor = requireActor(c, 'grader');
    const sub = await submissionForGrader(db, actor.userId, idParam(c, 'submissionId'));
    if (!sub) throw notFound('submission');
    if (!sub.pdf) throw pdfPending();
    await withTransaction(db, (tx) =>
      appendAudit(tx, {
        actor,
        action: 'submission.pdf_download',
        subjectType: 'submission',
        subjectId: sub.id,
        details: { by: 'grader', sittingId: sub.sittingId, examNumber: sub.examNumber },
      }),
    );
    return pdfResponse(sub.pdf, `${sub.examNumber}.pdf`);
  });

  /** An item test's grader copy: scores and key as they stand now, signed on request; after the sitting ended only. */
  app.get('/:submissionId/grader.pdf', async (c) => {
    const actor = requireActor(c, 'grader');
    const sub = await submissionForGrader(db, actor.userId, idParam(c, 'submissionId'));
    if (!sub || !itemTests) throw notFound('submission');
    const progress = await sittingProgress(db, sub.sittingId, deps.now(), deps.config.ANSWER_GRACE_SECONDS);
    if (progress && progress.state !== 'ended') throw gradingNotOpen(progress.endsAt);
    const input = await loadPdfInput(db, sub.id, itemTests.items, 'grader');
    if (!input?.items) throw notFound('submission');
    const pdf = await itemTests.graderCopy({ input, signingTime: deps.now().toISOString() });
    await withTransaction(db, (tx) =>
      appendAudit(tx, {
        actor,
        action: 'submission.grader_pdf_download',
        subjectType: 'submission',
        subjectId: sub.id,
        details: { sittingId: sub.sittingId, examNumber: sub.examNumber },
      }),
    );
    return pdfResponse(pdf, `${sub.examNumber}-bedoemmer.pdf`);
  });

  app.put('/:submissionId/grade', async (c) => {
    const actor = requireActor(c, 'grader');
    const submissionId = idParam(c, 'submissionId');
    const body = await jsonBody(c, gradeInput);
    const grade = parseGrade(body.grade);
    const note = body.note?.trim() ? body.note.trim() : null;
    const sub = await submissionForGrader(db, actor.userId, submissionId);
    if (!sub) throw notFound('submission');
    const progress = await sittingProgress(db, sub.sittingId, deps.now(), deps.config.ANSWER_GRACE_SECONDS);
    if (progress && progress.state !== 'ended') throw gradingNotOpen(progress.endsAt);
    const previous = await withTransaction(db, async (tx) => {
      await tx.query("SET LOCAL lock_timeout = '5s'");
      const prev = await upsertGrade(tx, { registrationId: sub.registrationId, grade, note, userId: actor.userId, now: deps.now() });
      await appendAudit(tx, {
        actor,
        action: 'grading.grade_set',
        subjectType: 'registration',
        subjectId: sub.registrationId,
        details: { examNumber: sub.examNumber, grade, note, previous: prev },
      });
      return prev;
    });
    return c.json({ submissionId, registrationId: sub.registrationId, examNumber: sub.examNumber, grade, note, previous });
  });

  return app;
}
