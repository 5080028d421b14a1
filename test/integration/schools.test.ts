import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchool, buildSitting, buildUser, buildWorld, sessionCookie } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
let x: Awaited<ReturnType<typeof buildWorld>>;
let yAdmin: string;
let xAdmin: string;

const CSV = '\uFEFFNavn;UNI-ID;Klasse;Ekstra minutter\r\nSøren Ærø;soer1234;9.A;30\r\nÅse Øster;aase5678;9.A;\r\n;bad0001;9.B;\r\nBo Bøgh;bo0001;9.B;\r\n';

beforeAll(async () => {
  t = await createTestApp();
  x = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() + 3_600_000), candidates: 0 });
  const y = await buildSchool(t.deps.db);
  const yAdminUser = await buildUser(t.deps.db, 'school_admin', { schoolId: y });
  xAdmin = await sessionCookie(t.deps.db, x.schoolAdmin);
  yAdmin = await sessionCookie(t.deps.db, yAdminUser);
});
afterAll(async () => {
  await t.close();
});

const importCsv = (cookie: string, body: string) =>
  t.request('/api/schools/candidates/import', { method: 'POST', cookie, body, headers: { 'content-type': 'text/csv' } });

describe('candidate import', () => {
  it('reports each row, and importing the same file again changes nothing', async () => {
    const first = await (await importCsv(xAdmin, CSV)).json();
    expect(first).toMatchObject({ created: 3, updated: 0, unchanged: 0, refused: 1 });
    expect(first.rows.find((r: { line: number }) => r.line === 4)).toMatchObject({ status: 'refused', reason: 'Navn mangler.' });
    const again = await (await importCsv(xAdmin, CSV)).json();
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, refused: 1 });
    const changed = await (await importCsv(xAdmin, CSV.replace('Bo Bøgh;bo0001;9.B;', 'Bo Bøgh;bo0001;9.C;15'))).json();
    expect(changed).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
  });

  it("refuses a uni-id whose username another school's pupil already has", async () => {
    const report = await (await importCsv(yAdmin, 'navn;uni-id\nSøren Andersen;soer1234\n')).json();
    expect(report).toMatchObject({ created: 0, refused: 1 });
    expect(report.rows[0].reason_en).toMatch(/already used/);
  });

  it('imports 10,000 rows in one go', async () => {
    const lines = ['navn;uni-id;klasse'];
    for (let i = 0; i < 10_000; i++) lines.push(`Elev Nummer ${i};bulk${i};${9 + (i % 2)}.X`);
    const started = performance.now();
    const report = await (await importCsv(yAdmin, lines.join('\n'))).json();
    console.log(`10,000-row CSV import: ${Math.round(performance.now() - started)} ms`);
    expect(report).toMatchObject({ created: 10_000, refused: 0 });
  }, 60_000);

  it('refuses a file without the required columns', async () => {
    const res = await importCsv(xAdmin, 'foo;bar\n1;2\n');
    expect(res.status).toBe(400);
    expect((await res.json()).type).toBe('urn:provesal:problem:bad-csv');
  });
});

describe('school isolation and registration', () => {
  it('a school admin of school Y sees nothing of school X', async () => {
    const yList = await (await t.request('/api/schools/candidates', { cookie: yAdmin })).json();
    expect(yList.candidates.some((c: { uni_id: string }) => c.uni_id === 'soer1234')).toBe(false);
    const reg = await t.request('/api/schools/registrations', {
      method: 'POST',
      cookie: yAdmin,
      json: { sittingId: x.sittingId, roomId: x.roomA, className: '9.A' },
    });
    expect(reg.status).toBe(404);
    const codes = await t.request(`/api/schools/rooms/${x.roomA}/access-codes?sittingId=${x.sittingId}`, { cookie: yAdmin });
    expect(codes.status).toBe(404);
  });

  it('other roles are refused (403)', async () => {
    for (const u of [x.invigilatorA, x.grader, x.ministry]) {
      const res = await t.request('/api/schools/candidates', { cookie: await sessionCookie(t.deps.db, u) });
      expect(res.status).toBe(403);
    }
  });

  it('registers a class to a sitting and room with consecutive exam numbers, copying accommodations', async () => {
    const res = await t.request('/api/schools/registrations', {
      method: 'POST',
      cookie: xAdmin,
      json: { sittingId: x.sittingId, roomId: x.roomA, className: '9.A' },
    });
    expect(res.status).toBe(200);
    const { registered } = await res.json();
    expect(registered.map((r: { examNumber: string }) => r.examNumber)).toEqual([`S${x.sittingId}-0001`, `S${x.sittingId}-0002`]);
    const again = await (
      await t.request('/api/schools/registrations', { method: 'POST', cookie: xAdmin, json: { sittingId: x.sittingId, roomId: x.roomA, className: '9.A' } })
    ).json();
    expect(again.registered).toEqual([]);
    const { rows } = await t.deps.db.query(
      "SELECT r.extra_minutes FROM registrations r JOIN candidates c ON c.id = r.candidate_id WHERE c.uni_id = 'soer1234'",
    );
    expect(rows[0].extra_minutes).toBe(30);
  });

  it('a school not taking part cannot register for the sitting', async () => {
    const other = await buildSitting(t.deps.db, { schoolIds: [] });
    const res = await t.request('/api/schools/registrations', {
      method: 'POST',
      cookie: xAdmin,
      json: { sittingId: other, roomId: x.roomA, className: '9.A' },
    });
    expect(res.status).toBe(404);
  });

  it('issues a sheet of one-time codes for a room, each usable once', async () => {
    const res = await t.request(`/api/schools/rooms/${x.roomA}/access-codes?sittingId=${x.sittingId}`, { cookie: xAdmin });
    const sheet = await res.json();
    expect(sheet.codes).toHaveLength(2);
    const login = await t.request('/api/auth/code', { method: 'POST', json: { code: sheet.codes[0].code } });
    expect(login.status).toBe(200);
    const html = await t.request(`/api/schools/rooms/${x.roomA}/access-codes?sittingId=${x.sittingId}&format=html`, { cookie: xAdmin });
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('Søren Ærø');
  });
});
