import { describe, expect, it } from 'vitest';
import { CompactionQueue } from '../../src/sync/compactionQueue.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A compaction (of a batch, named by its first id) that finishes when the test says so. */
function controlled() {
  const running = new Map<number, () => void>();
  const batches: number[][] = [];
  let peak = 0;
  const compact = (ids: number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push(ids);
      running.set(ids[0], () => (ids[0] < 0 ? reject(new Error('database gone')) : resolve()));
      peak = Math.max(peak, running.size);
    }).finally(() => running.delete(ids[0]));
  return { running, batches, compact, peak: () => peak };
}

describe('compaction queue', () => {
  it('runs at most `concurrency` compactions at once, in the order asked, each registration once while it waits', async () => {
    const c = controlled();
    const q = new CompactionQueue(c.compact, () => undefined, 2);
    for (const id of [1, 2, 3, 3, 4, 1]) q.add(id, 'x');
    expect([...c.running.keys()]).toEqual([1, 2]);
    expect(q.size).toBe(3); // 3, 4, and 1 again: it is running, so asking again queues it behind them
    c.running.get(1)!();
    await tick();
    expect([...c.running.keys()]).toEqual([2, 3]);
    for (const id of [2, 3]) c.running.get(id)!();
    await tick();
    expect([...c.running.keys()].sort()).toEqual([1, 4]);
    for (const id of [1, 4]) c.running.get(id)!();
    await tick();
    expect(c.running.size).toBe(0);
    expect(c.peak()).toBe(2);
  });

  it('takes waiting registrations a batch at a time, in the order asked (an idle queue starts at once)', async () => {
    const c = controlled();
    const q = new CompactionQueue(c.compact, () => undefined, 1, 3);
    for (const id of [5, 6, 7, 8, 9]) q.add(id, 'x');
    expect(c.batches).toEqual([[5]]);
    c.running.get(5)!();
    await tick();
    q.add(10, 'x');
    c.running.get(6)!();
    await tick();
    expect(c.batches).toEqual([[5], [6, 7, 8], [9, 10]]);
  });

  it('reports every registration of a failed batch with its own message', async () => {
    const c = controlled();
    const failures: string[] = [];
    const q = new CompactionQueue(c.compact, (err, id, message) => failures.push(`${id} ${message}`), 1, 2);
    q.add(1, 'busy');
    q.add(-1, 'first');
    q.add(2, 'second');
    c.running.get(1)!();
    await tick();
    c.running.get(-1)!();
    await tick();
    expect(failures).toEqual(['-1 first', '2 second']);
  });

  it('reports a failed compaction with its message and carries on with the next', async () => {
    const c = controlled();
    const failures: string[] = [];
    const q = new CompactionQueue(c.compact, (err, id, message) => failures.push(`${id} ${message}: ${err.message}`), 1);
    q.add(-7, 'compaction failed; will retry later');
    q.add(8, 'x');
    c.running.get(-7)!();
    await tick();
    expect(failures).toEqual(['-7 compaction failed; will retry later: database gone']);
    expect([...c.running.keys()]).toEqual([8]);
  });

  it('starts nothing after stop, while a running compaction finishes', async () => {
    const c = controlled();
    const q = new CompactionQueue(c.compact, () => undefined, 1);
    q.add(1, 'x');
    q.add(2, 'x');
    q.stop();
    q.add(3, 'x');
    c.running.get(1)!();
    await tick();
    expect(c.running.size).toBe(0);
    expect(q.size).toBe(0);
  });

  it('starts nothing while told to give way, and resumes by itself once allowed', async () => {
    const c = controlled();
    let commitBehind = true;
    const q = new CompactionQueue(
      c.compact,
      () => undefined,
      2,
      2,
      () => !commitBehind,
      10,
    );
    for (const id of [1, 2, 3]) q.add(id, 'x');
    await new Promise((r) => setTimeout(r, 30));
    expect(c.batches).toEqual([]);
    expect(q.size).toBe(3);
    commitBehind = false;
    await new Promise((r) => setTimeout(r, 30));
    expect(c.batches).toEqual([[1, 2], [3]]);
    q.stop();
  });
});
