import { freezeIntoSubmission, type HandedInAttachment } from '../attachments/queries.ts';
import type pg from 'pg';
import { appendAudit, appendAuditMany, type AuditInput } from '../audit/auditLog.ts';
import { newAccessCode } from '../auth/tokens.ts';
import { withTransaction } from '../db/pool.ts';
import { announce } from '../events/announce.ts';
import { channels } from '../events/bus.ts';
import type { Actor, AppDeps } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { enqueuePdfJob } from '../submissions/queue.ts';
import { loadStoredDocument } from '../sync/queries.ts';
import { docFromStored } from '../sync/storedDocument.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';
import { scoreTest } from '../items/itemScoring.ts';
import { listCorrections, storeTestScore } from '../items/queries.ts';
import { toReceipt, type Receipt } from './examView.ts';
import { freezeAnswer, handInRefusal } from './handInRules.ts';
import {
  findCurrentSubmission,
  findRegistrationContext,
  insertSubmission,
  markHandedIn,
  nextSubmissionVersion,
  type ReceiptRow,
  type RegistrationContext,
} from './queries.ts';

export interface HandInRequest {
  registrationId: number;
  by: 'candidate' | 'auto' | 'invigilator';
  actor: Pick<Actor, 'userId' | 'role'> | null;
  /** Flushes this node's pending answer updates first, so the frozen answer holds every acknowledged edit. */
  drain?: () => Promise<void>;
  /** Opens the sitting's item test, if it is one: its responses are hashed and scored with the answer. */
  items?: Pick<ItemTestReader, 'open'>;
}

/**
 * Hand-in (docs/rules.md §4.7): freeze the document as stored in PostgreSQL, hash its plain text, issue the receipt and
 * queue the signed PDF, all in one transaction with the registration row locked — so a pupil's click and the
 * automatic hand-in at the end cannot both happen. A second hand-in returns the first receipt.
 */
export async function handIn(deps: AppDeps, req: HandInRequest): Promise<HandInResult> {
  await req.drain?.();
  const result = await withTransaction(deps.db, async (tx) => {
    await tx.query(LOCK_TIMEOUT);
    const f = await finalizeIn(tx, deps, req);
    if (f.audit) await appendAudit(tx, f.audit);
    return f;
  });
  if (result.created) await announceHandIn(deps, req.registrationId, result);
  return { receipt: result.receipt, created: result.created };
}

/**
 * Many hand-ins in ONE transaction (the automatic hand-in at the end of an exam): each pupil's part is exactly
 * handIn's, inside its own savepoint, so one pupil's refusal (absent, extra time since, a lock held too long) is
 * that pupil's alone; the audit entries are appended together and the batch commits once. One transaction per pupil
 * took the audit chain's lock and a commit each, one pupil after the other (docs/performance.md). Rows are locked in
 * registration order, so two batches never wait for each other in a circle. Returns each request's outcome, in order.
 */
export async function handInMany(deps: AppDeps, reqs: HandInRequest[]): Promise<(HandInResult | Error)[]> {
  for (const drain of new Set(reqs.map((r) => r.drain))) await drain?.();
  const order = reqs.map((_, i) => i).sort((a, b) => reqs[a].registrationId - reqs[b].registrationId);
  const outcomes: (Finalized | Error)[] = new Array(reqs.length);
  await withTransaction(deps.db, async (tx) => {
    await tx.query(LOCK_TIMEOUT);
    for (const i of order) {
      await tx.query('SAVEPOINT hand_in');
      try {
        outcomes[i] = await finalizeIn(tx, deps, reqs[i]);
        await tx.query('RELEASE SAVEPOINT hand_in');
      } catch (err) {
        await tx.query('ROLLBACK TO SAVEPOINT hand_in');
        outcomes[i] = err as Error;
      }
    }
    await appendAuditMany(
      tx,
      order.flatMap((i) => (outcomes[i] instanceof Error ? [] : ((outcomes[i] as Finalized).audit ?? []))),
    );
  });
  return announceAll(deps, reqs, outcomes);
}

/** After a batch committed: announces each new hand-in and returns each request's outcome, in order. */
export async function announceAll(deps: AppDeps, reqs: HandInRequest[], outcomes: (Finalized | Error)[]): Promise<(HandInResult | Error)[]> {
  for (const [i, o] of outcomes.entries()) {
    if (o instanceof Error || !o.created) continue;
    // Committed: a bus failure now must not turn the others' receipts into errors (the room catches up on reload).
    await announceHandIn(deps, reqs[i].registrationId, o).catch((err: Error) =>
      deps.log.warn({ err: { message: err.message }, registrationId: reqs[i].registrationId }, 'hand-in not announced'),
    );
  }
  return outcomes.map((o) => (o instanceof Error ? o : { receipt: o.receipt, created: o.created }));
}

export interface HandInResult {
  receipt: Receipt;
  created: boolean;
}

/** A hand-in done inside a transaction but for its audit entry (appended by the caller) and its announcements. */
export interface Finalized extends HandInResult {
  room: RegistrationContext;
  audit: AuditInput | null;
}

export const LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s'";

async function finalizeIn(tx: pg.PoolClient, deps: AppDeps, req: HandInRequest): Promise<Finalized> {
  const r = await findRegistrationContext(tx, req.registrationId, true);
  if (!r) throw notFound('registration');
  if (r.state === 'handed_in') {
    const existing = await findCurrentSubmission(tx, r.id);
    if (existing) return { receipt: toReceipt(r, existing), created: false, room: r, audit: null };
  }
  const refusal = handInRefusal(r, req.by, deps.now(), deps.config.ANSWER_GRACE_SECONDS);
  if (refusal) throw refusal;
  // Never freeze an empty document because loading failed: an error here aborts the hand-in.
  const doc = docFromStored(await loadStoredDocument(tx, r.id));
  const test = req.items ? await req.items.open(r.sitting_id, true) : null;
  const submission = await insertSubmission(tx, {
    registrationId: r.id,
    version: await nextSubmissionVersion(tx, r.id),
    ...freezeAnswer(doc, test !== null),
    handedInBy: req.by,
    receiptCode: newAccessCode(),
  });
  // Finished attachments go with the answer; an upload still arriving does not (docs/rules.md §15.9).
  const attachments = await freezeIntoSubmission(tx, r.id, submission.id);
  if (test) await storeTestScore(tx, submission.id, scoreTest(test.plan, await listCorrections(tx, r.sitting_id), doc));
  doc.destroy();
  await enqueuePdfJob(tx, submission.id);
  await markHandedIn(tx, r.id, submission.handed_in_at);
  return finalized(r, req, submission, attachments);
}

/** The outcome of one pupil's new submission: the receipt and the audit entry that records it. */
export function finalized(
  r: RegistrationContext,
  req: HandInRequest,
  submission: Omit<ReceiptRow, 'attachments'>,
  attachments: HandedInAttachment[],
): Finalized {
  const audit: AuditInput = {
    actor: req.actor,
    action: 'exam.hand_in',
    subjectType: 'registration',
    subjectId: r.id,
    details: {
      by: req.by,
      version: submission.version,
      sha256: submission.text_sha256,
      words: submission.word_count,
      receiptCode: submission.receipt_code,
      ...(attachments.length ? { attachments: attachments.map((a) => ({ id: a.id, sha256: a.sha256 })) } : {}),
    },
  };
  const listed = attachments.map(({ id, name, size, sha256 }) => ({ id, name, size, sha256 }));
  return { receipt: toReceipt(r, { ...submission, attachments: listed }), created: true, room: r, audit };
}

async function announceHandIn(deps: AppDeps, registrationId: number, result: Finalized): Promise<void> {
  const at = deps.now().toISOString();
  // The room hears "handed in" before the pupil's sockets close, so the disconnect that follows is no alarm.
  await announce(
    deps.bus,
    { sittingId: result.room.sitting_id, roomId: result.room.room_id },
    { type: 'candidate.state', registrationId, state: 'handed_in', at, words: result.receipt.wordCount },
  );
  await deps.bus.publish(channels.registration(registrationId), { type: 'registration.handed_in', registrationId, receipt: result.receipt });
}
