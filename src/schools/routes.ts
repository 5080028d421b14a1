import { Hono, type Context } from 'hono';
import { appendAudit } from '../audit/auditLog.ts';
import { requireActor } from '../auth/middleware.ts';
import { mayAdministerSchool } from '../auth/permissions.ts';
import { withTransaction } from '../db/pool.ts';
import { channels } from '../events/bus.ts';
import type { Actor, AppDeps, AppEnv } from '../http/context.ts';
import { badRequest, conflict, notFound, refused } from '../http/errors.ts';
import { findSitting } from '../scheduling/queries.ts';
import { statesOf } from '../scheduling/sittingStatus.ts';
import { accommodationsRefusal, registrationRefusal } from './rules.ts';
import { revokeUserSessions } from '../auth/queries.ts';
import { idParam, jsonBody, parse } from '../http/validate.ts';
import { issueAccessCodeSheet } from './accessCodeSheet.ts';
import { ACCESS_CODE_SHEET_CSP, accessCodeSheetPage } from './accessCodeSheetPage.ts';
import { importCandidates } from './candidateImporter.ts';
import * as q from './queries.ts';
import { accessCodeQuery, accommodationsInput, invigilatorAssignment, passwordInput, registrationInput, roomInput, staffInput } from './schema.ts';

/** School administration (docs/rules.md §3): everything is scoped to the admin's own school; other schools' ids are 404. */
export function schoolRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const admin = (c: Context<AppEnv>): Actor & { schoolId: number } => {
    const actor = requireActor(c, 'school_admin');
    if (actor.schoolId === null || !mayAdministerSchool(actor, actor.schoolId)) throw notFound('school');
    return actor as Actor & { schoolId: number };
  };
  const audited = <T>(
    actor: Actor,
    action: string,
    subject: [string, string | number],
    details: Record<string, unknown>,
    fn: (tx: Parameters<Parameters<typeof withTransaction>[1]>[0]) => Promise<T>,
  ) =>
    withTransaction(deps.db, async (tx) => {
      const out = await fn(tx);
      await appendAudit(tx, { actor, action: `schools.${action}`, subjectType: subject[0], subjectId: subject[1], details });
      return out;
    });

  app.get('/rooms', async (c) => c.json({ rooms: await q.listRooms(deps.db, admin(c).schoolId) }));

  app.post('/rooms', async (c) => {
    const actor = admin(c);
    const { name } = await jsonBody(c, roomInput);
    const id = await audited(actor, 'room_created', ['school', actor.schoolId], { name }, (tx) => q.insertRoom(tx, actor.schoolId, name));
    if (!id) throw conflict('room-exists', `Lokalet "${name}" findes allerede.`, `The room "${name}" already exists.`);
    return c.json({ id, name }, 201);
  });

  /** The state of the school's sittings now (scheduling/sittingState.ts), by id. */
  const statesNow = async (ids: number[]) => {
    const sittings = (await Promise.all(ids.map((id) => findSitting(deps.db, id)))).filter((s) => s !== null);
    return statesOf(deps.db, sittings, deps.now(), deps.config.ANSWER_GRACE_SECONDS);
  };

  app.get('/sittings', async (c) => {
    const rows = await q.schoolSittings(deps.db, admin(c).schoolId);
    const states = await statesNow(rows.map((s) => s.id));
    return c.json({
      sittings: rows.map((s) => ({
        id: s.id,
        subject: s.subject,
        level: s.level,
        startsAt: s.starts_at.toISOString(),
        durationMinutes: s.duration_minutes,
        registered: s.registered,
        state: states.get(s.id),
      })),
    });
  });

  app.get('/candidates', async (c) => c.json({ candidates: await q.listCandidates(deps.db, admin(c).schoolId) }));

  app.post('/candidates/import', async (c) => {
    const actor = admin(c);
    const text = await c.req.text();
    const report = await importCandidates(deps, actor, actor.schoolId, text);
    if ('fileError' in report) throw badRequest('bad-csv', report.fileError.da, report.fileError.en);
    return c.json(report);
  });

  app.post('/candidates/:id/password', async (c) => {
    const actor = admin(c);
    const { password } = await jsonBody(c, passwordInput);
    const userId = await q.candidateUser(deps.db, idParam(c), actor.schoolId);
    if (!userId) throw notFound('candidate');
    const hash = await deps.passwords.hash(password);
    await audited(actor, 'candidate_password_set', ['user', userId], {}, async (tx) => {
      await q.setPasswordHash(tx, userId, hash);
      // A reset password ends every session of the pupil; open sockets close within seconds (auth/sessionWatch.ts).
      await revokeUserSessions(tx, userId);
    });
    return c.json({ ok: true });
  });

  app.post('/staff', async (c) => {
    const actor = admin(c);
    const s = await jsonBody(c, staffInput);
    const hash = await deps.passwords.hash(s.password);
    const id = await audited(actor, 'invigilator_created', ['school', actor.schoolId], { username: s.username }, (tx) =>
      q.insertInvigilator(tx, actor.schoolId, s, hash),
    );
    if (!id) throw conflict('username-taken', 'Brugernavnet er optaget.', 'The username is taken.');
    return c.json({ id, username: s.username }, 201);
  });

  app.post('/registrations', async (c) => {
    const actor = admin(c);
    const input = await jsonBody(c, registrationInput);
    if (!(await q.roomOfSchool(deps.db, input.roomId, actor.schoolId)) || !(await q.schoolTakesPart(deps.db, input.sittingId, actor.schoolId)))
      throw notFound('room or sitting');
    const state = (await statesNow([input.sittingId])).get(input.sittingId) ?? 'cancelled';
    const refusal = registrationRefusal(state, input.confirmStarted);
    if (refusal) throw refused(refusal);
    const rows = await audited(
      actor,
      'registered',
      ['sitting', input.sittingId],
      { roomId: input.roomId, className: input.className, count: input.candidateIds?.length, ...(state === 'running' ? { afterStart: true } : {}) },
      (tx) => q.registerCandidates(tx, input.sittingId, input.roomId, actor.schoolId, input.candidateIds ?? null, input.className ?? null),
    );
    return c.json({ registered: rows.map((r) => ({ registrationId: r.id, candidateId: r.candidate_id, examNumber: r.exam_number })) });
  });

  app.patch('/registrations/:id/accommodations', async (c) => {
    const actor = admin(c);
    const input = await jsonBody(c, accommodationsInput);
    const r = await q.registrationOfSchool(deps.db, idParam(c), actor.schoolId);
    if (!r) throw notFound('registration');
    const refusal = accommodationsRefusal(r.starts_at, deps.now());
    if (refusal) throw refused(refusal);
    await audited(actor, 'accommodations_set', ['registration', r.id], input, (tx) => q.setAccommodations(tx, r.id, input));
    await deps.bus.publish(channels.registration(r.id), { type: 'registration.changed', registrationId: r.id, what: 'accommodations' });
    return c.json({ ok: true });
  });

  app.post('/invigilator-assignments', async (c) => {
    const actor = admin(c);
    const a = await jsonBody(c, invigilatorAssignment);
    if (
      !(await q.roomOfSchool(deps.db, a.roomId, actor.schoolId)) ||
      !(await q.schoolTakesPart(deps.db, a.sittingId, actor.schoolId)) ||
      !(await q.userOfSchool(deps.db, a.userId, actor.schoolId, 'invigilator'))
    )
      throw notFound('room, sitting or invigilator');
    await audited(actor, 'invigilator_assigned', ['room', a.roomId], a, (tx) => q.insertInvigilatorAssignment(tx, a));
    return c.json({ ok: true });
  });

  /** A printable sheet of fresh one-time codes for a room (docs/rules.md §3); issuing is audited, codes expire with the pupil's end. */
  app.get('/rooms/:roomId/access-codes', async (c) => {
    const actor = admin(c);
    const roomId = idParam(c, 'roomId');
    const sittingId = parse(accessCodeQuery, c.req.query('sittingId'));
    if (!(await q.roomOfSchool(deps.db, roomId, actor.schoolId)) || !(await q.schoolTakesPart(deps.db, sittingId, actor.schoolId)))
      throw notFound('room or sitting');
    const s = (await findSitting(deps.db, sittingId))!;
    const sitting = { id: s.id, startsAt: s.starts_at, durationMinutes: s.duration_minutes };
    const sheet = await audited(actor, 'access_codes_issued', ['room', roomId], { sittingId }, (tx) => issueAccessCodeSheet(tx, sitting, roomId, actor.userId));
    if (c.req.query('format') !== 'html') {
      const codes = sheet.codes.map((x) => ({ ...x, validUntil: x.validUntil.toISOString() }));
      return c.json({ expiresAt: sheet.expiresAt.toISOString(), codes });
    }
    return c.html(accessCodeSheetPage(sheet), 200, { 'Content-Security-Policy': ACCESS_CODE_SHEET_CSP });
  });
  return app;
}
