import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowOf } from '../../src/exam/examView.ts';
import { findDueHandIns, findRegistrationContext } from '../../src/exam/queries.ts';
import { endsAt } from '../../src/exam/window.ts';
import { buildCandidate, buildWorld } from '../support/factories.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

/**
 * The end-time rule (docs/rules.md §4.6) lives in exam/window.ts; the automatic hand-in's SQL must find an answer
 * due at exactly that end plus grace, never a millisecond early (a pupil would lose minutes) nor late.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe("the automatic hand-in finds an answer due exactly at the rule's end plus grace", () => {
  const grace = 30;
  const cases: [string, { extra: number; pausedSeconds: number; endedEarlyMinutes: number | null }][] = [
    ['plain', { extra: 0, pausedSeconds: 0, endedEarlyMinutes: null }],
    ['with extra time', { extra: 25, pausedSeconds: 0, endedEarlyMinutes: null }],
    ['after a pause', { extra: 0, pausedSeconds: 437, endedEarlyMinutes: null }],
    ['extra time and a pause', { extra: 10, pausedSeconds: 61, endedEarlyMinutes: null }],
    ['room ended early by the invigilator', { extra: 10, pausedSeconds: 0, endedEarlyMinutes: 30 }],
  ];
  for (const [name, c] of cases) {
    it(name, async () => {
      const startsAt = new Date(Date.now() - 60 * 60_000);
      const w = await buildWorld(t.db, { startsAt, durationMinutes: 90, candidates: 0 });
      const cand = await buildCandidate(t.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA, extraMinutes: c.extra });
      await t.db.query(`UPDATE registrations SET state = 'writing', paused_seconds = $2, ended_at = $3 WHERE id = $1`, [
        cand.registrationId,
        c.pausedSeconds,
        c.endedEarlyMinutes === null ? null : new Date(startsAt.getTime() + c.endedEarlyMinutes * 60_000),
      ]);
      const r = (await findRegistrationContext(t.db, cand.registrationId))!;
      const due = endsAt(windowOf(r), startsAt).getTime() + grace * 1000;
      const ids = async (at: number) => (await findDueHandIns(t.db, new Date(at), grace, 1000)).filter((id) => id === cand.registrationId);
      expect(await ids(due - 1)).toEqual([]);
      expect(await ids(due)).toEqual([cand.registrationId]);
    });
  }
});
