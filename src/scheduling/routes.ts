import { Hono, type Context } from 'hono';
import { appendAudit } from '../audit/auditLog.ts';
import { requireActor } from '../auth/middleware.ts';
import { mayReadPaper } from '../auth/permissions.ts';
import { withTransaction } from '../db/pool.ts';
import type { Actor, AppDeps, AppEnv } from '../http/context.ts';
import { AppError, badRequest, conflict, notFound } from '../http/errors.ts';
import { idParam, jsonBody, parse } from '../http/validate.ts';
import { copenhagenLocal, copenhagenToUtc } from './localTime.ts';
import { checkLockdown } from '../lockdown/gate.ts';
import { requestUrlOfContext } from '../http/requestUrl.ts';
import type { PaperVault } from './paperVault.ts';
import { cancelSitting, findSitting, insertSitting, listSittings, loadPaper, paperKinds, setSittingSchools, sittingOverview,
  sittingRelation, storePaper, updateSitting, type SittingRow } from './queries.ts';
import { graderAssignment, MAX_PAPER_PDF_BYTES, MAX_PAPER_TEXT_BYTES, richTextPaper, sittingInput, sittingPatch, type SittingInput } from './schema.ts';

const started = () => conflict('sitting-started', 'Prøven er begyndt og kan ikke længere ændres.', 'The sitting has started and can no longer be changed.');
const sealed = () => new AppError(403, 'paper-sealed', 'Opgavesættet er forseglet indtil prøvens start.', 'The question paper is sealed until the start of the sitting.');

function toValues(input: SittingInput) {
  const start = copenhagenToUtc(input.startDate, input.startTime);
  if (!start.ok) throw badRequest(`start-time-${start.reason}`, start.da, start.en, { field: 'startTime' });
  return { subject: input.subject, level: input.level, startsAt: start.instant, durationMinutes: input.durationMinutes,
    lobbyOpensMinutes: input.lobbyOpensMinutes, aids: input.aids, lockdownProfile: input.lockdownProfile };
}

export const sittingJson = (s: SittingRow) => {
  const [startDate, startTime] = copenhagenLocal(s.starts_at).split(' ');
  return { id: s.id, subject: s.subject, level: s.level, startsAt: s.starts_at.toISOString(), startDate, startTime,
    durationMinutes: s.duration_minutes, lobbyOpensMinutes: s.lobby_opens_minutes, aids: s.aids, lockdownProfile: s.lockdown_profile,
    status: s.status, schoolIds: s.school_ids };
};

/** Ministry scheduling and the sealed question paper (docs/rules.md §2). */
export function schedulingRoutes(deps: AppDeps, vault: PaperVault) {
  const app = new Hono<AppEnv>();
  // After the start thousands of pupils fetch the same paper within a second: decrypt once per node.
  const released = new Map<string, { body: Buffer; sha256: string }>();

  const editable = async (tx: Parameters<typeof findSitting>[0], id: number) => {
    const s = await findSitting(tx, id, true);
    if (!s) throw notFound('sitting');
    if (s.starts_at.getTime() <= deps.now().getTime()) throw started();
    return s;
  };

  app.get('/', async (c) => {
    requireActor(c, 'ministry');
    return c.json({ sittings: (await listSittings(deps.db)).map(sittingJson) });
  });

  app.post('/', async (c) => {
    const actor = requireActor(c, 'ministry');
    const input = await jsonBody(c, sittingInput);
    const values = toValues(input);
    if (values.startsAt.getTime() <= deps.now().getTime()) throw badRequest('start-in-past', 'Starttidspunktet ligger i fortiden.', 'The start time is in the past.');
    const id = await withTransaction(deps.db, async (tx) => {
      const id = await insertSitting(tx, values, actor.userId);
      await setSittingSchools(tx, id, input.schoolIds);
      await appendAudit(tx, { actor, action: 'sitting.created', subjectType: 'sitting', subjectId: id, details: { ...input } });
      return id;
    });
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
    await withTransaction(deps.db, async (tx) => {
      const s = await editable(tx, id);
      const current = sittingJson(s);
      const merged = parse(sittingInput, { ...current, ...patch });
      const values = toValues(merged);
      if (values.startsAt.getTime() <= deps.now().getTime()) throw badRequest('start-in-past', 'Starttidspunktet ligger i fortiden.', 'The start time is in the past.');
      await updateSitting(tx, id, values);
      if (patch.schoolIds) await setSittingSchools(tx, id, patch.schoolIds);
      await appendAudit(tx, { actor, action: 'sitting.updated', subjectType: 'sitting', subjectId: id, details: { ...patch } });
    });
    return c.json(sittingJson((await findSitting(deps.db, id))!));
  });

  app.post('/:id/cancel', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = idParam(c);
    await withTransaction(deps.db, async (tx) => {
      await editable(tx, id);
      await cancelSitting(tx, id);
      await appendAudit(tx, { actor, action: 'sitting.cancelled', subjectType: 'sitting', subjectId: id });
    });
    return c.json(sittingJson((await findSitting(deps.db, id))!));
  });

  /** Graders are assigned to sittings nationally, by the ministry. */
  app.post('/:id/graders', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = idParam(c);
    const { userId } = await jsonBody(c, graderAssignment);
    await withTransaction(deps.db, async (tx) => {
      if (!(await findSitting(tx, id))) throw notFound('sitting');
      const { rowCount } = await tx.query("SELECT 1 FROM users WHERE id = $1 AND role = 'grader'", [userId]);
      if (!rowCount) throw notFound('grader');
      await tx.query('INSERT INTO grader_assignments (sitting_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, userId]);
      await appendAudit(tx, { actor, action: 'sitting.grader_assigned', subjectType: 'sitting', subjectId: id, details: { userId } });
    });
    return c.json({ ok: true });
  });

  app.put('/:id/paper', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = idParam(c);
    const body = Buffer.from(await c.req.arrayBuffer());
    if (body.length > MAX_PAPER_PDF_BYTES) throw new AppError(413, 'paper-too-large', 'Filen er for stor (højst 20 MB).', 'The file is too large (20 MB at most).');
    if (body.subarray(0, 5).toString('latin1') !== '%PDF-') throw badRequest('not-a-pdf', 'Filen er ikke en PDF.', 'The file is not a PDF.');
    await upload(actor, id, 'pdf', body);
    return c.json({ ok: true, paper: await paperKinds(deps.db, id) });
  });

  app.put('/:id/paper/text', async (c) => {
    const actor = requireActor(c, 'ministry');
    const id = idParam(c);
    const raw = await c.req.text();
    if (Buffer.byteLength(raw) > MAX_PAPER_TEXT_BYTES) throw new AppError(413, 'paper-too-large', 'Teksten er for stor (højst 2 MB).', 'The text is too large (2 MB at most).');
    let json: unknown;
    try { json = JSON.parse(raw); } catch { throw badRequest('bad-json', 'Indholdet er ikke gyldig JSON.', 'The body is not valid JSON.'); }
    const { doc } = parse(richTextPaper, json);
    await upload(actor, id, 'richtext', Buffer.from(JSON.stringify(doc)));
    return c.json({ ok: true, paper: await paperKinds(deps.db, id) });
  });

  async function upload(actor: Actor, id: number, kind: 'pdf' | 'richtext', body: Buffer) {
    const sealedPaper = vault.seal(body);
    await withTransaction(deps.db, async (tx) => {
      await editable(tx, id);
      await storePaper(tx, id, kind, sealedPaper, actor.userId);
      await appendAudit(tx, { actor, action: 'paper.uploaded', subjectType: 'sitting', subjectId: id, details: { kind, sha256: sealedPaper.sha256, bytes: body.length } });
    });
  }

  /** The paper for a reader: ministry always; others only from the start and only with a relation (404 otherwise). */
  async function readable(c: Context<AppEnv>, kind: 'pdf' | 'richtext' | null) {
    const actor = requireActor(c);
    const s = await findSitting(deps.db, idParam(c));
    if (!s || s.status === 'cancelled') throw notFound('sitting');
    const now = deps.now();
    const relation = await sittingRelation(deps.db, s.id, actor.userId, actor.role, actor.schoolId);
    if (!mayReadPaper(actor, { startsAt: s.starts_at, now, ...relation })) {
      if (now.getTime() < s.starts_at.getTime()) throw sealed();
      throw notFound('sitting');
    }
    if (actor.role === 'candidate') {
      const check = await checkLockdown(deps, { sittingId: s.id, lockdownProfile: s.lockdown_profile as 'seb_required', requestUrl: requestUrlOfContext(c, deps.config), headers: c.req.raw.headers });
      if (!check.ok) throw new AppError(403, 'lockdown-refused', check.da, check.en);
    }
    if (!kind) return { s, actor, body: null };
    const key = `${s.id}:${kind}`;
    let paper = released.get(key);
    if (!paper) {
      const stored = await loadPaper(deps.db, s.id, kind);
      if (!stored) throw new AppError(404, 'no-paper', 'Der er ikke uploadet et opgavesæt.', 'No question paper has been uploaded.');
      paper = { body: vault.open(stored), sha256: stored.sha256 };
      if (now.getTime() >= s.starts_at.getTime()) released.set(key, paper);
    }
    if (actor.role !== 'ministry') await noteRelease(s.id, actor);
    return { s, actor, body: paper.body };
  }

  const releasedAudited = new Set<number>();
  async function noteRelease(sittingId: number, actor: Actor) {
    if (releasedAudited.has(sittingId)) return;
    releasedAudited.add(sittingId);
    await withTransaction(deps.db, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(726412, $1::int)', [sittingId]);
      const { rowCount } = await tx.query("SELECT 1 FROM audit_events WHERE action = 'paper.released' AND subject_id = $1 LIMIT 1", [String(sittingId)]);
      if (!rowCount) await appendAudit(tx, { actor, action: 'paper.released', subjectType: 'sitting', subjectId: sittingId });
    });
  }

  app.get('/:id/paper/info', async (c) => {
    const { s } = await readable(c, null);
    return c.json(await paperKinds(deps.db, s.id));
  });

  app.get('/:id/paper', async (c) => {
    const { body } = await readable(c, 'pdf');
    return c.body(new Uint8Array(body!), 200, { 'content-type': 'application/pdf', 'content-disposition': 'inline; filename="opgavesaet.pdf"', 'cache-control': 'private, no-store' });
  });

  app.get('/:id/paper/text', async (c) => {
    const { body } = await readable(c, 'richtext');
    return c.json({ doc: JSON.parse(body!.toString('utf8')) });
  });

  return app;
}

/** Per school and in total (docs/rules.md §2). */
export async function nationalOverview(db: AppDeps['db'], sittingId: number) {
  const schools = await sittingOverview(db, sittingId);
  const keys = ['registered', 'lobby', 'writing', 'disconnected', 'handed_in', 'absent'] as const;
  const total = Object.fromEntries(keys.map((k) => [k, schools.reduce((n, r) => n + r[k], 0)]));
  return { schools, total };
}

/** The national view (docs/rules.md §2): per school and in total. */
export function ministryRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/sittings/:id/overview', async (c) => {
    requireActor(c, 'ministry');
    const s = await findSitting(deps.db, idParam(c));
    if (!s) throw notFound('sitting');
    return c.json({ sitting: sittingJson(s), ...(await nationalOverview(deps.db, s.id)) });
  });
  return app;
}
