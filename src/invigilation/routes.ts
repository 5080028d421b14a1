import { Hono } from 'hono';
import type { z } from 'zod';
import { requireActor } from '../auth/middleware.ts';
import type { Actor, AppDeps, AppEnv } from '../http/context.ts';
import { idParam, jsonBody } from '../http/validate.ts';
import { endSittingForRoom, invigilatorActions as act, requireRoom, roomExtraTime, writeIncident } from './actions.ts';
import { assignedRooms, recentLockdownEvents, roomRoster } from './queries.ts';
import { candidateView } from './rosterView.ts';
import { absentInput, extraTimeInput, incidentInput, withReason } from './schema.ts';

/** The invigilators' actions (docs/rules.md §5): each needs a reason and is audited. */
export function invigilationRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/rooms', async (c) => {
    const actor = requireActor(c, 'invigilator');
    const rooms = await assignedRooms(deps.db, actor.userId);
    return c.json({
      rooms: rooms.map((r) => ({
        sittingId: r.sitting_id,
        roomId: r.room_id,
        room: r.room,
        school: r.school,
        subject: r.subject,
        startsAt: r.starts_at.toISOString(),
        durationMinutes: r.duration_minutes,
      })),
    });
  });

  app.get('/sittings/:sittingId/rooms/:roomId', async (c) => {
    const actor = requireActor(c, 'invigilator');
    const [sittingId, roomId] = [idParam(c, 'sittingId'), idParam(c, 'roomId')];
    await requireRoom(deps, actor, sittingId, roomId);
    const [roster, lockdown] = await Promise.all([roomRoster(deps.db, sittingId, roomId, deps.now()), recentLockdownEvents(deps.db, sittingId, roomId)]);
    const now = deps.now();
    return c.json({ serverTime: now.toISOString(), candidates: roster.map((r) => candidateView(r, now, lockdown)) });
  });

  /** One audited action on one registration: POST /registrations/:id/<path> with a zod-checked body. */
  function action<S extends z.ZodType>(path: string, schema: S, run: (actor: Actor, id: number, body: z.infer<S>) => Promise<unknown>) {
    app.post(`/registrations/:id/${path}`, async (c) => {
      const actor = requireActor(c, 'invigilator');
      const id = idParam(c);
      return c.json(await run(actor, id, await jsonBody(c, schema)));
    });
  }

  action('extra-time', extraTimeInput, (a, id, b) => act.extraTime(deps, a, id, b.minutes, b.reason));
  action('pause', withReason, (a, id, b) => act.pause(deps, a, id, b.reason));
  action('resume', withReason, (a, id, b) => act.resume(deps, a, id, b.reason));
  action('access-code', withReason, (a, id, b) => act.accessCode(deps, a, id, b.reason));
  action('device-switch', withReason, (a, id, b) => act.allowDeviceSwitch(deps, a, id, b.reason));
  action('simple-writing', withReason, (a, id, b) => act.allowSimpleWriting(deps, a, id, b.reason));
  action('absent', absentInput, (a, id, b) => act.setAttendance(deps, a, id, b.kind, b.reason));
  action('reopen', withReason, (a, id, b) => act.reopen(deps, a, id, b.reason));

  app.post('/sittings/:sittingId/rooms/:roomId/extra-time', async (c) => {
    const actor = requireActor(c, 'invigilator');
    const body = await jsonBody(c, extraTimeInput);
    return c.json(await roomExtraTime(deps, actor, idParam(c, 'sittingId'), idParam(c, 'roomId'), body.minutes, body.reason));
  });

  app.post('/sittings/:sittingId/rooms/:roomId/end', async (c) => {
    const actor = requireActor(c, 'invigilator');
    const body = await jsonBody(c, withReason);
    return c.json(await endSittingForRoom(deps, actor, idParam(c, 'sittingId'), idParam(c, 'roomId'), body.reason));
  });

  app.post('/sittings/:sittingId/rooms/:roomId/incidents', async (c) => {
    const actor = requireActor(c, 'invigilator');
    const body = await jsonBody(c, incidentInput);
    return c.json(await writeIncident(deps, actor, idParam(c, 'sittingId'), idParam(c, 'roomId'), body.note, body.registrationId));
  });
  return app;
}
