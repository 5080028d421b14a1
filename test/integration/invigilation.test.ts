import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerClient } from '../support/answerClient.ts';
import { buildCandidate, buildWorld, sessionCookie } from '../support/factories.ts';
import { postJson } from '../support/http.ts';
import { startTestServer } from '../support/testApp.ts';

/** The invigilators' actions over HTTP against a real server (docs/rules.md §5): allow and deny side of each. */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let w: Awaited<ReturnType<typeof buildWorld>>;
const cookie: Record<string, string> = {};
const reason = 'Aftalt med skolen';

beforeAll(async () => {
  // A short grace so the automatic hand-in after "end the room" comes within the test.
  server = await startTestServer({ config: { ANSWER_GRACE_SECONDS: '1' } });
  w = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 3 });
  for (const [k, u] of Object.entries({
    a: w.invigilatorA,
    b: w.invigilatorB,
    admin: w.schoolAdmin,
    grader: w.grader,
    ministry: w.ministry,
    cand: w.candidates[0],
  })) {
    cookie[k] = await session(u);
  }
});
afterAll(async () => {
  await server.closeAll();
});

const session = (user: { id: number }) => sessionCookie(server.deps.db, user);
const post = (who: string, path: string, body: unknown) => postJson(server.url, `/api/invigilation${path}`, cookie[who] ?? '', body);
const problem = async (res: Response) => ({ status: res.status, type: (await res.json()).type as string });
const urn = (id: string) => `urn:provesal:problem:${id}`;
const fresh = () => buildCandidate(server.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
const registration = async (id: number) => (await server.deps.db.query('SELECT * FROM registrations WHERE id = $1', [id])).rows[0];
const audits = async (action: string, subjectId: number | string) =>
  (await server.deps.db.query('SELECT actor_id, details FROM audit_events WHERE action = $1 AND subject_id = $2 ORDER BY id', [action, String(subjectId)]))
    .rows;
const examView = async (c: { id: number; registrationId: number }) => {
  const ck = await session(c);
  return (await fetch(`${server.url}/api/exam/registrations/${c.registrationId}`, { headers: { cookie: ck } })).json();
};

const registrationActions: [string, Record<string, unknown>][] = [
  ['extra-time', { minutes: 10, reason }],
  ['pause', { reason }],
  ['resume', { reason }],
  ['access-code', { reason }],
  ['device-switch', { reason }],
  ['absent', { kind: 'ill', reason }],
  ['reopen', { reason }],
];
const roomActions = (roomId: number): [string, Record<string, unknown>][] => [
  [`/sittings/${w.sittingId}/rooms/${roomId}/extra-time`, { minutes: 5, reason }],
  [`/sittings/${w.sittingId}/rooms/${roomId}/end`, { reason }],
  [`/sittings/${w.sittingId}/rooms/${roomId}/incidents`, { note: 'Uro i lokalet' }],
];

describe('who may act', () => {
  it('refuses an invigilator of room B on a candidate and on the room actions of room A with 404, and changes nothing', async () => {
    const c = w.candidates[1];
    const before = await registration(c.registrationId);
    for (const [path, body] of registrationActions) {
      expect(await problem(await post('b', `/registrations/${c.registrationId}/${path}`, body)), path).toEqual({ status: 404, type: urn('not-found') });
    }
    for (const [path, body] of roomActions(w.roomA)) expect(await problem(await post('b', path, body)), path).toEqual({ status: 404, type: urn('not-found') });
    expect((await fetch(`${server.url}/api/invigilation/sittings/${w.sittingId}/rooms/${w.roomA}`, { headers: { cookie: cookie.b } })).status).toBe(404);
    expect(await registration(c.registrationId)).toEqual(before);
  });

  it('refuses candidate, grader, school admin and ministry with 403 on every action, and anonymous callers with 401', async () => {
    for (const who of ['admin', 'grader', 'ministry', 'cand']) {
      for (const [path, body] of registrationActions) {
        expect(await problem(await post(who, `/registrations/${w.candidates[1].registrationId}/${path}`, body)), `${who} ${path}`).toEqual({
          status: 403,
          type: urn('forbidden'),
        });
      }
      for (const [path, body] of roomActions(w.roomA)) expect((await post(who, path, body)).status, `${who} ${path}`).toBe(403);
    }
    expect((await post('nobody', `/registrations/${w.candidates[1].registrationId}/extra-time`, { minutes: 5, reason })).status).toBe(401);
  });

  it('answers 404 for a registration id that does not exist', async () => {
    expect(await problem(await post('a', '/registrations/999999999/extra-time', { minutes: 5, reason }))).toEqual({ status: 404, type: urn('not-found') });
  });

  it('lists only the rooms assigned to the invigilator', async () => {
    const res = await fetch(`${server.url}/api/invigilation/rooms`, { headers: { cookie: cookie.a } });
    const { rooms } = await res.json();
    expect(rooms.map((r: { sittingId: number; roomId: number }) => [r.sittingId, r.roomId])).toEqual([[w.sittingId, w.roomA]]);
  });

  it('requires a reason on every action (400 naming the field)', async () => {
    for (const [path, body] of registrationActions) {
      const res = await post('a', `/registrations/${w.candidates[1].registrationId}/${path}`, { ...body, reason: '  ' });
      expect(res.status, path).toBe(400);
      expect((await res.json()).field, path).toBe('reason');
    }
    for (const [path, body] of roomActions(w.roomA).slice(0, 2)) expect((await post('a', path, { ...body, reason: undefined })).status, path).toBe(400);
  });
});

describe('what the actions do', () => {
  it("extra time moves the candidate's end at once and is audited with the reason", async () => {
    const c = w.candidates[1];
    const before = new Date((await examView(c)).endsAt).getTime();
    expect((await post('a', `/registrations/${c.registrationId}/extra-time`, { minutes: 10, reason })).status).toBe(200);
    expect(new Date((await examView(c)).endsAt).getTime() - before).toBe(10 * 60_000);
    expect((await audits('invigilation.extra_time', c.registrationId))[0]).toMatchObject({ actor_id: w.invigilatorA.id, details: { minutes: 10, reason } });
  });

  it('refuses extra time beyond 600 minutes in total with 409 extra-time-limit instead of capping it silently', async () => {
    const c = await fresh();
    await server.deps.db.query('UPDATE registrations SET extra_minutes = 595 WHERE id = $1', [c.registrationId]);
    expect(await problem(await post('a', `/registrations/${c.registrationId}/extra-time`, { minutes: 10, reason }))).toEqual({
      status: 409,
      type: urn('extra-time-limit'),
    });
    expect((await registration(c.registrationId)).extra_minutes).toBe(595);
  });

  it('pause then resume adds the paused time back to the end; a second pause or resume is refused with 409', async () => {
    const c = w.candidates[2];
    const before = new Date((await examView(c)).endsAt).getTime();
    expect((await post('a', `/registrations/${c.registrationId}/pause`, { reason })).status).toBe(200);
    expect((await examView(c)).paused).toBe(true);
    expect(await problem(await post('a', `/registrations/${c.registrationId}/pause`, { reason }))).toEqual({ status: 409, type: urn('already-paused') });
    // Instead of waiting in real time, the pause is dated a minute back: resume must add that minute to the end.
    await server.deps.db.query("UPDATE registrations SET paused_at = paused_at - interval '60 s' WHERE id = $1", [c.registrationId]);
    expect((await post('a', `/registrations/${c.registrationId}/resume`, { reason })).status).toBe(200);
    const after = await examView(c);
    expect(after.paused).toBe(false);
    const { paused_seconds: pausedSeconds } = await registration(c.registrationId);
    expect(pausedSeconds).toBeGreaterThanOrEqual(60);
    expect(pausedSeconds).toBeLessThan(70);
    expect(new Date(after.endsAt).getTime() - before).toBe(pausedSeconds * 1000);
    expect(await problem(await post('a', `/registrations/${c.registrationId}/resume`, { reason }))).toEqual({ status: 409, type: urn('not-paused') });
  });

  it("a one-time access code signs the candidate in once, expires at the candidate's end and never enters the audit log", async () => {
    const c = w.candidates[2];
    const res = await post('a', `/registrations/${c.registrationId}/access-code`, { reason: 'Glemt adgangskode' });
    const { code, expiresAt } = await res.json();
    expect(expiresAt).toBe((await examView(c)).endsAt);
    const signIn = () =>
      fetch(`${server.url}/api/auth/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect((await signIn()).status).toBe(200);
    expect((await signIn()).status).not.toBe(200);
    expect(JSON.stringify(await audits('invigilation.access_code', c.registrationId))).not.toContain(code);
  });

  it('allows a device switch (stored and audited); refused once the candidate handed in', async () => {
    const c = await fresh();
    expect((await post('a', `/registrations/${c.registrationId}/device-switch`, { reason: 'Computeren gik ned' })).status).toBe(200);
    expect((await registration(c.registrationId)).device_switch_allowed).toBe(true);
    expect(await audits('invigilation.device_switch_allowed', c.registrationId)).toHaveLength(1);
    await server.deps.db.query("UPDATE registrations SET state = 'handed_in' WHERE id = $1", [c.registrationId]);
    expect(await problem(await post('a', `/registrations/${c.registrationId}/device-switch`, { reason: 'Igen' }))).toEqual({
      status: 409,
      type: urn('not-writing'),
    });
  });

  it('reopens a hand-in within the window, and the candidate can write and hand in again (version 2)', async () => {
    const c = await fresh();
    const ck = await session(c);
    expect(await problem(await post('a', `/registrations/${c.registrationId}/reopen`, { reason }))).toEqual({ status: 409, type: urn('not-handed-in') });
    expect((await postJson(server.url, `/api/exam/registrations/${c.registrationId}/hand-in`, ck, { confirm: true })).status).toBe(200);
    expect((await post('a', `/registrations/${c.registrationId}/reopen`, { reason: 'Afleverede ved en fejl' })).status).toBe(200);
    expect((await examView(c)).phase).toBe('writing');
    const client = new AnswerClient(server.url, c.registrationId, ck);
    await client.waitSynced();
    client.type('Efter genåbning.');
    await client.waitSaved();
    client.destroy();
    const again = await postJson(server.url, `/api/exam/registrations/${c.registrationId}/hand-in`, ck, { confirm: true });
    expect(again.status).toBe(200);
    expect((await again.json()).version).toBe(2);
    const { rows } = await server.deps.db.query(
      'SELECT version, superseded_at IS NOT NULL AS superseded FROM submissions WHERE registration_id = $1 ORDER BY version',
      [c.registrationId],
    );
    expect(rows).toEqual([
      { version: 1, superseded: true },
      { version: 2, superseded: false },
    ]);
  });

  it('marks ill (the answer socket then refuses with 4410), and "present" undoes it', async () => {
    const c = await fresh();
    expect((await post('a', `/registrations/${c.registrationId}/absent`, { kind: 'ill', reason: 'Gik hjem syg' })).status).toBe(200);
    expect(await problem(await post('a', `/registrations/${c.registrationId}/absent`, { kind: 'absent', reason }))).toEqual({
      status: 409,
      type: urn('already-absent'),
    });
    const ck = await session(c);
    const client = new AnswerClient(server.url, c.registrationId, ck);
    await client.waitClosed(4410);
    client.destroy();
    expect((await post('a', `/registrations/${c.registrationId}/absent`, { kind: 'present', reason: 'Fejlregistrering' })).status).toBe(200);
    expect((await registration(c.registrationId)).state).toBe('registered');
    expect(await audits('invigilation.marked_present', c.registrationId)).toHaveLength(1);
  });

  it('writes an incident note for the room (stored, audited)', async () => {
    const res = await post('a', `/sittings/${w.sittingId}/rooms/${w.roomA}/incidents`, {
      note: 'Brandalarm 10:12, alle ud i 6 min.',
      registrationId: w.candidates[0].registrationId,
    });
    expect(res.status).toBe(200);
    const { id } = await res.json();
    const { rows } = await server.deps.db.query('SELECT room_id, registration_id, author_id, note FROM incidents WHERE id = $1', [id]);
    expect(rows[0]).toEqual({
      room_id: w.roomA,
      registration_id: w.candidates[0].registrationId,
      author_id: w.invigilatorA.id,
      note: 'Brandalarm 10:12, alle ud i 6 min.',
    });
    expect(await audits('invigilation.incident', id)).toHaveLength(1);
    const foreign = await post('a', `/sittings/${w.sittingId}/rooms/${w.roomA}/incidents`, { note: 'Forkert elev', registrationId: 999999999 });
    expect(foreign.status).toBe(404);
  });
});
