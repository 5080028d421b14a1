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
import { conflict, forbidden, notFound } from '../http/errors.ts';
import { invigilatorAccess } from './permissions.ts';
import * as q from './queries.ts';
import * as rules from './rules.ts';

/**
 * The invigilators' actions (docs/rules.md §5). Each one: permission (permissions.ts), the registration locked, the
 * state rule (rules.ts), the change and its audit entry in one transaction; after commit the pupil's node is
 * told on channels.registration (sync re-reads and sends a `window` control) and the live rooms on the room
 * channel (they re-read the row).
 */

function requireAccess(actor: Actor, assigned: boolean, what: string): void {
  const access = invigilatorAccess(actor, assigned);
  if (access === 'wrong-role') throw forbidden('Kun rummets tilsynsførende kan dette.', "Only the room's invigilators may do this.");
  if (access === 'unknown') throw notFound(what);
}

/** The registration an invigilator acts on, locked; 404 unless it is in a room assigned to them. */
async function lockOwn(tx: pg.PoolClient, actor: Actor, registrationId: number): Promise<RegistrationContext> {
  requireAccess(actor, true, 'registration'); // the role first: other roles learn nothing about the id
  const r = await findRegistrationContext(tx, registrationId, true);
  requireAccess(actor, !!r && (await q.isAssigned(tx, actor.userId, r.sitting_id, r.room_id)), 'registration');
  return r!;
}

const stateOf = (r: RegistrationContext, now: Date): rules.RegistrationState => ({
  state: r.state,
  pausedAt: r.paused_at,
  extraMinutes: r.extra_minutes,
  startsAt: r.starts_at,
  endsAt: endsAt(windowOf(r), now),
  simpleWriting: r.simple_writing,
});

const check = (refusal: rules.Refusal | null) => {
  if (refusal) throw conflict(refusal.id, refusal.da, refusal.en);
};

type Ref = { id: number; sitting_id: number; room_id: number };

/** Tells the pupil (window control via the sync node holding their socket) and the live room. */
async function announceChange(deps: AppDeps, r: Ref, what: string): Promise<void> {
  await deps.bus.publish(channels.registration(r.id), { type: 'registration.changed', registrationId: r.id, what });
  await deps.bus.publish(channels.room(r.sitting_id, r.room_id), { type: 'candidate.changed', registrationId: r.id, what, at: deps.now().toISOString() });
}

type Outcome = Record<string, unknown>;
type Step = (tx: pg.PoolClient, r: RegistrationContext, now: Date) => Promise<Outcome | void>;

/** Runs one audited action on one registration. `details` go into the audit log (never the one-time code). */
async function act(deps: AppDeps, actor: Actor, registrationId: number, action: string, details: Outcome, step: Step): Promise<Outcome> {
  const now = deps.now();
  const { r, outcome } = await withTransaction(deps.db, async (tx) => {
    await tx.query("SET LOCAL lock_timeout = '5s'");
    const r = await lockOwn(tx, actor, registrationId);
    const outcome = (await step(tx, r, now)) ?? {};
    await appendAudit(tx, { actor, action: `invigilation.${action}`, subjectType: 'registration', subjectId: registrationId, details });
    return { r, outcome };
  });
  await announceChange(deps, r, action);
  return { ok: true, ...outcome };
}

const extraTimeStep =
  (minutes: number): Step =>
  async (tx, r, now) => {
    check(rules.extraTimeRefusal(stateOf(r, now), minutes));
    await q.addExtraMinutes(tx, r.id, minutes);
  };

export const invigilatorActions = {
  extraTime: (deps: AppDeps, actor: Actor, id: number, minutes: number, reason: string) =>
    act(deps, actor, id, 'extra_time', { minutes, reason }, extraTimeStep(minutes)),

  pause: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'pause', { reason }, async (tx, r, now) => {
      check(rules.pauseRefusal(stateOf(r, now), now));
      await q.setPaused(tx, id, now);
    }),

  resume: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'resume', { reason }, async (tx, r, now) => {
      check(rules.resumeRefusal(stateOf(r, now)));
      await q.resume(tx, id, now);
    }),

  accessCode: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'access_code', { reason }, async (tx, r, now) => {
      const s = stateOf(r, now);
      check(rules.accessCodeRefusal(s, now));
      // Shown once, stored hashed; valid until the candidate's end: it must not outlive the exam.
      const code = newAccessCode();
      await insertAccessCode(tx, { registrationId: id, codeHash: sha256(code), issuedBy: actor.userId, expiresAt: s.endsAt });
      return { code, expiresAt: s.endsAt.toISOString() };
    }),

  allowDeviceSwitch: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'device_switch_allowed', { reason }, async (tx, r, now) => {
      check(rules.deviceSwitchRefusal(stateOf(r, now), now));
      await q.allowDeviceSwitch(tx, id);
    }),

  /** Simple writing mode for a pupil whose reading or writing tool fails in the rich editor (docs/rules.md §13). */
  allowSimpleWriting: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'simple_writing_allowed', { reason }, async (tx, r, now) => {
      check(rules.simpleWritingRefusal(stateOf(r, now), now));
      await q.enableSimpleWriting(tx, id);
    }),

  /** Absent or ill ends the pupil's exam; present undoes that (a pupil who turned up late after all). */
  setAttendance: (deps: AppDeps, actor: Actor, id: number, kind: 'absent' | 'ill' | 'present', reason: string) =>
    act(deps, actor, id, `marked_${kind}`, { reason }, async (tx, r, now) => {
      if (kind === 'present') {
        check(rules.presentRefusal(stateOf(r, now), now));
        await q.markPresent(tx, id);
      } else {
        check(rules.absentRefusal(stateOf(r, now)));
        await q.markAbsent(tx, id, kind);
      }
    }),

  reopen: (deps: AppDeps, actor: Actor, id: number, reason: string) =>
    act(deps, actor, id, 'reopen', { reason }, async (tx, r, now) => {
      check(rules.reopenRefusal(stateOf(r, now), now));
      await q.reopenHandIn(tx, id, now);
    }),
};

/** Room-wide actions: the invigilator must be assigned to that (sitting, room). */
export async function requireRoom(deps: AppDeps, actor: Actor, sittingId: number, roomId: number): Promise<void> {
  requireAccess(actor, true, 'room');
  requireAccess(actor, await q.isAssigned(deps.db, actor.userId, sittingId, roomId), 'room');
}

/**
 * Extra time for everyone in the room still able to use it, in one transaction (all or nothing); candidates
 * who handed in, are absent or would pass the total limit are listed as skipped with the reason.
 */
export async function roomExtraTime(deps: AppDeps, actor: Actor, sittingId: number, roomId: number, minutes: number, reason: string) {
  await requireRoom(deps, actor, sittingId, roomId);
  const { given, skipped } = await withTransaction(deps.db, async (tx) => {
    await tx.query("SET LOCAL lock_timeout = '5s'");
    const given: Ref[] = [];
    const skipped: { registrationId: number; problem: string }[] = [];
    for (const id of await q.roomRegistrationIds(tx, sittingId, roomId)) {
      const r = (await findRegistrationContext(tx, id, true))!;
      const refusal = rules.extraTimeRefusal(stateOf(r, deps.now()), minutes);
      if (refusal) {
        skipped.push({ registrationId: id, problem: refusal.id });
        continue;
      }
      await q.addExtraMinutes(tx, id, minutes);
      await appendAudit(tx, { actor, action: 'invigilation.extra_time', subjectType: 'registration', subjectId: id, details: { minutes, reason, room: true } });
      given.push(r);
    }
    return { given, skipped };
  });
  for (const r of given) await announceChange(deps, r, 'extra_time');
  return { ok: true, candidates: given.length, skipped };
}

/**
 * Ends the sitting for the room now: every candidate not handed in or absent gets ended_at = now. The exam
 * helper's window caps each end at ended_at, so their sockets get a `window` control with phase 'ended', and
 * its AutoHandIn sweep (every node, every 2 s) hands in the 'lobby'/'writing' ones once ended_at + grace passed.
 */
export async function endSittingForRoom(deps: AppDeps, actor: Actor, sittingId: number, roomId: number, reason: string) {
  await requireRoom(deps, actor, sittingId, roomId);
  const now = deps.now();
  const startsAt = await q.sittingStart(deps.db, sittingId);
  check(rules.endRoomRefusal(startsAt ?? now, now));
  const ended = await withTransaction(deps.db, async (tx) => {
    const ids = await q.endRoom(tx, sittingId, roomId, now);
    await appendAudit(tx, {
      actor,
      action: 'invigilation.end_room',
      subjectType: 'room',
      subjectId: `${sittingId}:${roomId}`,
      details: { reason, registrations: ids },
    });
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
    await appendAudit(tx, {
      actor,
      action: 'invigilation.incident',
      subjectType: 'incident',
      subjectId: id,
      details: { sittingId, roomId, registrationId, note },
    });
    return id;
  });
  await deps.bus.publish(channels.room(sittingId, roomId), {
    type: 'incident',
    id,
    registrationId: registrationId ?? null,
    note,
    author: actor.displayName,
    at: deps.now().toISOString(),
  });
  return { ok: true, id };
}
