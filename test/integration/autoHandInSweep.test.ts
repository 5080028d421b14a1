import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoHandIn } from '../../src/exam/autoHandIn.ts';
import { verifyAuditChain } from '../../src/audit/auditLog.ts';
import { buildWorld } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

describe('the automatic hand-in sweep (docs/rules.md §4.6)', () => {
  it('hands in a whole ended sitting in one sweep, page after page, several at once, each pupil once', async () => {
    const w = await buildWorld(app.deps.db, { startsAt: new Date(Date.now() - 60 * 60_000), durationMinutes: 30, candidates: 20 });
    const ids = w.candidates.map((c) => c.registrationId);
    // One pupil has extra time: not due yet, so the sweep leaves them writing.
    await app.deps.db.query('UPDATE registrations SET extra_minutes = 120 WHERE id = $1', [ids[3]]);
    const sweeper = new AutoHandIn(app.deps, () => Promise.resolve(), 2_000, undefined, 7);
    await app.deps.db.query("UPDATE registrations SET state = 'writing' WHERE id = ANY($1)", [ids]);

    expect(await sweeper.sweep()).toBe(19);
    const { rows } = await app.deps.db.query<{ registration_id: string; handed_in_by: string }>(
      'SELECT registration_id, handed_in_by FROM submissions WHERE registration_id = ANY($1) ORDER BY registration_id',
      [ids],
    );
    expect(rows.map((r) => Number(r.registration_id))).toEqual(ids.filter((id) => id !== ids[3]));
    expect(new Set(rows.map((r) => r.handed_in_by))).toEqual(new Set(['auto']));
    expect(await sweeper.sweep()).toBe(0);
    expect((await verifyAuditChain(app.deps.db)).broken).toBeNull();
  });
});
