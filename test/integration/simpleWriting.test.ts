import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCandidate, buildWorld, sessionCookie } from '../support/factories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

/** docs/rules.md §13: who may allow simple writing mode, and how the pupil learns of it. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const reason = 'Oplæsningsværktøjet virker ikke i editoren';
const flag = async (id: number) => (await t.deps.db.query('SELECT simple_writing FROM registrations WHERE id = $1', [id])).rows[0].simple_writing as boolean;
const audits = async (action: string, id: number) =>
  (await t.deps.db.query('SELECT actor_id, details FROM audit_events WHERE action = $1 AND subject_id = $2', [action, String(id)])).rows;

async function world(startsAt: Date) {
  const w = await buildWorld(t.deps.db, { startsAt, candidates: 0, durationMinutes: 120 });
  const cand = await buildCandidate(t.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
  const ck = {
    admin: await sessionCookie(t.deps.db, w.schoolAdmin),
    invigilator: await sessionCookie(t.deps.db, w.invigilatorA),
    otherRoom: await sessionCookie(t.deps.db, w.invigilatorB),
    pupil: await sessionCookie(t.deps.db, cand),
  };
  const view = async () =>
    (await (await t.request(`/api/exam/registrations/${cand.registrationId}`, { cookie: ck.pupil })).json()) as { accommodations: Record<string, unknown> };
  return { w, cand, ck, view };
}

describe('simple writing as the school accommodation', () => {
  it('is set by the school administrator before the start, audited, and reaches the pupil', async () => {
    const { cand, ck, view } = await world(new Date(Date.now() + 3_600_000));
    expect((await view()).accommodations.simpleWriting).toBe(false);
    const res = await t.request(`/api/schools/registrations/${cand.registrationId}/accommodations`, {
      method: 'PATCH',
      cookie: ck.admin,
      json: { simpleWriting: true },
    });
    expect(res.status).toBe(200);
    expect(await flag(cand.registrationId)).toBe(true);
    expect(await audits('schools.accommodations_set', cand.registrationId)).toEqual([expect.objectContaining({ details: { simpleWriting: true } })]);
    expect((await view()).accommodations.simpleWriting).toBe(true);
  });

  it("is refused to another school's administrator (404) and to the pupil (403)", async () => {
    const { cand, ck } = await world(new Date(Date.now() + 3_600_000));
    const other = await world(new Date(Date.now() + 3_600_000));
    const url = `/api/schools/registrations/${cand.registrationId}/accommodations`;
    const foreign = await t.request(url, { method: 'PATCH', cookie: other.ck.admin, json: { simpleWriting: true } });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toContain('application/problem+json');
    const pupil = await t.request(url, { method: 'PATCH', cookie: ck.pupil, json: { simpleWriting: true } });
    expect(pupil.status).toBe(403);
    expect(await flag(cand.registrationId)).toBe(false);
  });

  it('refuses a value that is not a boolean with problem+json', async () => {
    const { cand, ck } = await world(new Date(Date.now() + 3_600_000));
    const res = await t.request(`/api/schools/registrations/${cand.registrationId}/accommodations`, {
      method: 'PATCH',
      cookie: ck.admin,
      json: { simpleWriting: 'ja' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await flag(cand.registrationId)).toBe(false);
  });
});

describe('simple writing allowed by the invigilator during the exam', () => {
  it('is offered in allowedActions, needs a reason, is audited, reaches the pupil and is then no longer offered', async () => {
    const { w, cand, ck, view } = await world(new Date(Date.now() - 60_000));
    const roster = async () =>
      (
        (await (await t.request(`/api/invigilation/sittings/${w.sittingId}/rooms/${w.roomA}`, { cookie: ck.invigilator })).json()) as {
          candidates: { registrationId: number; allowedActions: string[]; simpleWriting: boolean }[];
        }
      ).candidates.find((c) => c.registrationId === cand.registrationId)!;
    expect((await roster()).allowedActions).toContain('simple-writing');

    const url = `/api/invigilation/registrations/${cand.registrationId}/simple-writing`;
    const noReason = await t.request(url, { method: 'POST', cookie: ck.invigilator, json: { reason: ' ' } });
    expect(noReason.status).toBe(400);
    expect(noReason.headers.get('content-type')).toContain('application/problem+json');
    expect(await flag(cand.registrationId)).toBe(false);

    expect((await t.request(url, { method: 'POST', cookie: ck.invigilator, json: { reason } })).status).toBe(200);
    expect(await flag(cand.registrationId)).toBe(true);
    expect(await audits('invigilation.simple_writing_allowed', cand.registrationId)).toEqual([{ actor_id: w.invigilatorA.id, details: { reason } }]);
    expect((await view()).accommodations.simpleWriting).toBe(true);
    const row = await roster();
    expect(row.simpleWriting).toBe(true);
    expect(row.allowedActions).not.toContain('simple-writing');

    const again = await t.request(url, { method: 'POST', cookie: ck.invigilator, json: { reason } });
    expect(again.status).toBe(409);
    expect((await again.json()).type).toBe('urn:provesal:problem:already-simple-writing');
  });

  it("is refused to the pupil, the school administrator and another room's invigilator", async () => {
    const { cand, ck } = await world(new Date(Date.now() - 60_000));
    const url = `/api/invigilation/registrations/${cand.registrationId}/simple-writing`;
    expect((await t.request(url, { method: 'POST', cookie: ck.pupil, json: { reason } })).status).toBe(403);
    expect((await t.request(url, { method: 'POST', cookie: ck.admin, json: { reason } })).status).toBe(403);
    expect((await t.request(url, { method: 'POST', cookie: ck.otherRoom, json: { reason } })).status).toBe(404);
    expect(await flag(cand.registrationId)).toBe(false);
    expect(await audits('invigilation.simple_writing_allowed', cand.registrationId)).toEqual([]);
  });

  it('is not offered once the pupil has handed in', async () => {
    const { cand, ck } = await world(new Date(Date.now() - 60_000));
    await t.deps.db.query("UPDATE registrations SET state = 'handed_in', handed_in_at = now() WHERE id = $1", [cand.registrationId]);
    const res = await t.request(`/api/invigilation/registrations/${cand.registrationId}/simple-writing`, {
      method: 'POST',
      cookie: ck.invigilator,
      json: { reason },
    });
    expect(res.status).toBe(409);
    expect((await res.json()).type).toBe('urn:provesal:problem:not-writing');
  });
});
