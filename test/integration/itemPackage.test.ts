import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leakedKeys } from '../../src/items/pupilView.ts';
import type { ItemTestView } from '../../src/protocol/itemResponses.ts';
import { buildCandidate, buildRoom, buildSchool, buildUser, buildWorld, sessionCookie } from '../support/factories.ts';
import { BAD_PACKAGES, demoWithImage, demoZip, PNG } from '../support/itemPackages.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
let world: Awaited<ReturnType<typeof buildWorld>>;
let startsAt: Date;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ config: { DATA_DIR: '/tmp/provesal-test-data' } });
  world = await buildWorld(t.deps.db, { startsAt: new Date(Date.now() + 3_600_000), candidates: 1 });
  startsAt = (await t.deps.db.query('SELECT starts_at FROM sittings WHERE id = $1', [world.sittingId])).rows[0].starts_at;
  const people = { ministry: world.ministry, admin: world.schoolAdmin, invigilator: world.invigilatorA, grader: world.grader, candidate: world.candidates[0] };
  for (const [k, u] of Object.entries(people)) cookies[k] = await sessionCookie(t.deps.db, u);
});
afterAll(async () => {
  await t.close();
});

const upload = (zip: Uint8Array, sittingId = world.sittingId, cookie = cookies.ministry) =>
  t.request(`/api/sittings/${sittingId}/items`, { method: 'PUT', cookie, body: Buffer.from(zip), headers: { 'content-type': 'application/zip' } });
const stored = async (sittingId: number) => (await t.deps.db.query('SELECT sha256 FROM item_packages WHERE sitting_id = $1', [sittingId])).rows;
const atStart = async <T>(fn: () => Promise<T>): Promise<T> => {
  t.setNow(new Date(startsAt.getTime() + 1000));
  try {
    return await fn();
  } finally {
    t.setNow(null);
  }
};

describe('uploading an item package', () => {
  it('refuses every bad input with a problem report naming the file, and stores nothing', async () => {
    const other = await buildWorld(t.deps.db, { candidates: 0 });
    const cases: [keyof typeof BAD_PACKAGES, number, RegExp, string][] = [
      ['malformedXml', 422, /malformed XML/, 'q.xml'],
      ['missingDeclaration', 422, /RESPONSE/, 'q.xml'],
      ['unknownInteraction', 422, /qti-slider-interaction/, 'items/skyder.xml'],
      ['dotDotPath', 422, /"\.\.\/"/, '../evil.xml'],
      ['absolutePath', 422, /absolute path/, '/etc/evil.xml'],
      ['fileOverLimit', 413, /the limit is 10485760/, 'big.mp3'],
      ['tooManyItems', 413, /501 items; the limit is 500/, 'imsmanifest.xml'],
      ['expandsTooFar', 413, /expands to \d+ bytes; the limit is 104857600/, 'package.zip'],
    ];
    for (const [name, status, message, file] of cases) {
      const res = await upload(BAD_PACKAGES[name](), other.sittingId);
      expect(res.status, name).toBe(status);
      expect(res.headers.get('content-type'), name).toMatch(/^application\/problem\+json/);
      const body = await res.json();
      expect(body.type, name).toBe(status === 413 ? 'urn:provesal:problem:item-package-too-large' : 'urn:provesal:problem:item-package-refused');
      expect(body.detail_da, name).toMatch(/Intet er gemt/);
      expect(body.detail_en, name).toMatch(/Nothing was stored/);
      const hit = body.problems.find((p: { file: string; message: string }) => p.file === file && message.test(p.message));
      expect(hit, `${name}: ${JSON.stringify(body.problems)}`).toBeTruthy();
      if (name === 'malformedXml' || name === 'unknownInteraction') expect(hit.line, name).toBeGreaterThan(1);
      expect(await stored(other.sittingId), name).toEqual([]);
    }
  });

  it('refuses a body over 50 MB before reading it, and a file that is not a ZIP', async () => {
    const big = await upload(new Uint8Array(51 * 1024 * 1024));
    expect(big.status).toBe(413);
    expect((await big.json()).type).toBe('urn:provesal:problem:payload-too-large');
    const notZip = await upload(new TextEncoder().encode('<manifest/>'));
    expect(notZip.status).toBe(400);
    expect((await notZip.json()).type).toBe('urn:provesal:problem:not-a-zip');
  });

  it('only the ministry uploads', async () => {
    for (const who of ['admin', 'invigilator', 'grader', 'candidate']) expect((await upload(demoZip(), world.sittingId, cookies[who])).status, who).toBe(403);
  });

  it('accepts the demo package, reports counts and score, stores it encrypted, and keeps it when a bad one follows', async () => {
    const res = await upload(demoWithImage());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.report.items).toBe(13);
    expect(body.report.problems).toEqual([]);
    expect(body.package.parts).toEqual([
      { identifier: 'del1', navigationMode: 'linear', maxTimeSeconds: 1800 },
      { identifier: 'del2', navigationMode: 'nonlinear', maxTimeSeconds: 2700 },
    ]);
    const { rows } = await t.deps.db.query('SELECT ciphertext, sha256 FROM item_packages WHERE sitting_id = $1', [world.sittingId]);
    expect(rows[0].ciphertext.includes(Buffer.from('qti-correct-response'))).toBe(false);
    expect(rows[0].ciphertext.includes(Buffer.from('imsmanifest'))).toBe(false);
    expect((await upload(BAD_PACKAGES.malformedXml())).status).toBe(422);
    expect(await stored(world.sittingId)).toEqual([{ sha256: rows[0].sha256 }]);
    const audit = await t.deps.db.query("SELECT details FROM audit_events WHERE action = 'items.uploaded' AND subject_id = $1", [String(world.sittingId)]);
    expect(audit.rows).toHaveLength(1);
  });

  it('refuses a new package once the sitting has started', async () => {
    const res = await atStart(() => upload(demoZip()));
    expect(res.status).toBe(409);
    expect((await res.json()).type).toBe('urn:provesal:problem:sitting-started');
  });
});

describe('the sealed item test', () => {
  it('before the start: every role but the ministry gets the paper-sealed refusal, strangers 404', async () => {
    for (const who of ['admin', 'invigilator', 'grader', 'candidate']) {
      const res = await t.request(`/api/sittings/${world.sittingId}/items`, { cookie: cookies[who] });
      expect(res.status, who).toBe(403);
      expect((await res.json()).type).toBe('urn:provesal:problem:paper-sealed');
      const asset = await t.request(`/api/sittings/${world.sittingId}/items/assets/media/kat%20og%20hund.png`, { cookie: cookies[who] });
      expect(asset.status, who).toBe(403);
    }
    const stranger = await buildUser(t.deps.db, 'grader');
    expect((await t.request(`/api/sittings/${world.sittingId}/items`, { cookie: await sessionCookie(t.deps.db, stranger) })).status).toBe(404);
    expect((await t.request(`/api/sittings/${world.sittingId}/items`, { cookie: cookies.ministry })).status).toBe(200);
  });

  it('from the start: candidates and staff get the items with no key in them, media pointed at the asset route', async () => {
    await atStart(async () => {
      for (const who of ['admin', 'invigilator', 'grader', 'candidate']) {
        const res = await t.request(`/api/sittings/${world.sittingId}/items`, { cookie: cookies[who] });
        expect(res.status, who).toBe(200);
        const view = (await res.json()) as ItemTestView;
        expect(view.parts.map((p) => [p.identifier, p.navigationMode, p.timeLimitSeconds, p.items.length])).toEqual([
          ['del1', 'linear', 1800, 8],
          ['del2', 'nonlinear', 2700, 5],
        ]);
        const all = view.parts.flatMap((p) => p.items);
        for (const item of all) expect(leakedKeys(item.xml), item.identifier).toEqual([]);
        const text = JSON.stringify(view);
        expect(text).not.toMatch(/qti-correct-response|qti-mapping|qti-response-processing|rptemplates|view=\\"scorer\\"/);
        const q01 = all.find((i) => i.identifier === 'q01-valg')!;
        expect(q01.xml).toContain(`src="/api/sittings/${world.sittingId}/items/assets/media/kat%20og%20hund.png"`);
        expect(q01.xml).not.toContain('evil.example');
      }
    });
  });

  it('serves package media with its type and nosniff, never the item XML, and only to the sitting', async () => {
    await atStart(async () => {
      const res = await t.request(`/api/sittings/${world.sittingId}/items/assets/media/kat%20og%20hund.png`, { cookie: cookies.candidate });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
      for (const path of ['items/q01-valg.xml', 'imsmanifest.xml', '..%2Fetc%2Fpasswd', 'media/none.png']) {
        const r = await t.request(`/api/sittings/${world.sittingId}/items/assets/${path}`, { cookie: cookies.candidate });
        expect(r.status, path).toBe(404);
      }
      const otherSchool = await buildSchool(t.deps.db);
      const stranger = await buildCandidate(t.deps.db, {
        schoolId: otherSchool,
        sittingId: (await buildWorld(t.deps.db, { candidates: 0 })).sittingId,
        roomId: await buildRoom(t.deps.db, otherSchool),
      });
      const r = await t.request(`/api/sittings/${world.sittingId}/items/assets/media/kat%20og%20hund.png`, {
        cookie: await sessionCookie(t.deps.db, stranger),
      });
      expect(r.status).toBe(404);
    });
  });
});

describe("the pupil's registration view", () => {
  it('carries each timed part end, extra time spread in proportion, and null for an essay', async () => {
    const extra = await buildCandidate(t.deps.db, { schoolId: world.schoolId, sittingId: world.sittingId, roomId: world.roomA, extraMinutes: 15 });
    const res = await t.request(`/api/exam/registrations/${extra.registrationId}`, { cookie: await sessionCookie(t.deps.db, extra) });
    expect(res.status).toBe(200);
    const s0 = startsAt.getTime();
    // 15 min = 900 s over 1800 s and 2700 s: 360 s and 540 s.
    expect((await res.json()).itemTest).toEqual({
      parts: [
        { part: 'del1', endsAt: new Date(s0 + (1800 + 360) * 1000).toISOString() },
        { part: 'del2', endsAt: new Date(s0 + (1800 + 360 + 2700 + 540) * 1000).toISOString() },
      ],
    });
    const essay = await buildWorld(t.deps.db, { candidates: 1 });
    const e = await t.request(`/api/exam/registrations/${essay.candidates[0].registrationId}`, { cookie: await sessionCookie(t.deps.db, essay.candidates[0]) });
    expect((await e.json()).itemTest).toBeNull();
  });
});

describe('the demo', () => {
  it('seeds "Dansk – retskrivning og læsning (FP9)" with the sealed demo package, sat by elev31', async () => {
    const { seedDemo } = await import('../../src/demo/seed.ts');
    const summary = await seedDemo(t.deps);
    const { rows } = await t.deps.db.query('SELECT subject, starts_at FROM sittings WHERE id = $1', [summary.itemSittingId]);
    expect(rows[0].subject).toBe('Dansk – retskrivning og læsning (FP9)');
    const pupil = await t.deps.db.query("SELECT id FROM users WHERE username = 'elev31'");
    const cookie = await sessionCookie(t.deps.db, pupil.rows[0]);
    const sittings = await (await t.request('/api/exam/sittings', { cookie })).json();
    expect(sittings.sittings.map((s: { subject: string }) => s.subject)).toEqual(['Dansk – retskrivning og læsning (FP9)']);
    expect(sittings.sittings[0].itemTest.parts.map((p: { part: string }) => p.part)).toEqual(['del1', 'del2']);
    t.setNow(new Date(rows[0].starts_at.getTime() + 1000));
    try {
      const view = (await (await t.request(`/api/sittings/${summary.itemSittingId}/items`, { cookie })).json()) as ItemTestView;
      expect(view.parts.flatMap((p) => p.items)).toHaveLength(13);
    } finally {
      t.setNow(null);
    }
  });
});
