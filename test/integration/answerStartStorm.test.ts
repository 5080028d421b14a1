import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { AnswerClose } from '../../src/protocol/closeCodes.ts';
import { ANSWER_LIMITS } from '../../src/protocol/limits.ts';
import { loadStoredDocuments } from '../../src/sync/queries.ts';
import { AnswerClient } from '../support/answerClient.ts';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { startTestServer } from '../support/testApp.ts';

/**
 * The start storm (docs/performance.md): sockets opened at once are admitted with batched reads, and each still
 * gets exactly its own decision (docs/rules.md §1, §4.5): a revoked session is refused, another pupil's answer is
 * unknown, everyone else syncs.
 */
let server: Awaited<ReturnType<typeof startTestServer>>;
let world: Awaited<ReturnType<typeof buildWorld>>;
const clients: AnswerClient[] = [];
const PUPILS = 40;

beforeAll(async () => {
  server = await startTestServer();
  world = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 60, candidates: PUPILS });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.closeAll();
});

describe('a start storm', () => {
  it('admits every socket opened at once by its own session, with several sockets per read', async () => {
    const db = server.deps.db;
    const cookies = await Promise.all(world.candidates.map((p) => sessionCookie(db, p)));
    const [revoked, stranger, victim] = world.candidates;
    await db.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1', [revoked.id]);
    const statements: { text: string; keys: number }[] = [];
    const query = db.query.bind(db);
    db.query = ((text: unknown, ...rest: unknown[]) => {
      const values = rest[0] as unknown[] | undefined;
      if (typeof text === 'string') statements.push({ text, keys: Array.isArray(values?.[0]) ? values[0].length : 1 });
      return (query as (...a: unknown[]) => unknown)(text, ...rest);
    }) as typeof db.query;
    try {
      // All opened in the same turn of the event loop, as a class pressing "start" together.
      for (const [i, p] of world.candidates.entries()) {
        const registrationId = p === stranger ? victim.registrationId : p.registrationId;
        clients.push(new AnswerClient(server.url, registrationId, cookies[i], undefined, { device: `storm-device-${i}` }));
      }
      await clients[0].waitClosed(AnswerClose.unauthenticated.code);
      await clients[1].waitClosed(AnswerClose.unknownRegistration.code);
      await Promise.all(clients.slice(2).map((c) => c.waitSynced()));
      clients[0].destroy();
      clients[1].destroy();
    } finally {
      db.query = query;
    }
    // One query per socket would read one key per statement (and as many statements as sockets); the batches read
    // many. How many depends on how the sockets' arrivals spread, so only "several per statement" is asserted.
    for (const needle of ['s.token_hash = ANY', 'WHERE r.id = ANY', 'FROM presence WHERE registration_id = ANY', 'FROM doc_snapshots WHERE']) {
      const reads = statements.filter((s) => s.text.includes(needle));
      expect(Math.max(...reads.map((s) => s.keys)), needle).toBeGreaterThan(1);
      expect(reads.length, needle).toBeLessThan(PUPILS);
    }
    expect(statements.filter((s) => s.text.includes('INSERT INTO presence')).length).toBeLessThan(PUPILS - 2);
    for (const c of clients.slice(2)) c.type('Klar.');
    await Promise.all(clients.slice(2).map((c) => c.waitSaved()));
  });

  it('loads several answers in one statement, each its own snapshot and the updates after it', async () => {
    const [a, b, c] = world.candidates.slice(3).map((p) => p.registrationId);
    const db = server.deps.db;
    const docA = new Y.Doc();
    docA.getText('t').insert(0, 'snapshot');
    const snapshot = Y.encodeStateAsUpdate(docA);
    const tail = await (async () => {
      const sv = Y.encodeStateVector(docA);
      docA.getText('t').insert(8, ' + tail');
      return Y.encodeStateAsUpdate(docA, sv);
    })();
    await db.query('DELETE FROM doc_updates WHERE registration_id = ANY($1::bigint[])', [[a, b, c]]);
    await db.query('DELETE FROM doc_snapshots WHERE registration_id = ANY($1::bigint[])', [[a, b, c]]);
    // a: a snapshot (its rows folded in and deleted) and one row logged after it; b: only a log; c: nothing.
    await db.query(`INSERT INTO doc_snapshots (registration_id, state, last_update_id, text_length, word_count, updated_at) VALUES ($1, $2, 1, 8, 1, now())`, [
      a,
      Buffer.from(snapshot),
    ]);
    const ins = await db.query<{ id: string }>('INSERT INTO doc_updates (registration_id, update) VALUES ($1, $2), ($3, $4) RETURNING id', [
      a,
      Buffer.from(tail),
      b,
      Buffer.from(snapshot),
    ]);
    const docs = await loadStoredDocuments(db, [a, b, c]);
    expect(docs.get(a)).toMatchObject({ lastId: Number(ins.rows[0].id), updates: [Buffer.from(tail)], updateIds: [Number(ins.rows[0].id)] });
    expect(docs.get(a)!.snapshot).toEqual(Buffer.from(snapshot));
    expect(docs.get(b)).toMatchObject({ snapshot: null, updates: [Buffer.from(snapshot)], updateIds: [Number(ins.rows[1].id)] });
    expect(docs.get(c)).toEqual({ snapshot: null, updates: [], updateIds: [], lastId: 0 });
  });

  it('keeps a socket that keeps sending, even when its pongs are late (a pupil starved by a storm)', async () => {
    const pupil = world.candidates[6];
    const cookie = await sessionCookie(server.deps.db, pupil);
    // The device that already holds the answer (from the storm above) comes back; autoPong off: it never answers a ping, as a browser whose tab is starved would answer late.
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/answer/${pupil.registrationId}?device=storm-device-6`, {
      headers: { cookie },
      autoPong: false,
    });
    let closed: number | null = null;
    ws.on('close', (code) => (closed = code));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const syncStep1 = Uint8Array.of(0, 0, 1, 0); // sync, step 1, an empty state vector
    const until = Date.now() + 3 * ANSWER_LIMITS.heartbeatMs;
    while (Date.now() < until && closed === null) {
      ws.send(syncStep1);
      await new Promise((r) => setTimeout(r, ANSWER_LIMITS.heartbeatMs / 4));
    }
    expect(closed).toBeNull();
    ws.terminate();
  });
});
