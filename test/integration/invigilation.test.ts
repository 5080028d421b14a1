import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerClient } from '../support/answerClient.ts';
import { buildCandidate, buildWorld } from '../support/factories.ts';
import { loginOverHttp, postJson } from '../support/http.ts';
import { startTestServer } from '../support/testApp.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let w: Awaited<ReturnType<typeof buildWorld>>;
const cookie: Record<string, string> = {};
const reason = 'Aftalt med skolen';

beforeAll(async () => {
  server = await startTestServer();
  w = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 3 });
  for (const [k, u] of Object.entries({ a: w.invigilatorA, b: w.invigilatorB, admin: w.schoolAdmin, grader: w.grader, ministry: w.ministry, cand: w.candidates[0] })) {
    cookie[k] = await loginOverHttp(server.url, u.username, u.password);
  }
});
afterAll(async () => { await server.closeAll(); });

const post = (who: string, path: string, body: unknown) => postJson(server.url, `/api/invigilation${path}`, cookie[who], body);
const examView = async (c: { username: string; password: string; registrationId: number }) => {
  const ck = await loginOverHttp(server.url, c.username, c.password);
  return (await fetch(`${server.url}/api/exam/registrations/${c.registrationId}`, { headers: { cookie: ck } })).json();
};

describe('invigilator actions: allow and deny', () => {
  const actions: [string, unknown][] = [
    ['extra-time', { minutes: 10, reason }], ['pause', { reason }], ['resume', { reason }], ['access-code', { reason }],
    ['device-switch', { reason }], ['absent', { kind: 'ill', reason }], ['reopen', { reason }],
  ];

  it('an invigilator of room B cannot act on a candidate in room A (404), for every action', async () => {
    for (const [path, body] of actions) {
      const res = await post('b', `/registrations/${w.candidates[1].registrationId}/${path}`, body);
      expect(res.status, path).toBe(404);
    }
    expect((await post('b', `/sittings/${w.sittingId}/rooms/${w.roomA}/extra-time`, { minutes: 5, reason })).status).toBe(404);
    expect((await post('b', `/sittings/${w.sittingId}/rooms/${w.roomA}/end`, { reason })).status).toBe(404);
    expect((await post('b', `/sittings/${w.sittingId}/rooms/${w.roomA}/incidents`, { note: 'Uro i lokalet' })).status).toBe(404);
  });

  it('other roles are refused (403), for every action', async () => {
    for (const who of ['admin', 'grader', 'ministry', 'cand']) {
      for (const [path, body] of actions) {
        expect((await post(who, `/registrations/${w.candidates[1].registrationId}/${path}`, body)).status, `${who} ${path}`).toBe(403);
      }
    }
  });

  it('requires a reason', async () => {
    const res = await post('a', `/registrations/${w.candidates[1].registrationId}/extra-time`, { minutes: 10 });
    expect(res.status).toBe(400);
    expect((await res.json()).field).toBe('reason');
  });

  it('extra time moves the candidate\'s end at once and is audited', async () => {
    const c = w.candidates[1];
    const before = new Date((await examView(c)).endsAt).getTime();
    const res = await post('a', `/registrations/${c.registrationId}/extra-time`, { minutes: 10, reason });
    expect(res.status).toBe(200);
    expect(new Date((await examView(c)).endsAt).getTime() - before).toBe(10 * 60_000);
    const { rows } = await server.deps.db.query("SELECT actor_id, details FROM audit_events WHERE action = 'invigilation.extra_time' AND subject_id = $1", [String(c.registrationId)]);
    expect(rows[0]).toMatchObject({ actor_id: w.invigilatorA.id, details: { minutes: 10, reason } });
  });

  it('pause then resume adds the paused time back', async () => {
    const c = w.candidates[2];
    const before = new Date((await examView(c)).endsAt).getTime();
    expect((await post('a', `/registrations/${c.registrationId}/pause`, { reason })).status).toBe(200);
    expect((await examView(c)).paused).toBe(true);
    expect((await post('a', `/registrations/${c.registrationId}/pause`, { reason })).status).toBe(409);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post('a', `/registrations/${c.registrationId}/resume`, { reason })).status).toBe(200);
    const after = await examView(c);
    expect(after.paused).toBe(false);
    expect(new Date(after.endsAt).getTime() - before).toBeGreaterThanOrEqual(1000);
  });

  it('a one-time access code from the invigilator signs the candidate in', async () => {
    const res = await post('a', `/registrations/${w.candidates[2].registrationId}/access-code`, { reason: 'Glemt adgangskode' });
    const { code } = await res.json();
    const login = await fetch(`${server.url}/api/auth/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect(login.status).toBe(200);
  });

  it('reopens a hand-in within the window, and the candidate can write again', async () => {
    const c = await buildCandidate(server.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
    const ck = await loginOverHttp(server.url, c.username, c.password);
    const hand = await postJson(server.url, `/api/exam/registrations/${c.registrationId}/hand-in`, ck, { confirm: true });
    expect(hand.status).toBe(200);
    expect((await post('a', `/registrations/${c.registrationId}/reopen`, { reason: 'Afleverede ved en fejl' })).status).toBe(200);
    expect((await examView(c)).phase).toBe('writing');
    const client = new AnswerClient(server.url, c.registrationId, ck);
    await client.waitFor(() => client.provider.synced, 'sync');
    client.type('Efter genåbning.');
    await client.waitSaved();
    client.destroy();
  });

  it('marks absent and ill; an ill candidate cannot open the answer', async () => {
    const c = await buildCandidate(server.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
    expect((await post('a', `/registrations/${c.registrationId}/absent`, { kind: 'ill', reason: 'Gik hjem syg' })).status).toBe(200);
    const client = new AnswerClient(server.url, c.registrationId, await loginOverHttp(server.url, c.username, c.password));
    await client.waitClosed(4410);
    client.destroy();
  });
});

describe('the live room', () => {
  function openRoom(who: string, roomId = w.roomA) {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/invigilate/${w.sittingId}/${roomId}`, { headers: { cookie: cookie[who] } });
    const messages: any[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    return { ws, messages, closed };
  }
  const waitFor = async (pred: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!pred()) { if (Date.now() > end) throw new Error('timeout'); await new Promise((r) => setTimeout(r, 20)); }
  };

  it('refuses an invigilator of another room and other roles', async () => {
    expect(await openRoom('b').closed).toBe(4404);
    expect(await openRoom('cand').closed).toBe(4403);
  });

  it('shows a snapshot, then a candidate connecting and disconnecting within 5 s, pushed', async () => {
    const room = openRoom('a');
    await waitFor(() => room.messages.some((m) => m.type === 'snapshot'), 5000);
    const snap = room.messages.find((m) => m.type === 'snapshot');
    expect(snap.candidates.length).toBeGreaterThanOrEqual(3);
    expect(snap.candidates[0]).toHaveProperty('name');

    const c = w.candidates[0];
    const client = new AnswerClient(server.url, c.registrationId, cookie.cand);
    await client.waitFor(() => client.provider.synced, 'sync');
    await waitFor(() => room.messages.some((m) => m.event?.type === 'candidate.connected' && m.event.registrationId === c.registrationId), 5000);
    const t0 = Date.now();
    client.destroy();
    await waitFor(() => room.messages.some((m) => m.event?.type === 'candidate.disconnected' && m.event.registrationId === c.registrationId), 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    room.ws.close();
  });

  it('sends a fresh candidate row when an invigilator changes the registration', async () => {
    const room = openRoom('a');
    await waitFor(() => room.messages.some((m) => m.type === 'snapshot'), 5000);
    await post('a', `/registrations/${w.candidates[0].registrationId}/extra-time`, { minutes: 5, reason });
    await waitFor(() => room.messages.some((m) => m.type === 'candidate' && m.candidate.registrationId === w.candidates[0].registrationId), 5000);
    room.ws.close();
  });
});
