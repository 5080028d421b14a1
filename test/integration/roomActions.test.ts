import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerClient } from '../support/answerClient.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { postJson } from '../support/http.ts';
import { startTestServer } from '../support/testApp.ts';

/** The invigilator's actions on a whole room over HTTP against a real server (docs/rules.md §5). */
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  // A short grace so the automatic hand-in after "end the room" comes within the test.
  server = await startTestServer({ config: { ANSWER_GRACE_SECONDS: '1' } });
});
afterAll(async () => {
  await server.closeAll();
});

const session = (user: { id: number }) => sessionCookie(server.deps.db, user);
const registration = async (id: number) => (await server.deps.db.query('SELECT state FROM registrations WHERE id = $1', [id])).rows[0];
const endRoomAudits = async (subjectId: string) =>
  (await server.deps.db.query("SELECT 1 FROM audit_events WHERE action = 'invigilation.end_room' AND subject_id = $1", [subjectId])).rows;

describe('room actions', () => {
  it('extra time for the whole room reaches everyone still writing, skips those handed in, in one audited go', async () => {
    const world = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 60, candidates: 3 });
    const ck = await session(world.invigilatorA);
    const done = world.candidates[2].registrationId;
    await server.deps.db.query("UPDATE registrations SET state = 'handed_in' WHERE id = $1", [done]);
    const res = await postJson(server.url, `/api/invigilation/sittings/${world.sittingId}/rooms/${world.roomA}/extra-time`, ck, {
      minutes: 7,
      reason: 'Strømafbrydelse',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, candidates: 2, skipped: [{ registrationId: done, problem: 'not-writing' }] });
    const { rows } = await server.deps.db.query('SELECT id, extra_minutes FROM registrations WHERE sitting_id = $1 AND room_id = $2 ORDER BY id', [
      world.sittingId,
      world.roomA,
    ]);
    expect(rows.map((r) => r.extra_minutes)).toEqual(rows.map((r) => (r.id === done ? 0 : 7)));
  });

  it('ends the sitting for the room: the writing candidate is told at once and handed in automatically; refused before the start', async () => {
    const world = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 60, candidates: 2 });
    const inv = await session(world.invigilatorA);
    const c = world.candidates[0];
    const client = new AnswerClient(server.url, c.registrationId, await session(c));
    await client.waitSynced();
    client.type('Det sidste jeg nåede.');
    await client.waitSaved();

    const res = await postJson(server.url, `/api/invigilation/sittings/${world.sittingId}/rooms/${world.roomA}/end`, inv, { reason: 'Brand i bygningen' });
    expect(await res.json()).toEqual({ ok: true, ended: 2 });
    await client.waitFor(() => client.controls.some((m) => m.type === 'window' && (m as { phase: string }).phase === 'ended'), 'ended window', 5000);
    await client.waitFor(() => client.controls.some((m) => m.type === 'handed_in'), 'automatic hand-in', 10_000);
    client.destroy();
    expect((await registration(c.registrationId)).state).toBe('handed_in');
    // The one who never arrived is ended but not handed in (nothing to hand in).
    expect((await registration(world.candidates[1].registrationId)).state).toBe('registered');
    expect(await endRoomAudits(`${world.sittingId}:${world.roomA}`)).toHaveLength(1);

    const later = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() + 3_600_000), candidates: 1 });
    const ck = await session(later.invigilatorA);
    const early = await postJson(server.url, `/api/invigilation/sittings/${later.sittingId}/rooms/${later.roomA}/end`, ck, { reason: 'For tidligt' });
    expect(early.status).toBe(409);
    expect((await early.json()).type).toBe('urn:provesal:problem:not-started');
  }, 30_000);
});
