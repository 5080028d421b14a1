import { Hono, type Context } from 'hono';
import { requireActor } from '../auth/middleware.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { idParam, jsonBody } from '../http/validate.ts';
import { PaperReader } from './paperReader.ts';
import { admitToSealed } from './sealedAccess.ts';
import type { PaperVault } from './paperVault.ts';
import { findSitting, listSittings, nationalOverview, paperKinds } from './queries.ts';
import { listAllSchools } from '../schools/queries.ts';
import { cancelInput, graderAssignment, MAX_PAPER_DEPTH, richTextPaper, sittingInput, sittingPatch } from './schema.ts';
import { statesOf } from './sittingStatus.ts';
import { assignGrader, cancelScheduledSitting, createSitting, editSitting, sittingJson, uploadPaper } from './sittingEditor.ts';

/** The refusal before the start; the item test (src/items) answers with the same one, so clients retry alike. */
/** Ministry scheduling and the sealed question paper (docs/rules.md §2). */
export function schedulingRoutes(deps: AppDeps, vault: PaperVault) {
  const app = new Hono<AppEnv>();
  const papers = new PaperReader(deps, vault);

  app.get('/', async (c) => {
    requireActor(c, 'ministry');
    const rows = await listSittings(deps.db);
    const states = await statesOf(deps.db, rows, deps.now(), deps.config.ANSWER_GRACE_SECONDS);
    return c.json({ sittings: rows.map((s) => sittingJson(s, states.get(s.id))) });
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
    const states = await statesOf(deps.db, [s], deps.now(), deps.config.ANSWER_GRACE_SECONDS);
    return c.json(sittingJson(s, states.get(s.id)));
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
    const { reason } = await jsonBody(c, cancelInput);
    await cancelScheduledSitting(deps, actor, id, reason);
    return c.json(sittingJson((await findSitting(deps.db, id))!, 'cancelled'));
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
    const { s, actor, now } = await admitToSealed(deps, c);
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

/** The national view (docs/rules.md §2): per school and in total; and the schools a sitting can be given to. */
export function ministryRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/schools', async (c) => {
    requireActor(c, 'ministry');
    return c.json({ schools: (await listAllSchools(deps.db)).map((s) => ({ id: s.id, name: s.name, institutionNo: s.institution_no })) });
  });
  app.get('/sittings/:id/overview', async (c) => {
    requireActor(c, 'ministry');
    const s = await findSitting(deps.db, idParam(c));
    if (!s) throw notFound('sitting');
    return c.json({ sitting: sittingJson(s), ...(await nationalOverview(deps.db, s.id, deps.now())) });
  });
  return app;
}
