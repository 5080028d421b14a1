import type pg from 'pg';
import { appendAudit } from '../audit/auditLog.ts';
import { insertAccessCode } from '../auth/queries.ts';
import { newAccessCode, sha256 } from '../auth/tokens.ts';
import { withTransaction } from '../db/pool.ts';
import { channels } from '../events/bus.ts';
import { windowOf } from '../exam/examView.ts';
import { findRegistrationContext, type RegistrationContext } from '../exam/queries.ts';
import { endsAt } from '../exam/window.ts';
import type { Actor, AppDeps } from '../http/context.ts';
import { AppError, conflict, forbidden, notFound } from '../http/errors.ts';
import * as q from './queries.ts';
import * as rules from './rules.ts';

/** The registration an invigilator acts on, locked; 404 unless it is in a room assigned to them. */
async function lockOwn(deps: AppDeps, tx: pg.PoolClient, actor: Actor, registrationId: number): Promise<RegistrationContext> {
  if (actor.role !== 'invigilator') throw forbidden('Kun tilsynsførende kan dette.', 'Only invigilators may do this.');
  const r = await findRegistrationContext(tx, registrationId, true);
  if (!r || !(await q.isAssigned(tx, actor.userId, r.sitting_id, r.room_id))) throw notFound('registration');
  return r;
}

const stateOf = (deps: AppDeps, r: RegistrationContext): rules.RegistrationState =>
  ({ state: r.state, pausedAt: r.paused_at, startsAt: r.starts_at, endsAt: endsAt(windowOf(r), deps.now()) });

const check = (refusal: rules.Refusal | null) => { if (refusal) throw conflict(refusal.id, refusal.da, refusal.en); };

/** Tells the pupil (window control via the sync node holding their socket) and the live room. */
async function announceChange(deps: AppDeps, r: { id: number; sitting_id: number; room_id: number }, what: string) {
  await deps.bus.publish(channels.registration(r.id), { type: 'registration.changed', registrationId: r.id, what });
  await deps.bus.publish(channels.room(r.sitting_id, r.room_id), { type: 'candidate.changed', registrationId: r.id, what, at: deps.now().toISOString() });
}

type Outcome = Record<string, unknown>;

/** Runs one audited action on one registration. */
async function act(deps: AppDeps, actor: Actor, registrationId: number, action: string, details: Record<string, unknown>,
  body: (tx: pg.PoolClient, r: RegistrationContext) => Promise<Outcome | void>): Promise<Outcome> {
  const { r, outcome } = await withTransaction(deps.db, async (tx) => {
    await tx.query("SET LOCAL lock_timeout = '5s'");
    const r = await lockOwn(deps, tx, actor, registrationId);
    const outcome = (await body(tx, r)) ?? {};
    await appendAudit(tx, { actor, action: `invigilation.${action}`, subjectType: 'registration', subjectId: registrationId, details });
    return { r, outcome };
  });
  await announceChange(deps, r, action);
  return { ok: true, ...outcome };
}

export const invigilatorActions = {
  extraTime: (deps: AppDeps, actor: Actor, id: number, minutes: number, reason: string) =>
    act(deps, actor, id, 'extra_time', { minutes, reason }, async (tx, r) => {
      check(rules.extraTimeRefusal(stateOf(deps, r)));
      await q.addExtraMinutes(tx, id, minutes);
    }),

  pause: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'pause', { reason }, async (tx, r) => {
      check(rules.pauseRefusal(stateOf(deps, r), deps.now()));
      await q.setPaused(tx, id, deps.now());
    }),

  resume: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'resume', { reason }, async (tx, r) => {
      check(rules.resumeRefusal(stateOf(deps, r)));
      await q.resume(tx, id, deps.now());
    }),

  accessCode: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'access_code', { reason }, async (tx, r) => {
      const code = newAccessCode();
      // Valid until the candidate's end: a forgotten password must not cost the exam, nor outlive it.
      const expiresAt = new Date(Math.max(endsAt(windowOf(r), deps.now()).getTime(), deps.now().getTime() + 15 * 60_000));
      await insertAccessCode(tx, { registrationId: id, codeHash: sha256(code), issuedBy: actor.userId, expiresAt });
      return { code, expiresAt: expiresAt.toISOString() };
    }),

  allowDeviceSwitch: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'device_switch_allowed', { reason }, async (tx) => { await q.allowDeviceSwitch(tx, id); }),

  markAbsent: (deps: AppDeps, actor: Actor, id: number, kind: 'absent' | 'ill', reason: string) =>
    act(deps, actor, id, `marked_${kind}`, { reason }, async (tx, r) => {
      check(rules.absentRefusal(stateOf(deps, r)));
      await q.markAbsent(tx, id, kind);
    }),

  reopen: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'reopen', { reason }, async (tx, r) => {
      check(rules.reopenRefusal(stateOf(deps, r), deps.now()));
      await q.reopenHandIn(tx, id);
    }),
};

/** Room-wide actions: the invigilator must be assigned to that (sitting, room). */
export async function requireRoom(deps: AppDeps, actor: Actor, sittingId: number, roomId: number): Promise<void> {
  if (actor.role !== 'invigilator') throw forbidden('Kun tilsynsførende kan dette.', 'Only invigilators may do this.');
  if (!(await q.isAssigned(deps.db, actor.userId, sittingId, roomId))) throw notFound('room');
}

export async function roomExtraTime(deps: AppDeps, actor: Actor, sittingId: number, roomId: number, minutes: number, reason: string) {
  await requireRoom(deps, actor, sittingId, roomId);
  const ids = await q.roomRegistrationIds(deps.db, sittingId, roomId);
  let given = 0;
  for (const id of ids) {
    try { await invigilatorActions.extraTime(deps, actor, id, minutes, reason); given++; } catch (err) {
      if (!(err instanceof AppError && err.status === 409)) throw err; // handed in or absent: nothing to extend
    }
  }
  return { ok: true, candidates: given };
}

export async function endSittingForRoom(deps: AppDeps, actor: Actor, sittingId: number, roomId: number, reason: string) {
  await requireRoom(deps, actor, sittingId, roomId);
  const ended = await withTransaction(deps.db, async (tx) => {
    const ids = await q.endRoom(tx, sittingId, roomId, deps.now());
    await appendAudit(tx, { actor, action: 'invigilation.end_room', subjectType: 'room', subjectId: `${sittingId}:${roomId}`, details: { reason, registrations: ids } });
    return ids;
  });
  for (const id of ended) await announceChange(deps, { id, sitting_id: sittingId, room_id: roomId }, 'end_room');
  return { ok: true, ended: ended.length };
}

export async function writeIncident(deps: AppDeps, actor: Actor, sittingId: number, roomId: number, note: string, registrationId?: number) {
  await requireRoom(deps, actor, sittingId, roomId);
  if (registrationId) {
    const r = await findRegistrationContext(deps.db, registrationId);
    if (!r || r.sitting_id !== sittingId || r.room_id !== roomId) throw notFound('registration');
  }
  const id = await withTransaction(deps.db, async (tx) => {
    const id = await q.insertIncident(tx, { sittingId, roomId, registrationId: registrationId ?? null, authorId: actor.userId, note });
    await appendAudit(tx, { actor, action: 'invigilation.incident', subjectType: 'incident', subjectId: id, details: { sittingId, roomId, registrationId, note } });
    return id;
  });
  await deps.bus.publish(channels.room(sittingId, roomId), { type: 'incident', id, registrationId: registrationId ?? null, note, at: deps.now().toISOString() });
  return { ok: true, id };
}
