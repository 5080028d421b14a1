import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { channels } from '../../src/events/bus.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { postJson } from '../support/http.ts';
import { openLiveSocket, type LiveMessage, type LiveSocket } from '../support/liveSocket.ts';
import { until } from '../support/poll.ts';
import { startTestServer } from '../support/testApp.ts';

/** The live room's event feed (stored, replayed on opening) and its fresh saved figures (docs/rules.md §5). */
type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let w: Awaited<ReturnType<typeof buildWorld>>;
const cookie: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  w = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 4 });
  cookie.a = await sessionCookie(server.deps.db, w.invigilatorA);
  for (const [i, c] of w.candidates.entries()) cookie[`c${i}`] = await sessionCookie(server.deps.db, c);
});
afterAll(async () => {
  await server.closeAll();
});

type Stored = { type: string; seq: number; registrationId: number | null; what?: string; state?: string; eventType?: string };
const openRoom = () => openLiveSocket(`${server.url}/ws/invigilate/${w.sittingId}/${w.roomA}`, cookie.a);
const snapshotOf = (room: LiveSocket) => until(room.snapshot, { what: 'snapshot', detail: () => room.messages });
const feedOf = (m: LiveMessage) => (m as LiveMessage & { feed?: Stored[] }).feed;
const act = async (id: number, action: string, body: Record<string, unknown> = {}) =>
  expect((await postJson(server.url, `/api/invigilation/registrations/${id}/${action}`, cookie.a, { reason: 'Prøvedag', ...body })).status).toBe(200);

describe('the event feed', () => {
  it('stores hand-ins, extra time, pauses, device switches, absences and lockdown events, and replays them to a room opened afterwards', async () => {
    const [c0, c1, c2] = w.candidates;
    const before = openRoom();
    await snapshotOf(before);

    await act(c0.registrationId, 'extra-time', { minutes: 10 });
    await act(c1.registrationId, 'pause');
    await act(c1.registrationId, 'resume');
    await act(c1.registrationId, 'device-switch');
    await act(c2.registrationId, 'absent', { kind: 'ill' });
    await server.deps.bus.publish(channels.room(w.sittingId, w.roomA), {
      type: 'lockdown',
      registrationId: c0.registrationId,
      eventType: 'left_fullscreen',
      at: new Date().toISOString(),
      durationMs: 900,
    });
    const pupil = new AnswerClient(server.url, c0.registrationId, cookie.c0);
    await pupil.waitSynced();
    pupil.type('Færdig.');
    await pupil.waitSaved();
    expect((await postJson(server.url, `/api/exam/registrations/${c0.registrationId}/hand-in`, cookie.c0, { confirm: true })).status).toBe(200);
    pupil.destroy();

    const expected = [
      { type: 'candidate.changed', registrationId: c0.registrationId, what: 'extra_time' },
      { type: 'candidate.changed', registrationId: c1.registrationId, what: 'pause' },
      { type: 'candidate.changed', registrationId: c1.registrationId, what: 'resume' },
      { type: 'candidate.changed', registrationId: c1.registrationId, what: 'device_switch_allowed' },
      { type: 'candidate.changed', registrationId: c2.registrationId, what: 'marked_ill' },
      { type: 'lockdown', registrationId: c0.registrationId, eventType: 'left_fullscreen' },
      { type: 'candidate.state', registrationId: c0.registrationId, state: 'handed_in' },
    ];
    await until(() => before.messages.some((m) => m.event?.type === 'candidate.state' && (m.event as { state?: string }).state === 'handed_in'), {
      what: 'the hand-in, live',
    });
    // The invigilator reloads: a new live-room socket gets the stored events in its snapshot, oldest first.
    const after = openRoom();
    const feed = feedOf(await snapshotOf(after))!;
    expect(feed).toMatchObject(expected);
    expect(feed.every((e) => Number.isInteger(e.seq))).toBe(true);
    // The room that was open saw the same events live, with the same seq: a replay and its live event are one entry.
    const live = before.messages.flatMap((m) => (m.type === 'event' && 'seq' in m.event! ? [m.event as unknown as Stored] : []));
    expect(live.map((e) => e.seq)).toEqual(feed.map((e) => e.seq));
    // Presence and saves are the rows' state, never feed entries.
    expect(feed.some((e) => /connected|saved/.test(e.type))).toBe(false);
    before.ws.close();
    after.ws.close();
  });
});

describe('"Sidst gemt" and "Ord" in the live room', () => {
  it("follow the pupil's own screen within 2 s of each acknowledged save, keystroke after keystroke", async () => {
    const c = w.candidates[3];
    const room = openRoom();
    await snapshotOf(room);
    const pupil = new AnswerClient(server.url, c.registrationId, cookie.c3);
    await pupil.waitSynced();
    pupil.type('Et');
    const text = (pupil.text.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const savedWords = () => room.events('candidate.saved', c.registrationId).map((e) => e.words);
    const lags: number[] = [];
    for (let words = 2; words <= 6; words++) {
      if (words > 2) text.insert(text.length, ` ord${words}`);
      else text.insert(text.length, ' to');
      await pupil.waitSaved();
      const acked = Date.now(); // the pupil's screen says "Gemt" now
      await until(() => savedWords().includes(words), { what: `${words} words in the room`, timeoutMs: 2_000, detail: savedWords });
      lags.push(Date.now() - acked);
    }
    expect(Math.max(...lags)).toBeLessThan(2_000);

    // A room opened now (a reload) shows the same figures, although they are written to PostgreSQL more rarely.
    const reloaded = openRoom();
    const row = (await snapshotOf(reloaded)).candidates!.find((r) => r.registrationId === c.registrationId)!;
    expect(row.words).toBe(6);
    expect(row.lastSavedAt).toBe(room.events('candidate.saved', c.registrationId).at(-1)!.at);
    pupil.destroy();
    room.ws.close();
    reloaded.ws.close();
  });
});
