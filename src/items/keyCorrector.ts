import * as Y from 'yjs';
import { appendAudit } from '../audit/auditLog.ts';
import { withTransaction, type Db } from '../db/pool.ts';
import type { Actor } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import type { ItemTestReader } from './itemTestReader.ts';
import { scoreTest } from './itemScoring.ts';
import { correctionProblem, type KeyCorrection } from './keyCorrection.ts';
import { currentSubmissions, insertCorrection, listCorrections, loadItemScores, storeTestScore } from './queries.ts';

export interface RescoreResult {
  sitting: number;
  submissions: number;
  changed: number;
  corrections: number;
}

const noPackage = () => new AppError(404, 'no-item-package', 'Der er ikke uploadet en opgavepakke.', 'No item package has been uploaded.');

/**
 * Key correction (docs/rules.md §14.6): records the change (if any), then rescores every current submission of the
 * sitting with every correction so far, in one transaction. Each submission whose score moves is audited with the old
 * and new score of each item and of the total.
 */
export async function rescoreSitting(
  db: Db,
  reader: Pick<ItemTestReader, 'open'>,
  actor: Pick<Actor, 'userId' | 'role'> | null,
  sittingId: number,
  correction: KeyCorrection | null = null,
): Promise<RescoreResult> {
  const test = await reader.open(sittingId, true);
  if (!test) throw noPackage();
  if (correction) {
    const problem = correctionProblem(test.plan.items.get(correction.itemIdentifier), correction);
    if (problem) throw new AppError(422, 'key-correction-refused', `Rettelsen kan ikke bruges: ${problem}.`, `The correction cannot be used: ${problem}.`);
  }
  return withTransaction(db, async (tx) => {
    await tx.query("SET LOCAL lock_timeout = '10s'");
    if (correction) {
      const id = await insertCorrection(tx, sittingId, correction, actor?.userId ?? null);
      await appendAudit(tx, { actor, action: 'items.key_corrected', subjectType: 'sitting', subjectId: sittingId, details: { id, ...correction } });
    }
    const corrections = await listCorrections(tx, sittingId);
    const submissions = await currentSubmissions(tx, sittingId);
    let changed = 0;
    for (const s of submissions) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, new Uint8Array(s.final_state));
      const score = scoreTest(test.plan, corrections, doc);
      doc.destroy();
      const before = await loadItemScores(tx, s.id);
      const changes = score.items.filter((i) => before.get(i.item) !== i.score).map((i) => ({ item: i.item, old: before.get(i.item) ?? null, new: i.score }));
      await storeTestScore(tx, s.id, score);
      if (!changes.length) continue;
      changed++;
      const totalOld = [...before.values()].reduce((n, v) => n + v, 0);
      await appendAudit(tx, {
        actor,
        action: 'items.rescored',
        subjectType: 'submission',
        subjectId: s.id,
        details: { sittingId, examNumber: s.exam_number, changes, totalOld: Math.round(totalOld * 1e6) / 1e6, totalNew: score.total },
      });
    }
    return { sitting: sittingId, submissions: submissions.length, changed, corrections: corrections.length };
  });
}
