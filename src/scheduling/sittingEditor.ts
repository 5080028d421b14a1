import { appendAudit } from '../audit/auditLog.ts';
import { withTransaction } from '../db/pool.ts';
import type { Actor, AppDeps } from '../http/context.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import { copenhagenLocal, copenhagenToUtc } from './localTime.ts';
import type { PaperVault } from './paperVault.ts';
import {
  cancelSitting,
  findSitting,
  insertGraderAssignment,
  insertSitting,
  isGrader,
  setSittingSchools,
  storePaper,
  updateSitting,
  type SittingRow,
  type SittingValues,
} from './queries.ts';
import { sittingInput, type SittingInput } from './schema.ts';
import type { SittingState } from './sittingState.ts';

type Tx = Parameters<Parameters<typeof withTransaction>[1]>[0];

const started = () => conflict('sitting-started', 'Prøven er begyndt og kan ikke længere ændres.', 'The sitting has started and can no longer be changed.');
const alreadyCancelled = () => conflict('sitting-cancelled', 'Prøven er allerede aflyst.', 'The sitting is already cancelled.');
const inPast = () => badRequest('start-in-past', 'Starttidspunktet ligger i fortiden.', 'The start time is in the past.');

/**
 * A sitting as the API shows it: the start both as an instant and as Copenhagen wall-clock date and time, which
 * papers are uploaded, and (where the caller worked it out, sittingStatus.ts) its state now.
 */
export const sittingJson = (s: SittingRow, state?: SittingState) => {
  const [startDate, startTime] = copenhagenLocal(s.starts_at).split(' ');
  return {
    id: s.id,
    subject: s.subject,
    level: s.level,
    startsAt: s.starts_at.toISOString(),
    startDate,
    startTime,
    durationMinutes: s.duration_minutes,
    lobbyOpensMinutes: s.lobby_opens_minutes,
    aids: s.aids,
    lockdownProfile: s.lockdown_profile,
    status: s.status,
    ...(state ? { state } : {}),
    paper: { pdf: s.has_pdf, text: s.has_text },
    schoolIds: s.school_ids,
  };
};

/** Copenhagen wall-clock input to stored values; a time that does not exist or exists twice is refused (docs/rules.md §2). */
function toValues(input: SittingInput, now: Date): SittingValues {
  const start = copenhagenToUtc(input.startDate, input.startTime);
  if (!start.ok) throw badRequest(`start-time-${start.reason}`, start.da, start.en, { field: 'startTime' });
  if (start.instant.getTime() <= now.getTime()) throw inPast();
  return {
    subject: input.subject,
    level: input.level,
    startsAt: start.instant,
    durationMinutes: input.durationMinutes,
    lobbyOpensMinutes: input.lobbyOpensMinutes,
    aids: input.aids,
    lockdownProfile: input.lockdownProfile,
  };
}

/** The sitting, row-locked for the caller's transaction, if it has not started (docs/rules.md §2: no edits once started). */
async function editable(deps: AppDeps, tx: Tx, id: number): Promise<SittingRow> {
  const s = await findSitting(tx, id, true);
  if (!s) throw notFound('sitting');
  if (s.starts_at.getTime() <= deps.now().getTime()) throw started();
  return s;
}

/** Schedules a new sitting for the given schools; returns its id. */
export async function createSitting(deps: AppDeps, actor: Actor, input: SittingInput): Promise<number> {
  const values = toValues(input, deps.now());
  return withTransaction(deps.db, async (tx) => {
    const id = await insertSitting(tx, values, actor.userId);
    await setSittingSchools(tx, id, input.schoolIds);
    await appendAudit(tx, { actor, action: 'sitting.created', subjectType: 'sitting', subjectId: id, details: { ...input } });
    return id;
  });
}

/** Applies a partial change to a sitting that has not started; the merged result is validated as a whole. */
export async function editSitting(deps: AppDeps, actor: Actor, id: number, patch: Partial<SittingInput>): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const s = await editable(deps, tx, id);
    const merged = parse(sittingInput, { ...sittingJson(s), ...patch });
    await updateSitting(tx, id, toValues(merged, deps.now()));
    if (patch.schoolIds) await setSittingSchools(tx, id, patch.schoolIds);
    await appendAudit(tx, { actor, action: 'sitting.updated', subjectType: 'sitting', subjectId: id, details: { ...patch } });
  });
}

/**
 * Cancels a sitting that has not started. The reason is required and goes into the audit log with the sitting's
 * name and start, so whoever reads the log later knows what was cancelled and why (docs/rules.md §2, §8).
 */
export async function cancelScheduledSitting(deps: AppDeps, actor: Actor, id: number, reason: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const s = await editable(deps, tx, id);
    if (s.status === 'cancelled') throw alreadyCancelled();
    await cancelSitting(tx, id);
    await appendAudit(tx, {
      actor,
      action: 'sitting.cancelled',
      subjectType: 'sitting',
      subjectId: id,
      details: { reason, subject: s.subject, level: s.level, startsAt: s.starts_at.toISOString() },
    });
  });
}

/** Assigns a grader to a sitting; an unknown sitting or a user who is not a grader is "not found". */
export async function assignGrader(deps: AppDeps, actor: Actor, id: number, userId: number): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    if (!(await findSitting(tx, id))) throw notFound('sitting');
    if (!(await isGrader(tx, userId))) throw notFound('grader');
    await insertGraderAssignment(tx, id, userId);
    await appendAudit(tx, { actor, action: 'sitting.grader_assigned', subjectType: 'sitting', subjectId: id, details: { userId } });
  });
}

/** Seals and stores a question paper (replacing one of the same kind) while the sitting has not started. */
export async function uploadPaper(deps: AppDeps, vault: PaperVault, actor: Actor, id: number, kind: 'pdf' | 'richtext', body: Buffer): Promise<void> {
  const sealedPaper = vault.seal(body);
  await withTransaction(deps.db, async (tx) => {
    await editable(deps, tx, id);
    await storePaper(tx, id, kind, sealedPaper, actor.userId);
    await appendAudit(tx, {
      actor,
      action: 'paper.uploaded',
      subjectType: 'sitting',
      subjectId: id,
      details: { kind, sha256: sealedPaper.sha256, bytes: body.length },
    });
  });
}
