import { Hono } from 'hono';
import { appendAudit } from '../audit/auditLog.ts';
import { requireActor } from '../auth/middleware.ts';
import { withTransaction } from '../db/pool.ts';
import { channels } from '../events/bus.ts';
import { findRegistrationContext } from '../exam/queries.ts';
import { isAssigned } from '../invigilation/queries.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { conflict, notFound } from '../http/errors.ts';
import { idParam, jsonBody } from '../http/validate.ts';
import { sittingRelation } from '../scheduling/queries.ts';
import { lockdownEventsInput, unlockInput } from './schema.ts';
import { insertLockdownEvents, setLocked } from './sebQueries.ts';
import { sittingConfig } from './sittingConfig.ts';

/** Safe Exam Browser files for staff, lockdown events from pupils' browsers, and unlocking (docs/rules.md §7). */
export function lockdownRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  const staffSitting = async (c: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(c, 'ministry', 'school_admin', 'invigilator');
    const id = idParam(c);
    const { rows } = await deps.db.query('SELECT 1 FROM sittings WHERE id = $1', [id]);
    if (!rows.length) throw notFound('sitting');
    if (actor.role !== 'ministry' && !(await sittingRelation(deps.db, id, actor.userId, actor.role, actor.schoolId)).sittingStaff) throw notFound('sitting');
    return { actor, id, config: await sittingConfig(deps, id) };
  };

  app.get('/sittings/:id/config.seb', async (c) => {
    const { actor, id, config } = await staffSitting(c);
    await withTransaction(deps.db, (tx) => appendAudit(tx, { actor, action: 'lockdown.seb_downloaded', subjectType: 'sitting', subjectId: id }));
    return c.body(config.document, 200, { 'content-type': 'application/seb', 'content-disposition': `attachment; filename="provesal-${id}.seb"` });
  });

  app.get('/sittings/:id/config-key', async (c) => {
    const { config } = await staffSitting(c);
    return c.json({ configKey: config.key, quitPassword: config.quitPassword });
  });

  app.post('/events', async (c) => {
    const actor = requireActor(c, 'candidate');
    const input = await jsonBody(c, lockdownEventsInput);
    const r = await findRegistrationContext(deps.db, input.registrationId);
    if (!r || r.candidate_user_id !== actor.userId) throw notFound('registration');
    if (r.state === 'handed_in') throw conflict('handed-in', 'Besvarelsen er afleveret.', 'The answer is handed in.');
    // The server's clock times the event (docs/rules.md §4.1: a wrong laptop clock changes nothing); a batch
    // shares its receive time. The browser's claim is kept apart as client_at.
    const receivedAt = deps.now();
    const events = input.events.map((e) => ({
      type: e.type,
      at: receivedAt,
      clientAt: storableClientTime(e.at),
      durationMs: e.durationMs,
      details: e.details,
    }));
    await withTransaction(deps.db, async (tx) => {
      await insertLockdownEvents(tx, r.id, events);
      // One audit entry per batch: lockdown events are audit-relevant (docs/rules.md §8) but arrive in bursts.
      await appendAudit(tx, {
        actor,
        action: 'lockdown.events',
        subjectType: 'registration',
        subjectId: r.id,
        details: { events: events.map((e) => ({ type: e.type, at: e.at.toISOString(), clientAt: e.clientAt, durationMs: e.durationMs })) },
      });
    });
    for (const e of events) {
      await deps.bus.publish(channels.room(r.sitting_id, r.room_id), {
        type: 'lockdown',
        registrationId: r.id,
        eventType: e.type,
        at: e.at.toISOString(),
        durationMs: e.durationMs ?? null,
      });
    }
    return c.json({ ok: true, stored: events.length });
  });

  app.post('/registrations/:id/unlock', async (c) => {
    const actor = requireActor(c, 'invigilator');
    const { reason } = await jsonBody(c, unlockInput);
    const r = await findRegistrationContext(deps.db, idParam(c));
    if (!r || !(await isAssigned(deps.db, actor.userId, r.sitting_id, r.room_id))) throw notFound('registration');
    await withTransaction(deps.db, async (tx) => {
      await setLocked(tx, r.id, null);
      await appendAudit(tx, { actor, action: 'lockdown.unlocked', subjectType: 'registration', subjectId: r.id, details: { reason } });
    });
    await deps.bus.publish(channels.registration(r.id), { type: 'registration.unlocked', registrationId: r.id });
    await deps.bus.publish(channels.room(r.sitting_id, r.room_id), {
      type: 'candidate.changed',
      registrationId: r.id,
      what: 'unlocked',
      at: deps.now().toISOString(),
    });
    return c.json({ ok: true });
  });
  return app;
}

/** The browser's claimed time if PostgreSQL can hold it (ISO allows year 0000, timestamptz does not); else none. */
function storableClientTime(at: string | undefined): string | null {
  if (!at) return null;
  const year = new Date(at).getUTCFullYear();
  return year >= 1 && year <= 9999 ? at : null;
}
