import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../src/events/bus.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { buildCandidate, buildWorld } from '../support/factories.ts';
import { loginOverHttp, postJson } from '../support/http.ts';
import { startTestServer } from '../support/testApp.ts';

/** The invigilators' live room websocket on a real server (docs/rules.md §5): snapshot, pushed deltas, who may watch. */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let w: Awaited<ReturnType<typeof buildWorld>>;
const cookie: Record<string, string> = {};
const startsAt = new Date(Date.now() - 60_000);

beforeAll(async () => {
  server = await startTestServer();
  w = await buildWorld(server.deps.db, { startsAt, durationMinutes: 120, candidates: 3 });
  for (const [k, u] of Object.entries({ a: w.invigilatorA, b: w.invigilatorB, admin: w.schoolAdmin, grader: w.grader, ministry: w.ministry, cand: w.candidates[0] })) {
    cookie[k] = await loginOverHttp(server.url, u.username, u.password);
  }
});
afterAll(async () => { await server.closeAll(); });

function openRoom(who: string, path = `${w.sittingId}/${w.roomA}`) {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/invigilate/${path}`, { headers: cookie[who] ? { cookie: cookie[who] } : {} });
  const messages: any[] = [];
  let pings = 0;
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  ws.on('ping', () => pings++);
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  return { ws, messages, closed, pings: () => pings };
}
const waitFor = async (pred: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!pred()) { if (Date.now() > end) throw new Error(`timed out: ${what}`); await new Promise((r) => setTimeout(r, 20)); }
};
const eventOf = (room: ReturnType<typeof openRoom>, type: string, registrationId: number) =>
  room.messages.find((m) => m.type === 'event' && m.event.type === type && m.event.registrationId === registrationId)?.event;

describe('who may watch', () => {
  it('closes with 4401 without a session, 4403 for candidate, grader, school admin and ministry, 4404 for another invigilator\'s room', async () => {
    expect(await openRoom('nobody').closed).toBe(4401);
    for (const who of ['cand', 'grader', 'admin', 'ministry']) expect(await openRoom(who).closed, who).toBe(4403);
    expect(await openRoom('b').closed).toBe(4404);
    expect(await openRoom('a', `${w.sittingId}/${w.roomB}`).closed).toBe(4404);
    expect(await openRoom('a', `${w.sittingId}/abc`).closed).toBe(4404);
  });
});

describe('the live room', () => {
  it('sends a snapshot of every candidate of the room with name, state, presence, words and individual end', async () => {
    const late = await buildCandidate(server.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA, extraMinutes: 30 });
    const room = openRoom('a');
    await waitFor(() => room.messages.some((m) => m.type === 'snapshot'), 5000, 'snapshot');
    const snap = room.messages[0];
    expect(snap.type).toBe('snapshot');
    const ids = snap.candidates.map((c: { registrationId: number }) => c.registrationId).sort();
    expect(ids).toEqual([...w.candidates.map((c) => c.registrationId), late.registrationId].sort());
    const row = snap.candidates.find((c: { registrationId: number }) => c.registrationId === late.registrationId);
    expect(row).toMatchObject({
      name: expect.any(String), examNumber: expect.any(String), state: 'not_arrived', connected: false, presenceSince: null,
      lastSavedAt: null, words: 0, extraMinutes: 30, paused: false, locked: null, lockdownEvents: [],
      endsAt: new Date(startsAt.getTime() + (120 + 30) * 60_000).toISOString(),
    });
    room.ws.close();
  });

  it('pushes a candidate connecting, saving (with words) and disconnecting, each within 5 s', async () => {
    const room = openRoom('a');
    await waitFor(() => room.messages.some((m) => m.type === 'snapshot'), 5000, 'snapshot');
    const c = w.candidates[0];
    const client = new AnswerClient(server.url, c.registrationId, cookie.cand);
    await client.waitSynced();
    await waitFor(() => !!eventOf(room, 'candidate.connected', c.registrationId), 5000, 'connected');
    client.type('Tre små ord');
    await waitFor(() => !!eventOf(room, 'candidate.saved', c.registrationId), 5000, 'saved');
    expect(eventOf(room, 'candidate.saved', c.registrationId).words).toBe(3);
    const t0 = Date.now();
    client.destroy();
    await waitFor(() => !!eventOf(room, 'candidate.disconnected', c.registrationId), 5000, 'disconnected');
    expect(Date.now() - t0).toBeLessThan(5000);

    // A viewer who arrives afterwards gets the same picture from the snapshot.
    const later = openRoom('a');
    await waitFor(() => later.messages.some((m) => m.type === 'snapshot'), 5000, 'snapshot');
    const row = later.messages[0].candidates.find((x: { registrationId: number }) => x.registrationId === c.registrationId);
    expect(row).toMatchObject({ state: 'writing', connected: false, words: 3, presenceSince: expect.any(String), lastSavedAt: expect.any(String) });
    room.ws.close(); later.ws.close();
  });

  it('forwards a lockdown event published on the room channel within 5 s to that room only', async () => {
    const room = openRoom('a');
    const other = openRoom('b', `${w.sittingId}/${w.roomB}`);
    await waitFor(() => room.messages.some((m) => m.type === 'snapshot') && other.messages.some((m) => m.type === 'snapshot'), 5000, 'snapshots');
    const id = w.candidates[1].registrationId;
    await server.deps.bus.publish(channels.room(w.sittingId, w.roomA), { type: 'lockdown', registrationId: id, eventType: 'left_fullscreen', at: new Date().toISOString(), durationMs: 1200 });
    await waitFor(() => !!eventOf(room, 'lockdown', id), 5000, 'lockdown event');
    expect(eventOf(room, 'lockdown', id)).toMatchObject({ eventType: 'left_fullscreen', durationMs: 1200 });
    await new Promise((r) => setTimeout(r, 100));
    expect(other.messages.filter((m) => m.type === 'event')).toEqual([]); // another room's viewers hear nothing of it
    room.ws.close(); other.ws.close();
  });

  it('sends a re-read candidate row after an invigilator action, with the new end time', async () => {
    const room = openRoom('a');
    await waitFor(() => room.messages.some((m) => m.type === 'snapshot'), 5000, 'snapshot');
    const id = w.candidates[2].registrationId;
    const before = room.messages[0].candidates.find((c: { registrationId: number }) => c.registrationId === id).endsAt;
    await postJson(server.url, `/api/invigilation/registrations/${id}/extra-time`, cookie.a, { minutes: 5, reason: 'Ordblind' });
    await waitFor(() => room.messages.some((m) => m.type === 'candidate' && m.candidate.registrationId === id), 5000, 'row');
    const row = room.messages.find((m) => m.type === 'candidate').candidate;
    expect(new Date(row.endsAt).getTime() - new Date(before).getTime()).toBe(5 * 60_000);
    expect(row.extraMinutes).toBe(5);
    room.ws.close();
  });

  it('shows a candidate whose node died (connected row, heartbeat stopped) as disconnected since the last heartbeat', async () => {
    const c = await buildCandidate(server.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
    await server.deps.db.query(
      `INSERT INTO presence (registration_id, connected, node_id, changed_at, heartbeat_at) VALUES ($1, true, 'dead-node', now() - interval '40 s', now())`, [c.registrationId]);
    const room = openRoom('a');
    await waitFor(() => room.messages.some((m) => m.type === 'snapshot'), 5000, 'snapshot');
    expect(room.messages[0].candidates.find((x: { registrationId: number }) => x.registrationId === c.registrationId).connected).toBe(true);
    // The node stops beating: 20 s ago is past the 15 s staleness.
    const { rows: [{ hb }] } = await server.deps.db.query(`UPDATE presence SET heartbeat_at = now() - interval '20 s' WHERE registration_id = $1 RETURNING heartbeat_at AS hb`, [c.registrationId]);
    await waitFor(() => !!eventOf(room, 'candidate.disconnected', c.registrationId), 8000, 'node-lost disconnect');
    expect(eventOf(room, 'candidate.disconnected', c.registrationId)).toMatchObject({ at: hb.toISOString(), reason: 'node-lost' });
    // Announced once, not on every check.
    await new Promise((r) => setTimeout(r, 5500));
    expect(room.messages.filter((m) => m.event?.type === 'candidate.disconnected' && m.event.registrationId === c.registrationId)).toHaveLength(1);
    room.ws.close();
  }, 20_000);

  it('pings the viewer so a dead invigilator socket is noticed', async () => {
    const room = openRoom('a');
    await waitFor(() => room.pings() >= 1, 5000, 'ping');
    room.ws.close();
  });
});
