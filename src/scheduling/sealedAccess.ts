import type { Context } from 'hono';
import { requireActor } from '../auth/middleware.ts';
import { mayReadPaper } from '../auth/permissions.ts';
import type { Actor, AppDeps, AppEnv } from '../http/context.ts';
import { AppError, notFound } from '../http/errors.ts';
import { idParam } from '../http/validate.ts';
import { checkLockdown } from '../lockdown/gate.ts';
import { findSitting, sittingRelation, type SittingRow } from './queries.ts';

export const sealed = () =>
  new AppError(403, 'paper-sealed', 'Opgavesættet er forseglet indtil prøvens start.', 'The question paper is sealed until the start of the sitting.');

/**
 * Who may open a sitting's sealed content — its question paper or its item package (docs/rules.md §1, §2, §14):
 * the relation first (to a caller with none the sitting does not exist, so "sealed", which confirms it and its
 * start, is only for those who will be able to read it at the start), then the start (the ministry always), then
 * the lockdown gate for pupils.
 */
export async function admitToSealed(deps: AppDeps, c: Context<AppEnv>): Promise<{ s: SittingRow; actor: Actor; now: Date }> {
  const actor = requireActor(c);
  const s = await findSitting(deps.db, idParam(c));
  if (!s || s.status === 'cancelled') throw notFound('sitting');
  const now = deps.now();
  const relation = await sittingRelation(deps.db, s.id, actor.userId, actor.role, actor.schoolId);
  const related = actor.role === 'ministry' || (actor.role === 'candidate' ? relation.registeredCandidate : relation.sittingStaff);
  if (!related) throw notFound('sitting');
  if (!mayReadPaper(actor, { startsAt: s.starts_at, now, ...relation })) throw sealed();
  if (actor.role === 'candidate') {
    const check = await checkLockdown(deps, {
      sittingId: s.id,
      lockdownProfile: s.lockdown_profile as 'seb_required',
      requestUrl: c.get('requestUrl'),
      headers: c.req.raw.headers,
    });
    if (!check.ok) throw new AppError(403, 'lockdown-refused', check.da, check.en);
  }
  return { s, actor, now };
}
