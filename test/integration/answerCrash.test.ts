import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerPlainText } from '../../src/protocol/answerDocument.ts';
import { storedAnswerText } from '../support/storedAnswer.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { until } from '../support/poll.ts';
import { spawnServer, type ServerProcess } from '../support/serverProcess.ts';

let database: TestDatabase;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const s of servers) await s.kill('SIGKILL');
  await database.drop();
});

describe('a server killed mid-typing', () => {
  it("loses nothing: after SIGKILL and restart the reconnected client's document is exactly what is stored", async () => {
    const world = await buildWorld(database.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 60, candidates: 1 });
    const cand = world.candidates[0];
    const first = await spawnServer({ DATABASE_URL: database.url });
    servers.push(first);
    const cookie = await sessionCookie(database.db, cand);

    // The pupil's document lives on in the browser (IndexedDB) across the crash: one Y.Doc throughout.
    const doc = new Y.Doc();
    const before = new AnswerClient(first.url, cand.registrationId, cookie, doc);
    await before.waitSynced();
    let n = 0;
    const typing = setInterval(() => before.type(`Sætning nummer ${++n} om æbleskiver.`), 15);
    // Kill mid-typing, once 20 sentences are acknowledged as stored: typing goes on, so later ones are in flight.
    await until(() => before.durableMessages >= 20, {
      what: '20 acknowledged sentences',
      timeoutMs: 10_000,
      detail: () => ({ n, durable: before.durableMessages }),
    });
    await first.kill('SIGKILL');
    // Keep typing into the dead socket until the client has noticed and a few sentences were never sent at all.
    await until(() => !before.provider.wsconnected, { what: 'the client noticing the dead server' });
    const typedWhileDown = n + 3;
    await until(() => n >= typedWhileDown, { what: 'sentences typed while the server is down' });
    clearInterval(typing);
    before.destroy();
    const typedBeforeRestart = n;
    expect(typedBeforeRestart).toBeGreaterThan(20);

    const second = await spawnServer({ DATABASE_URL: database.url });
    servers.push(second);
    const after = new AnswerClient(second.url, cand.registrationId, cookie, doc);
    await after.waitSaved(15_000);
    after.type('Efter genstarten.');
    await after.waitSaved();
    after.destroy();

    const expected = [...Array.from({ length: typedBeforeRestart }, (_, i) => `Sætning nummer ${i + 1} om æbleskiver.`), 'Efter genstarten.'].join('\n');
    expect(answerPlainText(doc)).toBe(expected);
    expect(await storedAnswerText(database.db, cand.registrationId)).toBe(expected);
  }, 60_000);
});
