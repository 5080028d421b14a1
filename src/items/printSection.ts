import type { Queryable } from '../db/pool.ts';
import { printItems, type ItemSection } from './itemPrint.ts';
import type { ItemTestReader } from './itemTestReader.ts';
import { listCorrections, loadScoreSheet, loadTotals } from './queries.ts';

/**
 * The item section of a submission's PDF, or null when the sitting is an essay. Scores and key are read only for
 * the grader's copy, so the pupil's (archived) copy cannot carry them by mistake (docs/rules.md §14.8).
 */
export async function loadItemSection(
  q: Queryable,
  reader: Pick<ItemTestReader, 'open'>,
  o: { sittingId: number; submissionId: number; finalState: Uint8Array; copy: 'pupil' | 'grader' },
): Promise<ItemSection | null> {
  // Only handed-in submissions are printed: the sitting has started, so the opened package may be cached.
  const test = await reader.open(o.sittingId, true);
  if (!test) return null;
  if (o.copy === 'pupil') return printItems(test.plan, test.xml, o.finalState);
  const sheet = await loadScoreSheet(q, o.submissionId);
  const totals = (await loadTotals(q, o.submissionId)) ?? { score: 0, maxScore: 0, parts: [] };
  const scores = new Map(sheet.map((r) => [r.item, { score: r.score, maxScore: r.maxScore, manual: r.manual, byGrader: r.graded !== null }]));
  return printItems(test.plan, test.xml, o.finalState, { scores, corrections: await listCorrections(q, o.sittingId), total: totals });
}
