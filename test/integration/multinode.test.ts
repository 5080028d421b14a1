import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedAnswerText } from '../support/storedAnswer.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { postJson } from '../support/http.ts';
import { openLiveSocket } from '../support/liveSocket.ts';
import { until } from '../support/poll.ts';
import { spawnServer, type ServerProcess } from '../support/serverProcess.ts';

/**
 * Two app nodes as separate processes sharing one PostgreSQL and one Redis (docs/rules.md §9): what one node sees,
 * the other node's users see; a candidate may reconnect to either node and lose nothing.
 */
let database: TestDatabase;
let node1: ServerProcess;
let node2: ServerProcess;
let w: Awaited<ReturnType<typeof buildWorld>>;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  // A channel prefix of its own: other test runs may share this Redis.
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379',
    REDIS_CHANNEL_PREFIX: `t${randomBytes(4).toString('hex')}:`,
  };
  [node1, node2] = await Promise.all([spawnServer(env), spawnServer(env)]);
  w = await buildWorld(database.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 3 });
});
afterAll(async () => {
  await Promise.all([node1?.kill(), node2?.kill()]);
  await database?.drop();
});

/** Invigilator A's live room of room A on the given node, once its snapshot has arrived. */
async function watchRoomA(node: ServerProcess) {
  const inv = await sessionCookie(database.db, w.invigilatorA);
  const live = openLiveSocket(`${node.url}/ws/invigilate/${w.sittingId}/${w.roomA}`, inv);
  await until(live.snapshot, { what: 'snapshot', detail: () => live.messages });
  const awaitEvent = (type: string, registrationId: number, timeoutMs = 5000) =>
    until(() => live.events(type, registrationId)[0], { what: `${type} of ${registrationId}`, timeoutMs, detail: () => live.messages });
  return { inv, room: live.ws, awaitEvent };
}

describe('two nodes sharing PostgreSQL and Redis', () => {
  it('a candidate on node 1 disconnects and the invigilator on node 2 sees it within 5 s; extra time given on node 2 reaches the candidate on node 1', async () => {
    const { inv, room, awaitEvent } = await watchRoomA(node2);

    const c = w.candidates[0];
    const client = new AnswerClient(node1.url, c.registrationId, await sessionCookie(database.db, c));
    await client.waitSynced();
    await awaitEvent('candidate.connected', c.registrationId);

    const endsBefore = client.controls.filter((x) => x.type === 'window').at(-1) as { endsAt: string };
    const give = await postJson(node2.url, `/api/invigilation/registrations/${c.registrationId}/extra-time`, inv, { minutes: 15, reason: 'Ordblindhed' });
    expect(give.status).toBe(200);
    await client.waitFor(
      () => client.controls.some((x) => x.type === 'window' && (x as { endsAt: string }).endsAt !== endsBefore.endsAt),
      'new end time',
      5000,
    );
    const newest = client.controls.filter((x) => x.type === 'window').at(-1) as { endsAt: string };
    expect(new Date(newest.endsAt).getTime() - new Date(endsBefore.endsAt).getTime()).toBe(15 * 60_000);

    const t0 = Date.now();
    client.destroy();
    await awaitEvent('candidate.disconnected', c.registrationId);
    expect(Date.now() - t0).toBeLessThan(5000);
    room.close();
  }, 30_000);

  it('any node serves any candidate, and a reconnect to the other node loses nothing', async () => {
    const c = w.candidates[1];
    const ck = await sessionCookie(database.db, c);
    const doc = new Y.Doc();
    const on1 = new AnswerClient(node1.url, c.registrationId, ck, doc);
    await on1.waitSynced();
    on1.type('Skrevet via node 1.');
    await on1.waitSaved();
    on1.destroy();
    on1.type('Skrevet mens forbindelsen skiftede.');

    const on2 = new AnswerClient(node2.url, c.registrationId, ck, doc);
    await on2.waitSaved();
    on2.type('Skrevet via node 2.');
    await on2.waitSaved();
    on2.destroy();

    expect(await storedAnswerText(database.db, c.registrationId)).toBe('Skrevet via node 1.\nSkrevet mens forbindelsen skiftede.\nSkrevet via node 2.');
  }, 30_000);

  it('a node that is SIGKILLed says nothing, yet the invigilator on another node sees its candidate disconnected since the last heartbeat', async () => {
    const node3 = await spawnServer(env);
    try {
      const { room, awaitEvent } = await watchRoomA(node2);

      const c = w.candidates[2];
      const client = new AnswerClient(node3.url, c.registrationId, await sessionCookie(database.db, c));
      await client.waitSynced();
      await awaitEvent('candidate.connected', c.registrationId);
      const killedAt = Date.now();
      await node3.kill('SIGKILL');
      const lost = await awaitEvent('candidate.disconnected', c.registrationId, 30_000);
      expect(lost.reason).toBe('node-lost');
      // Dated at the last heartbeat (every 5 s), not when it was noticed; noticed within staleness (15 s) + one check (5 s).
      expect(killedAt - new Date(lost.at).getTime()).toBeLessThan(6_000);
      expect(Date.now() - killedAt).toBeLessThan(21_000);
      console.log(`node death noticed after ${Date.now() - killedAt} ms`);
      client.destroy();
      room.close();
    } finally {
      await node3.kill('SIGKILL');
    }
  }, 60_000);
});
