import { describe, expect, it } from 'vitest';
import { ReadBatch } from '../../src/db/readBatch.ts';

/** A fake table read in batches: records every query's keys, answers from `rows` as they are at the read. */
function table(rows: Map<string, number>, o: { delayMs?: number; fail?: () => boolean } = {}) {
  const queries: string[][] = [];
  const batch = new ReadBatch<string, number>(async (keys) => {
    queries.push(keys);
    if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
    if (o.fail?.()) throw new Error('database away');
    return new Map(keys.filter((k) => rows.has(k)).map((k) => [k, rows.get(k)!]));
  });
  return { batch, queries };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ReadBatch', () => {
  it('reads the keys asked for together with one query, each caller getting its own row (or none)', async () => {
    const { batch, queries } = table(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    const got = await Promise.all([batch.load('a'), batch.load('b'), batch.load('a'), batch.load('missing')]);
    expect(got).toEqual([1, 2, 1, undefined]);
    expect(queries).toEqual([['a', 'b', 'missing']]);
  });

  it('keys arriving over several turns of the event loop within the window share one query', async () => {
    const { batch, queries } = table(new Map([['a', 1]]));
    const a = batch.load('a');
    await new Promise((r) => setImmediate(r));
    const b = batch.load('b');
    expect(await Promise.all([a, b])).toEqual([1, undefined]);
    expect(queries).toEqual([['a', 'b']]);
  });

  it('never serves a key from an older read: asked again later, it is read again', async () => {
    const rows = new Map([['session', 1]]);
    const { batch, queries } = table(rows);
    expect(await batch.load('session')).toBe(1);
    rows.delete('session'); // revoked meanwhile
    expect(await batch.load('session')).toBeUndefined();
    expect(queries).toHaveLength(2);
  });

  it('while batches are on the pool, new keys gather into the next one', async () => {
    const { batch, queries } = table(new Map(), { delayMs: 20 });
    const first = [batch.load('1'), batch.load('2')];
    await sleep(8);
    const second = [batch.load('3')];
    await sleep(8);
    const waiting = Array.from({ length: 50 }, (_, i) => batch.load(`w${i}`));
    await Promise.all([...first, ...second, ...waiting]);
    // Two on the pool at once at most: the fifty waited for a slot and went out together.
    expect(queries.map((q) => q.length)).toEqual([2, 1, 50]);
  });

  it('a failed query fails its own callers only; the next batch reads again', async () => {
    let failing = true;
    const { batch } = table(new Map([['a', 1]]), { fail: () => failing });
    await expect(Promise.all([batch.load('a'), batch.load('b')])).rejects.toThrow('database away');
    failing = false;
    expect(await batch.load('a')).toBe(1);
  });
});
