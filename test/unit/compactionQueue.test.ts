import { describe, expect, it } from 'vitest';
import { CompactionQueue } from '../../src/sync/compactionQueue.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A compaction that finishes when the test says so. */
function controlled() {
  const running = new Map<number, () => void>();
  let peak = 0;
  const compact = (id: number) =>
    new Promise<void>((resolve, reject) => {
      running.set(id, () => (id < 0 ? reject(new Error('database gone')) : resolve()));
      peak = Math.max(peak, running.size);
    }).finally(() => running.delete(id));
  return { running, compact, peak: () => peak };
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
});
