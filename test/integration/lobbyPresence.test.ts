import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LOBBY_LEAVE_GRACE_MS } from '../../src/sync/lobbyHub.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { buildCandidate, buildWorld, sessionCookie } from '../support/factories.ts';
import { openLiveSocket, type LiveSocket } from '../support/liveSocket.ts';
import { until } from '../support/poll.ts';
import { startTestServer } from '../support/testApp.ts';

/** The lobby's presence socket (docs/protocol.md): a pupil waiting for the start is present in the live room. */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let w: Awaited<ReturnType<typeof buildWorld>>;
const cookie: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  // The lobby is open (30 min before the start) and stays so for the whole file.
  w = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() + 10 * 60_000), candidates: 3 });
  cookie.a = await sessionCookie(server.deps.db, w.invigilatorA);
  for (const [i, c] of w.candidates.entries()) cookie[`c${i}`] = await sessionCookie(server.deps.db, c);
});
afterAll(async () => {
  await server.closeAll();
});

function openLobby(registrationId: number, who?: string, device = 'lobby-device-1') {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/lobby/${registrationId}?device=${device}`, {
    headers: who ? { cookie: cookie[who] } : {},
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve) => ws.on('open', () => resolve()));
  return { ws, closed, opened };
}
const openRoom = () => openLiveSocket(`${server.url}/ws/invigilate/${w.sittingId}/${w.roomA}`, cookie.a);
const rowOf = async (room: LiveSocket, id: number) =>
  (await until(room.snapshot, { what: 'snapshot', detail: () => room.messages })).candidates!.find((c) => c.registrationId === id)!;
const awaitEvent = (room: LiveSocket, type: string, id: number, timeoutMs = 5_000) =>
  until(() => room.events(type, id)[0], { what: `${type} of ${id}`, timeoutMs, detail: () => room.messages });

describe('who may hold a lobby presence socket', () => {
  it('closes with 4401 without a session, 4403 for an invigilator, 4404 for another pupil’s registration, 4410 once the exam has started', async () => {
    const id = w.candidates[0].registrationId;
    expect(await openLobby(id).closed).toBe(4401);
    const asInvigilator = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/lobby/${id}`, { headers: { cookie: cookie.a } });
    expect(await new Promise((r) => asInvigilator.on('close', r))).toBe(4403);
    expect(await openLobby(id, 'c1').closed).toBe(4404);
    const started = await buildCandidate(server.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
    await server.deps.db.query("UPDATE sittings SET starts_at = now() - interval '1 minute' WHERE id = $1", [w.sittingId]);
    try {
      const startedCookie = await sessionCookie(server.deps.db, started);
      const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/lobby/${started.registrationId}`, { headers: { cookie: startedCookie } });
      expect(await new Promise((r) => ws.on('close', r))).toBe(4410);
    } finally {
      await server.deps.db.query("UPDATE sittings SET starts_at = now() + interval '10 minutes' WHERE id = $1", [w.sittingId]);
    }
  });
});

describe('a pupil waiting in the lobby', () => {
  it('shows in the live room as connected and waiting, pushed to an open room and in the snapshot of a room opened later', async () => {
    const id = w.candidates[0].registrationId;
    const room = openRoom();
    expect(await rowOf(room, id)).toMatchObject({ connected: false, presenceSince: null });
    const lobby = openLobby(id, 'c0');
    await lobby.opened;
    await awaitEvent(room, 'candidate.connected', id);
    expect(await awaitEvent(room, 'candidate.state', id)).toMatchObject({ state: 'lobby' });

    const later = openRoom();
    expect(await rowOf(later, id)).toMatchObject({ connected: true, state: 'lobby', presenceSince: expect.any(String) });
    lobby.ws.close();
    room.ws.close();
    later.ws.close();
  });

  it('a reload (the new socket opens before the old one closes) is never reported as gone; leaving for good is, within 5 s', async () => {
    const id = w.candidates[1].registrationId;
    const room = openRoom();
    await rowOf(room, id);
    const first = openLobby(id, 'c1');
    await first.opened;
    await awaitEvent(room, 'candidate.connected', id);
    const second = openLobby(id, 'c1');
    await second.opened;
    await until(() => room.events('candidate.connected', id).length === 2, { what: 'second connect', detail: () => room.messages });
    first.ws.close();
    await first.closed;
    await new Promise((r) => setTimeout(r, LOBBY_LEAVE_GRACE_MS + 1_000));
    expect(room.events('candidate.disconnected', id)).toEqual([]);
    const fresh = openRoom();
    expect(await rowOf(fresh, id)).toMatchObject({ connected: true });

    const t0 = Date.now();
    second.ws.close();
    await awaitEvent(room, 'candidate.disconnected', id);
    expect(Date.now() - t0).toBeLessThan(5_000);
    room.ws.close();
    fresh.ws.close();
  });

  it('a reload whose old socket closes first comes back within the grace and is not reported as gone', async () => {
    const id = w.candidates[2].registrationId;
    const room = openRoom();
    await rowOf(room, id);
    const first = openLobby(id, 'c2');
    await first.opened;
    await awaitEvent(room, 'candidate.connected', id);
    first.ws.close();
    await first.closed;
    const second = openLobby(id, 'c2');
    await second.opened;
    await new Promise((r) => setTimeout(r, LOBBY_LEAVE_GRACE_MS + 1_000));
    expect(room.events('candidate.disconnected', id)).toEqual([]);
    second.ws.close();
    room.ws.close();
  });

  it('the device waiting in the lobby holds the answer: another device is refused with 4412, the same one moves into the exam without being reported gone', async () => {
    const pupil = await buildCandidate(server.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA });
    cookie.p = await sessionCookie(server.deps.db, pupil);
    const room = openRoom();
    await rowOf(room, pupil.registrationId);
    const lobby = openLobby(pupil.registrationId, 'p', 'device-one-aaaa');
    await lobby.opened;
    await until(
      async () => (await server.deps.db.query('SELECT connected FROM presence WHERE registration_id = $1', [pupil.registrationId])).rows[0]?.connected,
      { what: 'presence row' },
    );
    expect(await openLobby(pupil.registrationId, 'p', 'device-two-bbbb').closed).toBe(4412);
    lobby.ws.close();
    // Once the exam starts, the same device's answer socket gets in (the lobby did not hold it against itself).
    await server.deps.db.query("UPDATE sittings SET starts_at = now() - interval '1 second' WHERE id = $1", [w.sittingId]);
    try {
      const client = new AnswerClient(server.url, pupil.registrationId, cookie.p, undefined, { device: 'device-one-aaaa' });
      await client.waitSynced();
      await new Promise((r) => setTimeout(r, LOBBY_LEAVE_GRACE_MS + 1_000));
      expect(room.events('candidate.disconnected', pupil.registrationId)).toEqual([]);
      expect(await rowOf(openRoom(), pupil.registrationId)).toMatchObject({ connected: true, state: 'writing' });
      client.destroy();
      room.ws.close();
    } finally {
      await server.deps.db.query("UPDATE sittings SET starts_at = now() + interval '10 minutes' WHERE id = $1", [w.sittingId]);
    }
  });
});
