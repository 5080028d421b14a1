import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/pool.ts';
import { PERSIST } from '../../src/sync/persistSettings.ts';
import { UpdatePersister } from '../../src/sync/updatePersister.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { buildWorld } from '../support/factories.ts';

let t: TestDatabase;
let registrationId: number;
beforeAll(async () => {
  t = await createTestDatabase();
  registrationId = (await buildWorld(t.db, { candidates: 1 })).candidates[0].registrationId;
});
afterAll(async () => {
  await t.drop();
});

/**
 * The real database, with a hook before each INSERT of updates: the tests hold a commit back or fail it once, to
 * see what the persister acknowledges meanwhile.
 */
function gatedDb(before: (n: number) => Promise<void>) {
  let inserts = 0,
    running = 0,
    mostAtOnce = 0;
  const db = {
    query: async (sql: string, params: unknown[]) => {
      if (!sql.startsWith('INSERT INTO doc_updates')) return t.db.query(sql, params);
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        await before(++inserts);
        return await t.db.query(sql, params);
      } finally {
        running--;
      }
    },
  } as unknown as Db;
  return { db, stats: () => ({ inserts, mostAtOnce }) };
}

const quiet = pino({ level: 'silent' });
const update = (i: number) => new Uint8Array([0, 0, i % 256]);
const stored = async () =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates WHERE registration_id = $1', [registrationId])).rows[0].n;

describe('the group commit (docs/rules.md §4.4)', () => {
  it('while behind, commits two batches at once, yet acknowledges none before everything taken earlier is committed', async () => {
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((r) => (releaseFirst = r));
    const { db, stats } = gatedDb((n) => (n === 1 ? firstHeld : Promise.resolve()));
    const persister = new UpdatePersister(db, quiet);
    const before = await stored();
    const acked: number[] = [];
    // More than a batch waits at once: the first batch is held, the rest may commit beside it.
    const total = PERSIST.maxBatch + PERSIST.pipelineAfter;
    const all = Array.from({ length: total }, (_, i) => persister.append(registrationId, update(i)).then(() => acked.push(i)));
    while (stats().inserts < 2) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200)); // the second batch has long committed
    expect(await stored()).toBe(before + total - PERSIST.maxBatch);
    expect(acked).toEqual([]);
    releaseFirst();
    await Promise.all(all);
    expect(stats().mostAtOnce).toBe(2);
    expect(acked).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(await stored()).toBe(before + total);
  });

  it('retries a failed commit, and what came after it waits for it', async () => {
    const { db, stats } = gatedDb(async (n) => {
      if (n === 1) throw new Error('connection lost');
    });
    const persister = new UpdatePersister(db, quiet);
    const before = await stored();
    const acked: string[] = [];
    const first = persister.append(registrationId, update(1)).then(() => acked.push('first'));
    await new Promise((r) => setTimeout(r, PERSIST.flushMs + 20));
    const second = persister.append(registrationId, update(2)).then(() => acked.push('second'));
    await Promise.all([first, second, persister.drain()]);
    expect(stats().inserts).toBeGreaterThanOrEqual(2);
    expect(acked).toEqual(['first', 'second']);
    expect(await stored()).toBe(before + 2);
  });

  it('commits one batch at a time while it keeps up (the next collects while one commits)', async () => {
    const { db, stats } = gatedDb(() => new Promise((r) => setTimeout(r, 30)));
    const persister = new UpdatePersister(db, quiet);
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      pending.push(persister.append(registrationId, update(i)));
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(pending);
    expect(stats().mostAtOnce).toBe(1);
    expect(stats().inserts).toBeLessThan(20);
  });
});
