import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowedKinds } from '../../src/attachments/rules.ts';
import { ATTACHMENT_KINDS } from '../../src/protocol/attachments.ts';
import { sessionCookie } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { DATA_DIR: '/tmp/provesal-test-data' } });
});
afterAll(async () => {
  await t.close();
});

type Doc = { text?: string; content?: Doc[] };
const textOf = (d: Doc): string => (d.text ?? '') + (d.content ?? []).map(textOf).join(' ');

describe('the mathematics demo sitting', () => {
  it('seeds "Matematik – problemløsning (FP9)" for elev41 … elev45 with the calculator and every kind of attachment, and a paper asking for a formula, a drawing and a GeoGebra file', async () => {
    const { seedDemo } = await import('../../src/demo/seed.ts');
    const summary = await seedDemo(t.deps);
    const { rows } = await t.deps.db.query('SELECT subject, aids, starts_at FROM sittings WHERE id = $1', [summary.mathSittingId]);
    expect(rows[0].subject).toBe('Matematik – problemløsning (FP9)');
    expect(rows[0].aids).toMatchObject({ calculator: true, attachments: true });
    expect(allowedKinds(rows[0].aids)).toEqual([...ATTACHMENT_KINDS]);
    expect(summary.logins.map((l) => l.username)).toContain('elev41');

    const pupils = await t.deps.db.query(
      `SELECT u.username, r.exam_number FROM registrations r JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id
        WHERE r.sitting_id = $1 ORDER BY u.username`,
      [summary.mathSittingId],
    );
    expect(pupils.rows.map((r) => r.username)).toEqual(['elev41', 'elev42', 'elev43', 'elev44', 'elev45']);
    const elev45 = await t.deps.db.query("SELECT id FROM users WHERE username = 'elev45'");
    const cookie = await sessionCookie(t.deps.db, elev45.rows[0]);
    const sittings = await (await t.request('/api/exam/sittings', { cookie })).json();
    expect(sittings.sittings.map((s: { subject: string }) => s.subject)).toEqual(['Matematik – problemløsning (FP9)']);

    const ministry = await t.deps.db.query("SELECT id FROM users WHERE username = 'ministeriet'");
    const paper = await t.request(`/api/sittings/${summary.mathSittingId}/paper/text`, { cookie: await sessionCookie(t.deps.db, ministry.rows[0]) });
    expect(paper.status).toBe(200);
    const text = textOf((await paper.json()).doc as Doc);
    expect(text).toContain('formelværktøjet'); // a formula
    expect(text).toContain('Tegn haven'); // a drawing, attached as an image
    expect(text).toContain('(.ggb)'); // a GeoGebra file
  });
});
