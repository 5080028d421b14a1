import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedAnswerText } from '../support/storedAnswer.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildWorld } from '../support/factories.ts';
import { loginOverHttp, postJson } from '../support/http.ts';
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
  env = { DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379', REDIS_CHANNEL_PREFIX: `t${randomBytes(4).toString('hex')}:` };
  [node1, node2] = await Promise.all([spawnServer(env), spawnServer(env)]);
  w = await buildWorld(database.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 3 });
});
afterAll(async () => {
  await Promise.all([node1?.kill(), node2?.kill()]);
  await database?.drop();
});

const waitFor = async (pred: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!pred()) { if (Date.now() > end) throw new Error(`timed out: ${what}`); await new Promise((r) => setTimeout(r, 20)); }
};

/** Invigilator A's live room of room A on the given node, once its snapshot has arrived. */
async function watchRoomA(node: ServerProcess) {
  const inv = await loginOverHttp(node.url, w.invigilatorA.username, w.invigilatorA.password);
  const room = new WebSocket(`${node.url.replace('http', 'ws')}/ws/invigilate/${w.sittingId}/${w.roomA}`, { headers: { cookie: inv } });
  const seen: any[] = [];
  room.on('message', (d) => seen.push(JSON.parse(String(d))));
  await waitFor(() => seen.some((m) => m.type === 'snapshot'), 5000, 'snapshot');
  return { inv, room, seen };
}

describe('two nodes sharing PostgreSQL and Redis', () => {
  it('a candidate on node 1 disconnects and the invigilator on node 2 sees it within 5 s; extra time given on node 2 reaches the candidate on node 1', async () => {
    const { inv, room, seen } = await watchRoomA(node2);

    const c = w.candidates[0];
    const ck = await loginOverHttp(node1.url, c.username, c.password);
    const client = new AnswerClient(node1.url, c.registrationId, ck);
    await client.waitSynced();
    await waitFor(() => seen.some((m) => m.event?.type === 'candidate.connected' && m.event.registrationId === c.registrationId), 5000, 'connected on node 2');

    const endsBefore = client.controls.filter((x) => x.type === 'window').at(-1) as { endsAt: string };
    const give = await postJson(node2.url, `/api/invigilation/registrations/${c.registrationId}/extra-time`, inv, { minutes: 15, reason: 'Ordblindhed' });
    expect(give.status).toBe(200);
    await client.waitFor(() => client.controls.some((x) => x.type === 'window' && (x as { endsAt: string }).endsAt !== endsBefore.endsAt), 'new end time', 5000);
    const newest = client.controls.filter((x) => x.type === 'window').at(-1) as { endsAt: string };
    expect(new Date(newest.endsAt).getTime() - new Date(endsBefore.endsAt).getTime()).toBe(15 * 60_000);

    const t0 = Date.now();
    client.destroy();
    await waitFor(() => seen.some((m) => m.event?.type === 'candidate.disconnected' && m.event.registrationId === c.registrationId), 5000, 'disconnect on node 2');
    expect(Date.now() - t0).toBeLessThan(5000);
    room.close();
  }, 30_000);

  it('any node serves any candidate, and a reconnect to the other node loses nothing', async () => {
    const c = w.candidates[1];
    const ck = await loginOverHttp(node1.url, c.username, c.password);
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
      const { room, seen } = await watchRoomA(node2);

      const c = w.candidates[2];
      const client = new AnswerClient(node3.url, c.registrationId, await loginOverHttp(node3.url, c.username, c.password));
      await client.waitSynced();
      await waitFor(() => seen.some((m) => m.event?.type === 'candidate.connected' && m.event.registrationId === c.registrationId), 5000, 'connected');
      const killedAt = Date.now();
      await node3.kill('SIGKILL');
      await waitFor(() => seen.some((m) => m.event?.type === 'candidate.disconnected' && m.event.registrationId === c.registrationId), 30_000, 'node-lost');
      const lost = seen.find((m) => m.event?.type === 'candidate.disconnected' && m.event.registrationId === c.registrationId).event;
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
