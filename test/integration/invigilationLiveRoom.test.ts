import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../src/events/bus.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { buildCandidate, buildWorld, sessionCookie } from '../support/factories.ts';
import { postJson } from '../support/http.ts';
import { openLiveSocket, type LiveSocket } from '../support/liveSocket.ts';
import { until } from '../support/poll.ts';
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
  for (const [k, u] of Object.entries({
    a: w.invigilatorA,
    b: w.invigilatorB,
    admin: w.schoolAdmin,
    grader: w.grader,
    ministry: w.ministry,
    cand: w.candidates[0],
  })) {
    cookie[k] = await sessionCookie(server.deps.db, u);
  }
});
afterAll(async () => {
  await server.closeAll();
});

const openRoom = (who: string, path = `${w.sittingId}/${w.roomA}`) => openLiveSocket(`${server.url}/ws/invigilate/${path}`, cookie[who]);
const snapshotOf = async (room: LiveSocket) => until(room.snapshot, { what: 'snapshot', detail: () => room.messages });
const eventOf = (room: LiveSocket, type: string, registrationId: number) => room.events(type, registrationId)[0];
const awaitEvent = (room: LiveSocket, type: string, registrationId: number, timeoutMs = 5000) =>
  until(() => eventOf(room, type, registrationId), { what: `${type} of ${registrationId}`, timeoutMs, detail: () => room.messages });
const rowOf = <R extends { registrationId: number }>(rows: R[] | undefined, id: number) => rows?.find((r) => r.registrationId === id);

describe('who may watch', () => {
  it("closes with 4401 without a session, 4403 for candidate, grader, school admin and ministry, 4404 for another invigilator's room", async () => {
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
    const snap = await snapshotOf(room);
    expect(room.messages[0]).toBe(snap);
    const ids = snap.candidates!.map((c) => c.registrationId).sort();
    expect(ids).toEqual([...w.candidates.map((c) => c.registrationId), late.registrationId].sort());
    const row = rowOf(snap.candidates, late.registrationId);
    expect(row).toMatchObject({
      name: expect.any(String),
      examNumber: expect.any(String),
      state: 'not_arrived',
      connected: false,
      presenceSince: null,
      lastSavedAt: null,
      words: 0,
      extraMinutes: 30,
      paused: false,
      locked: null,
      lockdownEvents: [],
      endsAt: new Date(startsAt.getTime() + (120 + 30) * 60_000).toISOString(),
    });
    room.ws.close();
  });

  it('pushes a candidate connecting, saving (with words) and disconnecting, each within 5 s', async () => {
    const room = openRoom('a');
    await snapshotOf(room);
    const c = w.candidates[0];
    const client = new AnswerClient(server.url, c.registrationId, cookie.cand);
    await client.waitSynced();
    await awaitEvent(room, 'candidate.connected', c.registrationId);
    client.type('Tre små ord');
    expect((await awaitEvent(room, 'candidate.saved', c.registrationId)).words).toBe(3);
    const t0 = Date.now();
    client.destroy();
    await awaitEvent(room, 'candidate.disconnected', c.registrationId);
    expect(Date.now() - t0).toBeLessThan(5000);

    // A viewer who arrives afterwards gets the same picture from the snapshot.
    const later = openRoom('a');
    const row = rowOf((await snapshotOf(later)).candidates, c.registrationId);
    expect(row).toMatchObject({ state: 'writing', connected: false, words: 3, presenceSince: expect.any(String), lastSavedAt: expect.any(String) });
    room.ws.close();
    later.ws.close();
  });

  it('forwards a lockdown event published on the room channel within 5 s to that room only', async () => {
    const room = openRoom('a');
    const other = openRoom('b', `${w.sittingId}/${w.roomB}`);
    await Promise.all([snapshotOf(room), snapshotOf(other)]);
    const id = w.candidates[1].registrationId;
    const at = new Date().toISOString();
    await server.deps.bus.publish(channels.room(w.sittingId, w.roomA), {
      type: 'lockdown',
      registrationId: id,
      eventType: 'left_fullscreen',
      at,
      durationMs: 1200,
    });
    // Room B's own event, published after, is the marker: on B's socket a leaked room-A event would come before it.
    const marker = { type: 'lockdown', registrationId: 0, eventType: 'focus_lost', at, durationMs: null } as const;
    await server.deps.bus.publish(channels.room(w.sittingId, w.roomB), marker);
    expect(await awaitEvent(room, 'lockdown', id)).toMatchObject({ eventType: 'left_fullscreen', durationMs: 1200 });
    await awaitEvent(other, 'lockdown', 0);
    expect(other.messages.filter((m) => m.type === 'event').map((m) => m.event)).toEqual([marker]);
    room.ws.close();
    other.ws.close();
  });

  it('sends a re-read candidate row after an invigilator action, with the new end time', async () => {
    const room = openRoom('a');
    const id = w.candidates[2].registrationId;
    const before = rowOf((await snapshotOf(room)).candidates, id)!.endsAt;
    expect((await postJson(server.url, `/api/invigilation/registrations/${id}/extra-time`, cookie.a, { minutes: 5, reason: 'Ordblind' })).status).toBe(200);
    const row = (
      await until(() => room.messages.find((m) => m.type === 'candidate' && m.candidate?.registrationId === id), {
        what: 're-read row',
        detail: () => room.messages,
      })
    ).candidate!;
    expect(new Date(row.endsAt).getTime() - new Date(before).getTime()).toBe(5 * 60_000);
    expect(row.extraMinutes).toBe(5);
    room.ws.close();
  });

  it('shows a candidate whose node died (connected row, heartbeat stopped) as disconnected since the last heartbeat, announced once', async () => {
    const [c, witness] = [
      await buildCandidate(server.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA }),
      await buildCandidate(server.deps.db, { schoolId: w.schoolId, sittingId: w.sittingId, roomId: w.roomA }),
    ];
    const connectedOnDeadNode = (id: number) =>
      server.deps.db.query(
        `INSERT INTO presence (registration_id, connected, node_id, changed_at, heartbeat_at) VALUES ($1, true, 'dead-node', now() - interval '40 s', now())`,
        [id],
      );
    await connectedOnDeadNode(c.registrationId);
    const room = openRoom('a');
    expect(rowOf((await snapshotOf(room)).candidates, c.registrationId)!.connected).toBe(true);
    // The node stops beating: 20 s ago is past the 15 s staleness.
    const stale = async (id: number) =>
      (
        await server.deps.db.query<{ hb: Date }>(
          `UPDATE presence SET heartbeat_at = now() - interval '20 s' WHERE registration_id = $1 RETURNING heartbeat_at AS hb`,
          [id],
        )
      ).rows[0].hb;
    const hb = await stale(c.registrationId);
    expect(await awaitEvent(room, 'candidate.disconnected', c.registrationId, 8000)).toMatchObject({ at: hb.toISOString(), reason: 'node-lost' });
    // Announced once, not on every check: a second stale row, made stale only now, is announced by a later check,
    // and that check also saw the first row, still stale.
    await connectedOnDeadNode(witness.registrationId);
    await stale(witness.registrationId);
    await awaitEvent(room, 'candidate.disconnected', witness.registrationId, 8000);
    // That check sent all it had to say in one go; an event published now reaches the socket after all of it.
    await server.deps.bus.publish(channels.room(w.sittingId, w.roomA), {
      type: 'lockdown',
      registrationId: 0,
      eventType: 'focus_lost',
      at: new Date().toISOString(),
      durationMs: null,
    });
    await awaitEvent(room, 'lockdown', 0);
    expect(room.events('candidate.disconnected', c.registrationId)).toHaveLength(1);
    room.ws.close();
  }, 20_000);

  it('pings the viewer so a dead invigilator socket is noticed', async () => {
    const room = openRoom('a');
    await until(() => room.pings() >= 1, { what: 'a ping from the server' });
    room.ws.close();
  });
});
