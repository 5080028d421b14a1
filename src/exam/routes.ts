import { limitsFrom } from '../attachments/rules.ts';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireActor } from '../auth/middleware.ts';
import { mayWriteAnswer } from '../auth/permissions.ts';
import { announce } from '../events/announce.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { AppError, notFound } from '../http/errors.ts';
import { idParam, jsonBody } from '../http/validate.ts';
import { examView, toReceipt, windowOf } from './examView.ts';
import { handIn } from './handInFinalizer.ts';
import { findCurrentSubmission, findRegistrationContext, listCandidateRegistrations, markArrived } from './queries.ts';
import { phase } from './window.ts';
import { enforceLockdown } from '../lockdown/enforcement.ts';
import { itemTestOf } from '../items/partClock.ts';
import { findPartSchedule } from '../items/queries.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';
import type { RegistrationContext } from './queries.ts';

const handInSchema = z.object({ confirm: z.literal(true, { message: 'skal være true / must be true' }) });

/** The candidate's side of a sitting over HTTP; the answer itself travels over the websocket (src/sync). */
export function examRoutes(deps: AppDeps, drain: () => Promise<void>, items?: ItemTestReader) {
  const app = new Hono<AppEnv>();
  const grace = deps.config.ANSWER_GRACE_SECONDS;

  const ownRegistration = async (c: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(c, 'candidate');
    const r = await findRegistrationContext(deps.db, idParam(c));
    if (!r || !mayWriteAnswer(actor, r.candidate_user_id)) throw notFound('registration');
    await enforceLockdown(deps, c, r);
    return { actor, r };
  };

  app.get('/sittings', async (c) => {
    const actor = requireActor(c, 'candidate');
    const now = deps.now();
    const regs = await listCandidateRegistrations(deps.db, actor.userId, new Date(now.getTime() - 24 * 3_600_000));
    const sittings = await Promise.all(
      regs.map(async (r) => {
        await noteArrival(r.id, r.sitting_id, r.room_id, phase(windowOf(r), now), r.state);
        return view(r, now);
      }),
    );
    return c.json({ sittings });
  });

  app.get('/registrations/:id', async (c) => {
    const { r } = await ownRegistration(c);
    const now = deps.now();
    await noteArrival(r.id, r.sitting_id, r.room_id, phase(windowOf(r), now), r.state);
    return c.json(await view(r, now));
  });

  app.post('/registrations/:id/hand-in', async (c) => {
    const { actor, r } = await ownRegistration(c);
    await jsonBody(c, handInSchema);
    const { receipt } = await handIn(deps, { registrationId: r.id, by: 'candidate', actor, drain, items });
    return c.json(receipt);
  });

  app.get('/registrations/:id/receipt', async (c) => {
    const { r } = await ownRegistration(c);
    const s = await findCurrentSubmission(deps.db, r.id);
    if (!s) throw new AppError(404, 'no-receipt', 'Besvarelsen er ikke afleveret endnu.', 'The answer has not been handed in yet.');
    return c.json(toReceipt(r, s));
  });

  async function view(r: RegistrationContext, now: Date) {
    const receipt = r.state === 'handed_in' ? await findCurrentSubmission(deps.db, r.id) : null;
    const schedule = await findPartSchedule(deps.db, r.sitting_id);
    return examView(r, now, grace, receipt, schedule ? itemTestOf(schedule, windowOf(r), now) : null, limitsFrom(deps.config));
  }

  /** A pupil seen in the lobby is "in the lobby" for the invigilator (docs/rules.md §5). */
  async function noteArrival(registrationId: number, sittingId: number, roomId: number, p: string, state: string) {
    if (p !== 'lobby' || state !== 'registered') return;
    if (await markArrived(deps.db, registrationId, 'lobby', deps.now())) {
      await announce(deps.bus, { sittingId, roomId }, { type: 'candidate.state', registrationId, state: 'lobby', at: deps.now().toISOString() });
    }
  }
  return app;
}

/** The server clock (docs/rules.md §4.1): clients measure their offset against it. No sign-in needed. */
export function timeRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => {
    const now = deps.now();
    c.header('Cache-Control', 'no-store');
    return c.json({ now: now.toISOString(), epochMs: now.getTime() });
  });
  return app;
}
