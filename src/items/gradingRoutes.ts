import { Hono, type Context } from 'hono';
import { appendAudit } from '../audit/auditLog.ts';
import { requireActor } from '../auth/middleware.ts';
import { withTransaction } from '../db/pool.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { idParam, jsonBody } from '../http/validate.ts';
import { copenhagenDanish } from '../scheduling/localTime.ts';
import { sittingRelation } from '../scheduling/queries.ts';
import { sittingProgress } from '../scheduling/sittingStatus.ts';
import { graderMax, graderScoreRefusal } from './graderScore.ts';
import { printItems } from './itemPrint.ts';
import type { ItemTestReader } from './itemTestReader.ts';
import { loadScoreSheet, loadTotals, lockResult, refreshTotals, sittingSubmission, upsertGraderScore } from './queries.ts';
import { graderScoreInput } from './schema.ts';

const round = (n: number) => Math.round(n * 1e6) / 1e6;

/**
 * Graders' scores of an item test (docs/rules.md §14.9): the sitting's graders only, once the sitting has ended, as
 * for grades. They see every item's automatic score, score the extended texts, and may change an automatic score
 * with a reason; each change is audited with the old and new score and the total follows.
 */
export function itemGradingRoutes(deps: AppDeps, reader: Pick<ItemTestReader, 'open'>) {
  const app = new Hono<AppEnv>();
  const { db } = deps;

  /** The grader, the current submission of the sitting, and the opened test; 404 for anyone else, 409 before the end. */
  async function context(c: Context<AppEnv>) {
    const actor = requireActor(c, 'grader');
    const sittingId = idParam(c);
    const relation = await sittingRelation(db, sittingId, actor.userId, actor.role, actor.schoolId);
    if (!relation.sittingStaff) throw notFound('sitting');
    const sub = await sittingSubmission(db, sittingId, idParam(c, 'submissionId'));
    if (!sub) throw notFound('submission');
    const progress = await sittingProgress(db, sittingId, deps.now(), deps.config.ANSWER_GRACE_SECONDS);
    if (progress && progress.state !== 'ended') {
      throw conflict(
        'grading-not-open',
        `Bedømmelsen åbner, når prøven er afsluttet (${copenhagenDanish(progress.endsAt)}).`,
        `Grading opens when the sitting has ended (${progress.endsAt.toISOString()}).`,
        { opensAt: progress.endsAt.toISOString() },
      );
    }
    const test = await reader.open(sittingId, true);
    if (!test) throw new AppError(404, 'no-item-package', 'Prøven er ikke en opgaveprøve.', 'The sitting is not an item test.');
    return { actor, sittingId, sub, test };
  }

  app.get('/:id/items/submissions/:submissionId/scores', async (c) => {
    const { sub, test } = await context(c);
    const printed = printItems(test.plan, test.xml, new Uint8Array(sub.finalState));
    const sheet = new Map((await loadScoreSheet(db, sub.id)).map((r) => [r.item, r]));
    const items = printed.items.map((p) => {
      const row = sheet.get(p.identifier);
      return {
        item: p.identifier,
        title: p.title,
        part: p.part,
        prompt: p.prompt,
        responses: p.responses,
        manual: row?.manual ?? false,
        automatic: row?.automatic ?? 0,
        score: row?.score ?? 0,
        maxScore: graderMax(test.plan.items.get(p.identifier)!, row?.maxScore ?? 0),
        graded: row?.graded ?? null,
      };
    });
    return c.json({ submissionId: sub.id, examNumber: sub.examNumber, total: await loadTotals(db, sub.id), items });
  });

  app.put('/:id/items/submissions/:submissionId/scores/:item', async (c) => {
    const { actor, sittingId, sub, test } = await context(c);
    const itemId = c.req.param('item');
    const item = test.plan.items.get(itemId);
    if (!item) throw notFound('item');
    const body = await jsonBody(c, graderScoreInput);
    const reason = body.reason?.trim() || null;
    const result = await withTransaction(db, async (tx) => {
      await tx.query("SET LOCAL lock_timeout = '5s'");
      // One grader's change at a time per submission: the total is recomputed from what the lock saw.
      const totalsBefore = await lockResult(tx, sub.id);
      const row = (await loadScoreSheet(tx, sub.id)).find((r) => r.item === itemId);
      if (!totalsBefore || !row) throw notFound('item');
      const refusal = graderScoreRefusal({ manual: row.manual, maxScore: graderMax(item, row.maxScore) }, body.score, reason);
      if (refusal) throw new AppError(422, 'item-score-refused', refusal.da, refusal.en);
      await upsertGraderScore(tx, { submissionId: sub.id, item: itemId, score: body.score, reason, by: actor.userId, at: deps.now() });
      await refreshTotals(tx, sub.id);
      const total = await loadTotals(tx, sub.id);
      await appendAudit(tx, {
        actor,
        action: row.manual ? 'items.score_set' : 'items.score_overridden',
        subjectType: 'submission',
        subjectId: sub.id,
        details: {
          sittingId,
          examNumber: sub.examNumber,
          item: itemId,
          automatic: row.automatic,
          old: row.score,
          new: body.score,
          reason,
          totalOld: round(totalsBefore),
          totalNew: total!.score,
        },
      });
      return { item: itemId, old: row.score, score: body.score, reason, total };
    });
    return c.json(result);
  });

  return app;
}
