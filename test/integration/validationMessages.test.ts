import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
let world: Awaited<ReturnType<typeof buildWorld>>;
let ministry: string;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  world = await buildWorld(t.deps.db, { candidates: 0 });
  ministry = await sessionCookie(t.deps.db, world.ministry);
  admin = await sessionCookie(t.deps.db, world.schoolAdmin);
});
afterAll(async () => {
  await t.close();
});

const sitting = (over: Record<string, unknown>) => ({
  subject: 'Dansk',
  level: 9,
  startDate: '2031-05-07',
  startTime: '09:00',
  durationMinutes: 240,
  schoolIds: [],
  ...over,
});

async function refusal(path: string, cookie: string, json: unknown, lang = 'da') {
  const res = await t.request(path, { method: 'POST', cookie, json, headers: { 'accept-language': lang } });
  expect(res.status).toBe(400);
  const body = await res.json();
  expect(body.type).toBe('urn:provesal:problem:validation-failed');
  // Never zod's own words: they speak of types and nulls, not of the form the person filled in.
  for (const text of [body.detail, body.detail_da, body.detail_en]) expect(text).not.toMatch(/Invalid input|expected|received|\bnull\b|undefined/);
  return body as { detail: string; detail_da: string; detail_en: string; field: string };
}

describe('validation errors are sentences about the form, in Danish and English', () => {
  it('an empty duration (the browser sends NaN as null) names the field as the form labels it', async () => {
    const b = await refusal('/api/sittings', ministry, sitting({ durationMinutes: null }));
    expect(b).toMatchObject({ field: 'durationMinutes', detail: 'Udfyld feltet »Varighed (minutter)«.', detail_en: 'Fill in the field "Duration (minutes)".' });
  });

  it('text where a number belongs, a number too small and too large', async () => {
    expect((await refusal('/api/sittings', ministry, sitting({ durationMinutes: '4 timer' }))).detail).toBe('»Varighed (minutter)« skal være et tal.');
    expect((await refusal('/api/sittings', ministry, sitting({ durationMinutes: 0 }))).detail).toBe('»Varighed (minutter)« skal være mindst 1.');
    expect((await refusal('/api/sittings', ministry, sitting({ durationMinutes: 601 }), 'en')).detail).toBe('"Duration (minutes)" may be at most 600.');
    expect((await refusal('/api/sittings', ministry, sitting({ durationMinutes: 90.5 }))).detail).toBe('»Varighed (minutter)« skal være et helt tal.');
  });

  it('a wrong date format says how to write it', async () => {
    const b = await refusal('/api/sittings', ministry, sitting({ startDate: '7/5/2031' }));
    expect(b.detail_da).toBe('»Dato« skal skrives som ÅÅÅÅ-MM-DD.');
    expect(b.detail_en).toBe('"Date" must be written as YYYY-MM-DD.');
  });

  it('a choice outside the list names the allowed values; a blank subject asks to fill it in', async () => {
    expect((await refusal('/api/sittings', ministry, sitting({ level: 8 }))).detail).toBe('»Niveau« skal være en af: 9, 10.');
    expect((await refusal('/api/sittings', ministry, sitting({ subject: '   ' }))).detail).toBe('Udfyld feltet »Fag«.');
  });

  it("the school's forms too: a room without a name, a registration without pupils or class", async () => {
    expect((await refusal('/api/schools/rooms', admin, { name: '' })).detail).toBe('Udfyld feltet »Navn«.');
    const r = await refusal('/api/schools/registrations', admin, { sittingId: world.sittingId, roomId: world.roomA });
    expect(r.detail_da).toBe('»Elever«: vælg elever eller en klasse.');
    expect(r.detail_en).toBe('"Pupils": choose pupils or a class.');
  });

  it('an id in the address that is not a number', async () => {
    const res = await t.request('/api/sittings/abc', { cookie: ministry });
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toBe('»Id« i adressen skal være et positivt helt tal.');
  });
});
