import { Hono, type Context } from 'hono';
import { appendAudit, hasAuditEntry } from '../audit/auditLog.ts';
import { requireActor } from '../auth/middleware.ts';
import { withTransaction } from '../db/pool.ts';
import type { Actor, AppDeps, AppEnv } from '../http/context.ts';
import { AppError, badRequest, notFound } from '../http/errors.ts';
import { idParam, jsonBody } from '../http/validate.ts';
import type { PaperVault } from '../scheduling/paperVault.ts';
import { findSitting, lockPaperRelease, sittingRelation, type SittingRow } from '../scheduling/queries.ts';
import { admitToSealed } from '../scheduling/sealedAccess.ts';
import type { ItemTestReader } from './itemTestReader.ts';
import { importItemPackage } from './packageImporter.ts';
import { rescoreSitting } from './keyCorrector.ts';
import { listResults, packageInfo, sittingItemScores } from './queries.ts';
import { itemStatistics, statisticsCsv } from './statistics.ts';
import { keyCorrectionInput } from './schema.ts';

const noPackage = () => new AppError(404, 'no-item-package', 'Der er ikke uploadet en opgavepakke.', 'No item package has been uploaded.');

/** The item test's package: the ministry's upload and the sealed release to the sitting's people (docs/rules.md §14). */
export function itemRoutes(deps: AppDeps, vault: PaperVault, reader: ItemTestReader) {
  const app = new Hono<AppEnv>();
  const audited = new Set<number>();

  app.put('/:id/items', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = idParam(c);
    if (!(await findSitting(deps.db, id))) throw notFound('sitting');
    const zip = new Uint8Array(await c.req.arrayBuffer());
    // "PK\x03\x04" (or an empty archive's "PK\x05\x06"): anything else is not worth a problem report.
    if (zip[0] !== 0x50 || zip[1] !== 0x4b) throw badRequest('not-a-zip', 'Filen er ikke en ZIP-pakke.', 'The file is not a ZIP package.');
    const report = await importItemPackage(deps, vault, actor, id, zip);
    return c.json({ ok: true, report, package: await packageInfo(deps.db, id) });
  });

  app.get('/:id/items/info', async (c) => {
    requireActor(c, 'ministry');
    const info = await packageInfo(deps.db, idParam(c));
    if (!info) throw noPackage();
    return c.json(info);
  });

  app.get('/:id/items', async (c) => {
    const { s, started } = await readable(c);
    const test = await reader.open(s.id, started);
    if (!test) throw noPackage();
    return c.json(test.view);
  });

  app.get('/:id/items/assets/*', async (c) => {
    const { s, started } = await readable(c);
    const prefix = `/api/sittings/${s.id}/items/assets/`;
    let path: string;
    try {
      path = decodeURIComponent(c.req.path.slice(c.req.path.indexOf(prefix) + prefix.length));
    } catch {
      throw notFound('asset');
    }
    const asset = await reader.asset(s.id, path, started);
    if (!asset) throw notFound('asset');
    const headers: Record<string, string> = { 'content-type': asset.type, 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store' };
    // An SVG is a document that can carry script: opened on its own it must run nothing.
    if (asset.type === 'image/svg+xml') headers['content-security-policy'] = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
    return c.body(new Uint8Array(asset.body), 200, headers);
  });

  /** Key correction: recorded, every submission rescored and each change audited (docs/rules.md §14.6). */
  app.post('/:id/items/corrections', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = idParam(c);
    if (!(await findSitting(deps.db, id))) throw notFound('sitting');
    return c.json(await rescoreSitting(deps.db, reader, actor, id, await jsonBody(c, keyCorrectionInput)));
  });

  /** The results list: the ministry, and the sitting's graders (who see exam numbers only). */
  app.get('/:id/items/results', async (c) => {
    const actor = requireActor(c);
    const s = await findSitting(deps.db, idParam(c));
    if (!s) throw notFound('sitting');
    if (actor.role !== 'ministry') {
      const relation = await sittingRelation(deps.db, s.id, actor.userId, actor.role, actor.schoolId);
      if (actor.role !== 'grader' || !relation.sittingStaff) throw notFound('sitting');
    }
    return c.json({ results: await listResults(deps.db, s.id) });
  });

  /** Per-item statistics for the ministry, as JSON or (?format=csv) CSV. */
  app.get('/:id/items/statistics', async (c) => {
    requireActor(c, 'ministry');
    const id = idParam(c);
    if (!(await findSitting(deps.db, id))) throw notFound('sitting');
    const stats = itemStatistics(await sittingItemScores(deps.db, id));
    if (c.req.query('format') !== 'csv') return c.json({ items: stats });
    return c.body(statisticsCsv(stats), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="opgavestatistik-${id}.csv"`,
    });
  });

  /** The same rule as the sealed paper (scheduling/sealedAccess.ts). The first release is audited once. */
  async function readable(c: Context<AppEnv>): Promise<{ s: SittingRow; started: boolean }> {
    const { s, actor, now } = await admitToSealed(deps, c);
    const started = now.getTime() >= s.starts_at.getTime();
    if (started && actor.role !== 'ministry') await noteRelease(s.id, actor);
    return { s, started };
  }

  async function noteRelease(sittingId: number, actor: Actor): Promise<void> {
    if (audited.has(sittingId)) return;
    audited.add(sittingId);
    await withTransaction(deps.db, async (tx) => {
      await lockPaperRelease(tx, sittingId);
      if (!(await hasAuditEntry(tx, 'items.released', sittingId))) {
        await appendAudit(tx, { actor, action: 'items.released', subjectType: 'sitting', subjectId: sittingId });
      }
    });
  }

  return app;
}
