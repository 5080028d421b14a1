import { freezeAllIntoSubmissions } from '../attachments/queries.ts';
import { Pacer } from '../workers/pacer.ts';
import { appendAuditMany } from '../audit/auditLog.ts';
import { newAccessCode } from '../auth/tokens.ts';
import { withTransaction } from '../db/pool.ts';
import type { AppDeps } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { scoreTest } from '../items/itemScoring.ts';
import { listCorrections, storeTestScore } from '../items/queries.ts';
import { enqueuePdfJobs } from '../submissions/queue.ts';
import { loadStoredDocuments } from '../sync/queries.ts';
import { docFromStored } from '../sync/storedDocument.ts';
import { toReceipt } from './examView.ts';
import { announceAll, finalized, handInMany, LOCK_TIMEOUT, type Finalized, type HandInRequest, type HandInResult } from './handInFinalizer.ts';
import { lockRegistrationContexts, markAllHandedIn, nextSubmissionVersions } from './handInQueries.ts';
import { findCurrentSubmission, insertSubmissions, type NewSubmission } from './queries.ts';
import { freezeAnswer, handInRefusal, type FrozenAnswer } from './handInRules.ts';

/**
 * The automatic hand-in of a batch with one statement per step for the whole batch (docs/rules.md §4.7): the same
 * rules, freeze and receipt as handIn(), but the rows are locked, the answers loaded, the submissions, attachments,
 * PDF jobs and states written, and the audit appended a batch at a time. handInMany() made eleven round trips per
 * pupil, each waiting a turn of an event loop busy with the end of the exam (docs/performance.md).
 * A pupil refused by the rules (absent, extra time since) is that pupil's outcome alone. Should a statement fail,
 * nothing of the batch is kept and handInMany() does it again pupil by pupil, so one bad answer never blocks the rest.
 */
export async function handInSet(deps: AppDeps, reqs: HandInRequest[]): Promise<(HandInResult | Error)[]> {
  let outcomes: (Finalized | Error)[];
  try {
    for (const drain of new Set(reqs.map((r) => r.drain))) await drain?.();
    outcomes = await withTransaction(deps.db, (tx) => finalizeAll(tx, deps, reqs));
  } catch (err) {
    deps.log.warn({ err: { message: (err as Error).message }, batch: reqs.length }, 'batch hand-in failed; handing in one by one');
    return handInMany(deps, reqs);
  }
  return announceAll(deps, reqs, outcomes);
}

type Tx = Parameters<Parameters<typeof withTransaction>[1]>[0];

async function finalizeAll(tx: Tx, deps: AppDeps, reqs: HandInRequest[]): Promise<(Finalized | Error)[]> {
  await tx.query(LOCK_TIMEOUT);
  const contexts = await lockRegistrationContexts(
    tx,
    reqs.map((r) => r.registrationId),
  );
  const outcomes: (Finalized | Error | null)[] = reqs.map(() => null);
  const due: number[] = [];
  for (const [i, req] of reqs.entries()) {
    const r = contexts.get(req.registrationId);
    if (!r) {
      outcomes[i] = notFound('registration');
      continue;
    }
    // Handed in already (by the pupil, or another node's sweep): the first receipt stands.
    const existing = r.state === 'handed_in' ? await findCurrentSubmission(tx, r.id) : null;
    if (existing) outcomes[i] = { receipt: toReceipt(r, existing), created: false, room: r, audit: null };
    else outcomes[i] = handInRefusal(r, req.by, deps.now(), deps.config.ANSWER_GRACE_SECONDS);
    if (!outcomes[i]) due.push(i);
  }
  if (!due.length) return outcomes as (Finalized | Error)[];

  const ids = due.map((i) => reqs[i].registrationId);
  const stored = await loadStoredDocuments(tx, ids);
  const versions = await nextSubmissionVersions(tx, ids);
  const scores = new Map<number, ReturnType<typeof scoreTest>>();
  const corrections = new Map<number, Awaited<ReturnType<typeof listCorrections>>>();
  const answers: FrozenAnswer[] = [];
  const pace = new Pacer();
  for (const i of due) {
    const req = reqs[i];
    const r = contexts.get(req.registrationId)!;
    const test = req.items ? await req.items.open(r.sitting_id, true) : null;
    // Never freeze an empty document because loading failed: loadStoredDocuments throws, and the batch with it.
    const answer = stored.get(r.id)!;
    const doc = docFromStored(answer);
    answers.push(freezeAnswer(doc, test !== null));
    if (test) {
      if (!corrections.has(r.sitting_id)) corrections.set(r.sitting_id, await listCorrections(tx, r.sitting_id));
      scores.set(r.id, scoreTest(test.plan, corrections.get(r.sitting_id)!, doc));
    }
    doc.destroy();
    // Rebuilding and hashing here is main-thread work: pupils still typing in other sittings get a turn.
    await pace.tick();
  }
  const rows: NewSubmission[] = due.map((i, k) => ({
    registrationId: reqs[i].registrationId,
    version: versions.get(reqs[i].registrationId)!,
    ...answers[k],
    handedInBy: reqs[i].by,
    receiptCode: newAccessCode(),
  }));
  const submissions = await insertSubmissions(tx, rows);
  const frozen = await freezeAllIntoSubmissions(
    tx,
    rows.map((s) => ({ registrationId: s.registrationId, submissionId: Number(submissions.get(s.registrationId)!.id) })),
  );
  for (const [registrationId, score] of scores) await storeTestScore(tx, submissions.get(registrationId)!.id, score);
  await enqueuePdfJobs(
    tx,
    [...submissions.values()].map((s) => s.id),
  );
  await markAllHandedIn(
    tx,
    [...submissions.values()].map((s) => ({ registrationId: Number(s.registration_id), at: s.handed_in_at })),
  );
  for (const i of due) {
    const s = submissions.get(reqs[i].registrationId)!;
    outcomes[i] = finalized(contexts.get(reqs[i].registrationId)!, reqs[i], s, frozen.get(Number(s.id)) ?? []);
  }
  await appendAuditMany(
    tx,
    due.map((i) => (outcomes[i] as Finalized).audit!),
  );
  return outcomes as (Finalized | Error)[];
}
