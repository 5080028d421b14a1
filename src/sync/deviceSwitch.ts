import { appendAudit } from '../audit/auditLog.ts';
import { withTransaction } from '../db/pool.ts';
import { announce } from '../events/announce.ts';
import type { RegistrationContext } from '../exam/queries.ts';
import type { AppDeps } from '../http/context.ts';

/**
 * The invigilator's permission to switch devices is used once (docs/rules.md §4.5): taken here, in the same
 * transaction as its audit entry, so two devices racing for one permission cannot both use it. False when
 * another device used it first.
 */
export async function useDeviceSwitch(deps: AppDeps, r: RegistrationContext, deviceId: string | null): Promise<boolean> {
  const used = await withTransaction(deps.db, async (tx) => {
    const { rowCount } = await tx.query('UPDATE registrations SET device_switch_allowed = false WHERE id = $1 AND device_switch_allowed', [r.id]);
    if (!rowCount) return false;
    await appendAudit(tx, {
      actor: { userId: r.candidate_user_id, role: 'candidate' },
      action: 'exam.device_switched',
      subjectType: 'registration',
      subjectId: r.id,
      details: { deviceId },
    });
    return true;
  });
  if (!used) return false;
  await announce(
    deps.bus,
    { sittingId: r.sitting_id, roomId: r.room_id },
    { type: 'candidate.changed', registrationId: r.id, what: 'device_switched', at: deps.now().toISOString() },
  );
  return true;
}
