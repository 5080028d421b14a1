import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

/** The aids profile's `attachments` set through the ministry's API (docs/rules.md §15.1). */
let t: TestApp;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestApp();
  const world = await buildWorld(t.deps.db, { candidates: 0 });
  cookies.ministry = await sessionCookie(t.deps.db, world.ministry);
});
afterAll(async () => {
  await t.close();
});

const future = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

describe("the aids profile's attachments", () => {
  const create = (attachments: unknown) =>
    t.request('/api/sittings', {
      method: 'POST',
      cookie: cookies.ministry,
      json: {
        subject: 'Matematik – problemløsning',
        level: 9,
        startDate: future(),
        startTime: '09:00',
        durationMinutes: 180,
        aids: { calculator: true, attachments },
      },
    });

  it('accepts all kinds (true), a list of kinds, or none; stores what the upload rules read; defaults to none', async () => {
    for (const attachments of [true, ['image', 'ggb'], false]) {
      const res = await create(attachments);
      expect(res.status).toBe(201);
      const s = await res.json();
      const { rows } = await t.deps.db.query('SELECT aids FROM sittings WHERE id = $1', [s.id]);
      expect(rows[0].aids).toMatchObject({ calculator: true, attachments });
    }
    const plain = await t.request('/api/sittings', {
      method: 'POST',
      cookie: cookies.ministry,
      json: { subject: 'Dansk', level: 9, startDate: future(), startTime: '09:00', durationMinutes: 60 },
    });
    const { rows } = await t.deps.db.query('SELECT aids FROM sittings WHERE id = $1', [(await plain.json()).id]);
    expect(rows[0].aids.attachments).toBe(false);
  });

  it('refuses an unknown kind, a word for a yes/no, and a list longer than the kinds, naming the field in Danish and English', async () => {
    for (const attachments of [['image', 'exe'], 'ja', ['image', 'pdf', 'ggb', 'xlsx', 'ods', 'docx', 'image']]) {
      const res = await create(attachments);
      expect(res.status, JSON.stringify(attachments)).toBe(400);
      const body = await res.json();
      expect(body.detail_da).toContain('»Vedhæftede filer«');
      expect(body.detail_en).toContain('"Attachments"');
    }
    const body = await (await create(['exe'])).json();
    expect(body.detail_da).toBe('»Vedhæftede filer«: ja, nej eller en liste af filtyper blandt image, pdf, ggb, xlsx, ods, docx.');
    expect(body.detail_en).toBe('"Attachments": yes, no or a list of file types among image, pdf, ggb, xlsx, ods, docx.');
  });
});
