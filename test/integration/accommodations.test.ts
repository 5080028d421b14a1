import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate, buildWorld, sessionCookie } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

/** docs/rules.md §5: once the exam has started, only the invigilator's additive, audited actions change time. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function registrationIn(startsAt: Date) {
  const w = await buildWorld(t.deps.db, { startsAt, candidates: 0 });
  const cand = await buildCandidate(t.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA, extraMinutes: 20 });
  const cookie = await sessionCookie(t.deps.db, w.schoolAdmin);
  const patch = (json: object) => t.request(`/api/schools/registrations/${cand.registrationId}/accommodations`, { method: 'PATCH', cookie, json });
  const extra = async () => (await t.deps.db.query('SELECT extra_minutes FROM registrations WHERE id = $1', [cand.registrationId])).rows[0].extra_minutes;
  return { patch, extra };
}

describe('accommodations set by the school', () => {
  it('may be changed before the sitting starts', async () => {
    const r = await registrationIn(new Date(Date.now() + 3_600_000));
    expect((await r.patch({ extraMinutes: 30 })).status).toBe(200);
    expect(await r.extra()).toBe(30);
  });

  it('are refused once the sitting is running, keeping the extra time already granted', async () => {
    const r = await registrationIn(new Date(Date.now() - 10 * 60_000));
    const res = await r.patch({ extraMinutes: 0 });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ type: 'urn:provesal:problem:sitting-started', detail_da: expect.stringContaining('tilsynsførende') });
    expect(await r.extra()).toBe(20);
  });

  it('are refused for a finished sitting too', async () => {
    const r = await registrationIn(new Date(Date.now() - 24 * 3_600_000));
    expect((await r.patch({ highContrast: true })).status).toBe(409);
  });
});
