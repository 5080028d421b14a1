import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerClose, LiveRoomClose } from '../../src/protocol/closeCodes.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { postJson } from '../support/http.ts';
import { openLiveSocket } from '../support/liveSocket.ts';
import { storedAnswerText } from '../support/storedAnswer.ts';
import { startTestServer } from '../support/testApp.ts';

/** docs/rules.md §1: when a session ends, so do its sockets, within 5 s; what was saved stays saved. */
let server: Awaited<ReturnType<typeof startTestServer>>;
let world: Awaited<ReturnType<typeof buildWorld>>;
const clients: AnswerClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  world = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 60, candidates: 4 });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.closeAll();
});

async function writing(i: number) {
  const pupil = world.candidates[i];
  const cookie = await sessionCookie(server.deps.db, pupil);
  const c = new AnswerClient(server.url, pupil.registrationId, cookie);
  clients.push(c);
  c.type(`Gemt før sessionen sluttede (${i}).`);
  await c.waitSaved();
  return { pupil, cookie, c };
}

const within5s = async (c: AnswerClient) => {
  const t0 = Date.now();
  await c.waitClosed(AnswerClose.unauthenticated.code, 5_000);
  return Date.now() - t0;
};

describe('the end of a session closes its sockets', () => {
  it("logout closes the pupil's answer socket with 4401 and keeps what was saved", async () => {
    const { pupil, cookie, c } = await writing(0);
    expect((await postJson(server.url, '/api/auth/logout', cookie, {})).status).toBe(200);
    expect(await within5s(c)).toBeLessThan(5_000);
    expect(await storedAnswerText(server.deps.db, pupil.registrationId)).toContain('Gemt før sessionen sluttede (0).');
  });

  it('a password reset by the school ends every session of the pupil', async () => {
    const { pupil, c } = await writing(1);
    const admin = await sessionCookie(server.deps.db, world.schoolAdmin);
    const { rows } = await server.deps.db.query('SELECT candidate_id FROM registrations WHERE id = $1', [pupil.registrationId]);
    const reset = await postJson(server.url, `/api/schools/candidates/${rows[0].candidate_id}/password`, admin, { password: 'nyt-kodeord-1234' });
    expect(reset.status).toBe(200);
    await within5s(c);
  });

  it('an expired session and a disabled user are noticed without any request', async () => {
    const expiring = await writing(2);
    await server.deps.db.query("UPDATE sessions SET expires_at = now() + interval '1 second' WHERE user_id = $1", [expiring.pupil.id]);
    const disabled = await writing(3);
    await server.deps.db.query('UPDATE users SET disabled = true WHERE id = $1', [disabled.pupil.id]);
    await Promise.all([within5s(expiring.c), within5s(disabled.c)]);
  });

  it("logout closes the invigilator's live room", async () => {
    const cookie = await sessionCookie(server.deps.db, world.invigilatorA);
    const room = openLiveSocket(`${server.url}/ws/invigilate/${world.sittingId}/${world.roomA}`, cookie);
    await new Promise((r) => room.ws.once('open', r));
    expect((await postJson(server.url, '/api/auth/logout', cookie, {})).status).toBe(200);
    const t0 = Date.now();
    expect(await room.closed).toBe(LiveRoomClose.unauthenticated.code);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
