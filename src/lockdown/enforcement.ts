import type { Context } from 'hono';
import { appendAudit } from '../audit/auditLog.ts';
import { withTransaction } from '../db/pool.ts';
import { channels } from '../events/bus.ts';
import { windowOf } from '../exam/examView.ts';
import type { RegistrationContext } from '../exam/queries.ts';
import { phase } from '../exam/window.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import { checkLockdown } from './gate.ts';
import { insertLockdownEvents, setLocked } from './sebQueries.ts';

/**
 * A lockdown mismatch during the exam (docs/rules.md §7): everything saved stays saved, editing stops for this candidate
 * (locked until an invigilator unlocks), the event is stored and audited, and the invigilator is alerted at once.
 */
export async function lockForMismatch(deps: AppDeps, r: RegistrationContext, reason: string): Promise<void> {
  if (r.locked_reason) return;
  const at = deps.now();
  await withTransaction(deps.db, async (tx) => {
    await setLocked(tx, r.id, reason);
    await insertLockdownEvents(tx, r.id, [{ type: 'seb_mismatch', at }]);
    await appendAudit(tx, {
      actor: { userId: r.candidate_user_id, role: 'candidate' },
      action: 'lockdown.locked',
      subjectType: 'registration',
      subjectId: r.id,
      details: { reason },
    });
  });
  await deps.bus.publish(channels.room(r.sitting_id, r.room_id), {
    type: 'lockdown',
    registrationId: r.id,
    eventType: 'seb_mismatch',
    at: at.toISOString(),
    durationMs: null,
  });
  await deps.bus.publish(channels.room(r.sitting_id, r.room_id), { type: 'candidate.changed', registrationId: r.id, what: 'locked', at: at.toISOString() });
  await deps.bus.publish(channels.registration(r.id), { type: 'registration.locked', registrationId: r.id });
}

/** Candidate HTTP requests of an SEB sitting pass the same gate as the answer socket. */
export async function enforceLockdown(deps: AppDeps, c: Context<AppEnv>, r: RegistrationContext): Promise<void> {
  const check = await checkLockdown(deps, {
    sittingId: r.sitting_id,
    lockdownProfile: r.lockdown_profile,
    requestUrl: c.get('requestUrl'),
    headers: c.req.raw.headers,
  });
  if (check.ok) return;
  if (phase(windowOf(r), deps.now()) === 'writing') await lockForMismatch(deps, r, check.reason);
  throw new AppError(403, 'lockdown-refused', check.da, check.en);
}
