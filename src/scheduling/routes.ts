import { Hono, type Context } from 'hono';
import { requireActor } from '../auth/middleware.ts';
import { mayReadPaper } from '../auth/permissions.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { AppError, badRequest, notFound } from '../http/errors.ts';
import { idParam, jsonBody } from '../http/validate.ts';
import { checkLockdown } from '../lockdown/gate.ts';
import { PaperReader } from './paperReader.ts';
import type { PaperVault } from './paperVault.ts';
import { findSitting, listSittings, nationalOverview, paperKinds, sittingRelation } from './queries.ts';
import { graderAssignment, MAX_PAPER_DEPTH, richTextPaper, sittingInput, sittingPatch } from './schema.ts';
import { assignGrader, cancelScheduledSitting, createSitting, editSitting, sittingJson, uploadPaper } from './sittingEditor.ts';

/** The refusal before the start; the item test (src/items) answers with the same one, so clients retry alike. */
export const sealed = () =>
  new AppError(403, 'paper-sealed', 'Opgavesættet er forseglet indtil prøvens start.', 'The question paper is sealed until the start of the sitting.');

/** Ministry scheduling and the sealed question paper (docs/rules.md §2). */
export function schedulingRoutes(deps: AppDeps, vault: PaperVault) {
  const app = new Hono<AppEnv>();
  const papers = new PaperReader(deps, vault);

  app.get('/', async (c) => {
    requireActor(c, 'ministry');
    return c.json({ sittings: (await listSittings(deps.db)).map(sittingJson) });
  });

  app.post('/', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = await createSitting(deps, actor, await jsonBody(c, sittingInput));
    return c.json(sittingJson((await findSitting(deps.db, id))!), 201);
  });

  app.get('/:id', async (c) => {
    requireActor(c, 'ministry');
    const s = await findSitting(deps.db, idParam(c));
    if (!s) throw notFound('sitting');
    return c.json({ ...sittingJson(s), paper: await paperKinds(deps.db, s.id) });
  });

  app.patch('/:id', async (c) => {
    const actor = requireActor(c, 'ministry');
    const patch = await jsonBody(c, sittingPatch);
    const id = idParam(c);
    await editSitting(deps, actor, id, patch);
    return c.json(sittingJson((await findSitting(deps.db, id))!));
  });

  app.post('/:id/cancel', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = idParam(c);
    await cancelScheduledSitting(deps, actor, id);
    return c.json(sittingJson((await findSitting(deps.db, id))!));
  });

  /** Graders are assigned to sittings nationally, by the ministry. */
  app.post('/:id/graders', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = idParam(c);
    const { userId } = await jsonBody(c, graderAssignment);
    await assignGrader(deps, actor, id, userId);
    return c.json({ ok: true });
  });

  app.put('/:id/paper', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = idParam(c);
    const body = Buffer.from(await c.req.arrayBuffer());
    if (body.subarray(0, 5).toString('latin1') !== '%PDF-') throw badRequest('not-a-pdf', 'Filen er ikke en PDF.', 'The file is not a PDF.');
    await uploadPaper(deps, vault, actor, id, 'pdf', body);
    return c.json({ ok: true, paper: await paperKinds(deps.db, id) });
  });

  app.put('/:id/paper/text', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = idParam(c);
    const { doc } = await jsonBody(c, richTextPaper, { maxDepth: MAX_PAPER_DEPTH });
    await uploadPaper(deps, vault, actor, id, 'richtext', Buffer.from(JSON.stringify(doc)));
    return c.json({ ok: true, paper: await paperKinds(deps.db, id) });
  });

  /** The paper for a reader: ministry always; others only from the start and only with a relation (404 otherwise). */
  async function readable(c: Context<AppEnv>, kind: 'pdf' | 'richtext' | null) {
    const actor = requireActor(c);
    const s = await findSitting(deps.db, idParam(c));
    if (!s || s.status === 'cancelled') throw notFound('sitting');
    const now = deps.now();
    const relation = await sittingRelation(deps.db, s.id, actor.userId, actor.role, actor.schoolId);
    // The relation first (docs/rules.md §1): to a caller with none the sitting does not exist, so "sealed" (which
    // confirms it and its start) is only for those who will be able to read it at the start.
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
    if (!kind) return { s, actor, body: null };
    const body = await papers.open(s, kind, now);
    if (actor.role !== 'ministry') await papers.noteRelease(s.id, actor);
    return { s, actor, body };
  }

  app.get('/:id/paper/info', async (c) => {
    const { s } = await readable(c, null);
    return c.json(await paperKinds(deps.db, s.id));
  });

  app.get('/:id/paper', async (c) => {
    const { body } = await readable(c, 'pdf');
    return c.body(new Uint8Array(body!), 200, {
      'content-type': 'application/pdf',
      'content-disposition': 'inline; filename="opgavesaet.pdf"',
      'cache-control': 'private, no-store',
    });
  });

  app.get('/:id/paper/text', async (c) => {
    const { body } = await readable(c, 'richtext');
    return c.json({ doc: JSON.parse(body!.toString('utf8')) });
  });

  return app;
}

/** The national view (docs/rules.md §2): per school and in total. */
export function ministryRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/sittings/:id/overview', async (c) => {
    requireActor(c, 'ministry');
    const s = await findSitting(deps.db, idParam(c));
    if (!s) throw notFound('sitting');
    return c.json({ sitting: sittingJson(s), ...(await nationalOverview(deps.db, s.id, deps.now())) });
  });
  return app;
}
