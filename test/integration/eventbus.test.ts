import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { InProcessBus, type EventBus, type LiveEvent } from '../../src/events/bus.ts';
import { RedisBus } from '../../src/events/redisBus.ts';
import { createLogger } from '../../src/monitoring/logger.ts';

const REDIS_URL = process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379';
const redisUp = await (async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try { await probe.connect(); await probe.ping(); return true; } catch { return false; } finally { probe.disconnect(); }
})();
if (!redisUp) console.warn(`Redis is not reachable at ${REDIS_URL}: the Redis half of the event-bus contract is skipped`);

const opened: EventBus[] = [];
afterAll(async () => { for (const b of opened) await b.close(); });

const until = async (pred: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};

/** One contract for every EventBus implementation. */
function contract(name: string, make: () => Promise<{ a: EventBus; b: EventBus; settle: () => Promise<void> }>) {
  describe(`event bus contract: ${name}`, () => {
    it('delivers an event to every subscriber of the channel and to no other channel', async () => {
      const { a, b, settle } = await make();
      const got1: LiveEvent[] = []; const got2: LiveEvent[] = []; const other: LiveEvent[] = [];
      b.subscribe('room:1:2', (e) => got1.push(e));
      b.subscribe('room:1:2', (e) => got2.push(e));
      b.subscribe('room:1:3', (e) => other.push(e));
      await settle();
      await a.publish('room:1:2', { type: 'candidate.disconnected', registrationId: 7, at: 'æøå' });
      await until(() => got1.length === 1 && got2.length === 1);
      expect(got1).toEqual([{ type: 'candidate.disconnected', registrationId: 7, at: 'æøå' }]);
      expect(got2).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 50));
      expect(other).toHaveLength(0);
    });

    it('stops delivering after unsubscribe, without affecting other subscribers', async () => {
      const { a, b, settle } = await make();
      const kept: LiveEvent[] = []; const dropped: LiveEvent[] = [];
      const off = b.subscribe('x', (e) => dropped.push(e));
      b.subscribe('x', (e) => kept.push(e));
      await settle();
      off();
      await a.publish('x', { type: 't' });
      await until(() => kept.length === 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(kept).toHaveLength(1);
      expect(dropped).toHaveLength(0);
    });

    it('a throwing subscriber does not stop the others', async () => {
      const { a, b, settle } = await make();
      const got: LiveEvent[] = [];
      b.subscribe('y', () => { throw new Error('boom'); });
      b.subscribe('y', (e) => got.push(e));
      await settle();
      await a.publish('y', { type: 't' });
      await until(() => got.length === 1);
      expect(got).toHaveLength(1);
    });
  });
}

contract('in-process', async () => {
  const bus = new InProcessBus();
  return { a: bus, b: bus, settle: async () => {} };
});

if (redisUp) {
  contract('redis (two nodes)', async () => {
    const log = createLogger('silent');
    const a = new RedisBus(REDIS_URL, log); const b = new RedisBus(REDIS_URL, log);
    opened.push(a, b);
    await Promise.all([a.ready(), b.ready()]);
    return { a, b, settle: () => b.flushSubscriptions() };
  });
}
