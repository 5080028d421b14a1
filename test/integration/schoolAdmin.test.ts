import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate, buildSitting, buildWorld, sessionCookie } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
let world: Awaited<ReturnType<typeof buildWorld>>;
let admin: string;
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

beforeAll(async () => {
  t = await createTestApp();
  world = await buildWorld(t.deps.db, { candidates: 0 });
  admin = await sessionCookie(t.deps.db, world.schoolAdmin);
  await t.request('/api/schools/candidates/import', {
    method: 'POST',
    cookie: admin,
    body: 'navn;uni-id;klasse\nAnna Ærø;anna91c;9.C\nBo Øster;bo91c;9.C\n',
    headers: { 'content-type': 'text/csv' },
  });
});
afterAll(async () => {
  await t.close();
});

const register = (sittingId: number, confirmStarted?: boolean) =>
  t.request('/api/schools/registrations', {
    method: 'POST',
    cookie: admin,
    json: { sittingId, roomId: world.roomA, className: '9.C', ...(confirmStarted === undefined ? {} : { confirmStarted }) },
  });

describe('registering pupils into a sitting that has started', () => {
  it('is refused until the administrator confirms, then registered and audited as after the start', async () => {
    const running = await buildSitting(t.deps.db, { startsAt: minutes(-20), durationMinutes: 240, schoolIds: [world.schoolId] });
    const first = await register(running);
    expect(first.status).toBe(409);
    const problem = await first.json();
    expect(problem.type).toBe('urn:provesal:problem:sitting-started-confirm');
    expect(problem.detail).toMatch(/^Prøven er begyndt\. Elever, der tilmeldes nu, får kun den tid, der er tilbage\./);
    expect((await t.deps.db.query('SELECT count(*)::int AS n FROM registrations WHERE sitting_id = $1', [running])).rows[0].n).toBe(0);

    const confirmed = await register(running, true);
    expect(confirmed.status).toBe(200);
    expect((await confirmed.json()).registered).toHaveLength(2);
    const audit = await t.deps.db.query("SELECT details FROM audit_events WHERE action = 'schools.registered' AND subject_id = $1", [String(running)]);
    expect(audit.rows[0].details).toMatchObject({ afterStart: true, className: '9.C' });
  });

  it('before the start no confirmation is needed; after the end registration is refused', async () => {
    const later = await buildSitting(t.deps.db, { startsAt: minutes(60), schoolIds: [world.schoolId] });
    expect((await register(later)).status).toBe(200);
    const ended = await buildSitting(t.deps.db, { startsAt: minutes(-300), durationMinutes: 60, schoolIds: [world.schoolId] });
    const res = await register(ended, true);
    expect(res.status).toBe(409);
    expect((await res.json()).type).toBe('urn:provesal:problem:sitting-ended');
  });

  it("the school's sittings say which are running", async () => {
    const { sittings } = await (await t.request('/api/schools/sittings', { cookie: admin })).json();
    expect(sittings.find((s: { id: number }) => s.id === world.sittingId).state).toBe('scheduled');
    expect(sittings.some((s: { state: string }) => s.state === 'running')).toBe(true);
  });
});

describe('the access-code sheet', () => {
  it("is valid until the sitting's end (each pupil's own end with extra time), printed days ahead, and says so in Danish", async () => {
    // 7 May 2031 09:00 Copenhagen (summer time): 4 hours, so the sitting ends at 13:00.
    const startsAt = new Date('2031-05-07T07:00:00Z');
    const sittingId = await buildSitting(t.deps.db, { startsAt, durationMinutes: 240, schoolIds: [world.schoolId] });
    const plain = await buildCandidate(t.deps.db, { schoolId: world.schoolId, sittingId, roomId: world.roomB });
    const extra = await buildCandidate(t.deps.db, { schoolId: world.schoolId, sittingId, roomId: world.roomB, extraMinutes: 30 });

    const res = await t.request(`/api/schools/rooms/${world.roomB}/access-codes?sittingId=${sittingId}`, { cookie: admin });
    const sheet = await res.json();
    expect(sheet.expiresAt).toBe('2031-05-07T11:00:00.000Z');
    const until = Object.fromEntries(sheet.codes.map((c: { examNumber: string; validUntil: string }) => [c.examNumber, c.validUntil]));
    expect(until).toEqual({ [plain.examNumber]: '2031-05-07T11:00:00.000Z', [extra.examNumber]: '2031-05-07T11:30:00.000Z' });
    const stored = await t.deps.db.query('SELECT registration_id, expires_at FROM access_codes WHERE registration_id = ANY($1::bigint[])', [
      [plain.registrationId, extra.registrationId],
    ]);
    expect(stored.rows.map((r) => r.expires_at.toISOString()).sort()).toEqual(['2031-05-07T11:00:00.000Z', '2031-05-07T11:30:00.000Z']);

    const html = await (await t.request(`/api/schools/rooms/${world.roomB}/access-codes?sittingId=${sittingId}&format=html`, { cookie: admin })).text();
    expect(html.replace(/\s+/g, ' ')).toContain('Gælder til prøvens slutning, 7. maj 2031 kl. 13:00.');
    expect(html).toContain('kl. 13:30');
    expect(html).not.toMatch(/\d{2}\.\d{2}\.\d{2}/);
  });
});
