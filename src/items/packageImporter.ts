import { appendAudit } from '../audit/auditLog.ts';
import { withTransaction } from '../db/pool.ts';
import type { Actor, AppDeps } from '../http/context.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import type { PaperVault } from '../scheduling/paperVault.ts';
import { findSitting } from '../scheduling/queries.ts';
import { report, type CheckReport } from './check.ts';
import { DEFAULT_LIMITS, inspectPackage, type PackageLimits } from './packageReader.ts';
import { storeItemPackage } from './queries.ts';
import { planTest, scheduleOf } from './testPlan.ts';

const refusedPackage = (r: CheckReport) =>
  new AppError(
    422,
    'item-package-refused',
    `Pakken blev afvist: ${r.problems.length} fejl. Intet er gemt.`,
    `The package was refused: ${r.problems.length} problem(s). Nothing was stored.`,
    { problems: r.problems, report: r },
  );

const tooLarge = (r: CheckReport) =>
  new AppError(
    413,
    'item-package-too-large',
    'Pakken overskrider en størrelsesgrænse. Intet er gemt.',
    'The package exceeds a size limit. Nothing was stored.',
    { problems: r.problems, report: r },
  );

/**
 * Checks a QTI package and, only if it is clean, seals and stores it for the sitting (docs/rules.md §14): all or
 * nothing, and only before the start. Returns the check report (counts and the reachable score).
 */
export async function importItemPackage(
  deps: AppDeps,
  vault: PaperVault,
  actor: Actor,
  sittingId: number,
  zip: Uint8Array,
  limits: PackageLimits = DEFAULT_LIMITS,
): Promise<CheckReport> {
  const seen = inspectPackage(zip, 'package.zip', limits);
  const problems = [...seen.problems];
  const planned = problems.length ? null : planTest({ items: seen.items, test: seen.test });
  if (planned) problems.push(...planned.problems);
  const checked = report(seen.itemCount, seen.items, problems);
  if (problems.some((p) => p.limit)) throw tooLarge(checked);
  if (problems.length || !planned?.plan) throw refusedPackage(checked);
  const plan = planned.plan;
  const sealedPackage = vault.seal(Buffer.from(zip));
  await withTransaction(deps.db, async (tx) => {
    const s = await findSitting(tx, sittingId, true);
    if (!s) throw notFound('sitting');
    if (s.starts_at.getTime() <= deps.now().getTime())
      throw conflict('sitting-started', 'Prøven er begyndt og kan ikke længere ændres.', 'The sitting has started and can no longer be changed.');
    await storeItemPackage(tx, sittingId, sealedPackage, { itemCount: plan.items.size, parts: scheduleOf(plan), by: actor.userId });
    await appendAudit(tx, {
      actor,
      action: 'items.uploaded',
      subjectType: 'sitting',
      subjectId: sittingId,
      details: { sha256: sealedPackage.sha256, bytes: zip.byteLength, items: plan.items.size, maxScore: checked.maxScore },
    });
  });
  return checked;
}
