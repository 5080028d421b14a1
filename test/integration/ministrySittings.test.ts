import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate, buildSchool, buildSitting, buildWorld, sessionCookie } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
let world: Awaited<ReturnType<typeof buildWorld>>;
let ministry: string;
const PDF = Buffer.from('%PDF-1.4\n% Prøvesal test paper\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

beforeAll(async () => {
  t = await createTestApp({ config: { DATA_DIR: '/tmp/provesal-test-data', ANSWER_GRACE_SECONDS: '30' } });
  world = await buildWorld(t.deps.db, { startsAt: minutes(120), candidates: 0 });
  ministry = await sessionCookie(t.deps.db, world.ministry);
});
afterAll(async () => {
  await t.close();
});

const cancel = (id: number, body?: unknown) =>
  t.request(`/api/sittings/${id}/cancel`, { method: 'POST', cookie: ministry, ...(body === undefined ? {} : { json: body }) });

describe('cancelling a sitting', () => {
  it('is refused without a reason, and a blank reason is explained', async () => {
    expect((await cancel(world.sittingId)).status).toBe(400);
    const blank = await cancel(world.sittingId, { reason: '  ' });
    expect(blank.status).toBe(400);
    expect((await blank.json()).detail).toBe('Udfyld feltet »Begrundelse« (mindst 3 tegn).');
    const { rows } = await t.deps.db.query('SELECT status FROM sittings WHERE id = $1', [world.sittingId]);
    expect(rows[0].status).toBe('scheduled');
  });

  it('with a reason cancels it and audits the reason with the sitting it names', async () => {
    const id = await buildSitting(t.deps.db, { startsAt: minutes(600), subject: 'Engelsk', schoolIds: [world.schoolId] });
    const res = await cancel(id, { reason: 'Forkert opgavesæt uploadet' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'cancelled', state: 'cancelled' });
    const { rows } = await t.deps.db.query("SELECT actor_id, details FROM audit_events WHERE action = 'sitting.cancelled' AND subject_id = $1", [String(id)]);
    expect(rows).toHaveLength(1);
    expect(rows[0].actor_id).toBe(world.ministry.id);
    expect(rows[0].details).toMatchObject({ reason: 'Forkert opgavesæt uploadet', subject: 'Engelsk', level: 9 });
    expect((await cancel(id, { reason: 'igen' })).status).toBe(409);
  });
});

describe('the ministry chooses schools by name', () => {
  it('lists every school with its name and institution number, only to the ministry', async () => {
    const other = await buildSchool(t.deps.db, { name: 'Aabenraa Friskole' });
    const res = await t.request('/api/ministry/schools', { cookie: ministry });
    expect(res.status).toBe(200);
    const { schools } = await res.json();
    expect(schools).toContainEqual(expect.objectContaining({ id: other, name: 'Aabenraa Friskole', institutionNo: expect.any(String) }));
    const admin = await sessionCookie(t.deps.db, world.schoolAdmin);
    expect((await t.request('/api/ministry/schools', { cookie: admin })).status).toBe(403);
  });
});

describe("each sitting's real state and paper", () => {
  it('Planlagt, Lobby åben, I gang (also while a pupil with extra time writes after the regular end), Afsluttet, Aflyst', async () => {
    const db = t.deps.db;
    const s = [world.schoolId];
    const planned = await buildSitting(db, { startsAt: minutes(90), lobbyOpensMinutes: 30, schoolIds: s });
    const lobby = await buildSitting(db, { startsAt: minutes(10), lobbyOpensMinutes: 30, schoolIds: s });
    const running = await buildSitting(db, { startsAt: minutes(-30), durationMinutes: 60, schoolIds: s });
    // The regular end passed 10 minutes ago, but one pupil has 30 minutes extra and has not handed in.
    const overtime = await buildSitting(db, { startsAt: minutes(-70), durationMinutes: 60, schoolIds: s });
    await buildCandidate(db, { schoolId: world.schoolId, sittingId: overtime, roomId: world.roomA, extraMinutes: 30 });
    const ended = await buildSitting(db, { startsAt: minutes(-70), durationMinutes: 60, schoolIds: s });
    const handedIn = await buildCandidate(db, { schoolId: world.schoolId, sittingId: ended, roomId: world.roomA, extraMinutes: 30 });
    await db.query("UPDATE registrations SET state = 'handed_in', handed_in_at = now() WHERE id = $1", [handedIn.registrationId]);
    const cancelled = await buildSitting(db, { startsAt: minutes(300), schoolIds: s });
    await cancel(cancelled, { reason: 'Aflyst af test' });

    const { sittings } = await (await t.request('/api/sittings', { cookie: ministry })).json();
    const state = (id: number) => sittings.find((x: { id: number }) => x.id === id).state;
    expect([planned, lobby, running, overtime, ended, cancelled].map(state)).toEqual(['scheduled', 'lobby', 'running', 'running', 'ended', 'cancelled']);
  });

  it('shows whether a paper is uploaded', async () => {
    const id = await buildSitting(t.deps.db, { startsAt: minutes(200), schoolIds: [world.schoolId] });
    const paperOf = async () => (await (await t.request(`/api/sittings/${id}`, { cookie: ministry })).json()).paper;
    expect(await paperOf()).toEqual({ pdf: false, text: false });
    const up = await t.request(`/api/sittings/${id}/paper`, { method: 'PUT', cookie: ministry, body: PDF, headers: { 'content-type': 'application/pdf' } });
    expect(up.status).toBe(200);
    expect(await paperOf()).toEqual({ pdf: true, text: false });
    const { sittings } = await (await t.request('/api/sittings', { cookie: ministry })).json();
    expect(sittings.find((x: { id: number }) => x.id === id)).toMatchObject({ state: 'scheduled', paper: { pdf: true, text: false } });
  });
});
