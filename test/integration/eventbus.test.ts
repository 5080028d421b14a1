import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { InProcessBus, type EventBus } from '../../src/events/bus.ts';
import { RedisBus, RESYNC_EVENT } from '../../src/events/redisBus.ts';
import { createLogger } from '../../src/monitoring/logger.ts';
import { until } from '../support/poll.ts';

const REDIS_URL = process.env.REDIS_URL_TEST ?? 'redis://127.0.0.1:6379';
const redisUp = await (async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
})();
if (!redisUp) console.warn(`SKIPPED: Redis is not reachable at ${REDIS_URL} (set REDIS_URL_TEST): the Redis half of the event-bus contract did not run`);

const log = createLogger('silent');
/** The contract is about carrying any JSON event, not Prøvesal's own kinds. */
type TestEvent = { type: string; [key: string]: unknown };
const opened: EventBus<TestEvent>[] = [];
afterAll(async () => {
  for (const b of opened) await b.close();
});

// Other test runs may share this Redis: every bus gets a prefix of its own.
const prefix = () => `t${randomBytes(4).toString('hex')}:`;

/** One contract for every EventBus implementation (as y-redis runs one storage suite against each backend). */
function contract(name: string, make: () => Promise<{ a: EventBus<TestEvent>; b: EventBus<TestEvent>; settle: () => Promise<void> }>) {
  describe(`event bus contract: ${name}`, () => {
    it('delivers an event, JSON intact, to every subscriber of the channel and to no other channel', async () => {
      const { a, b, settle } = await make();
      const got1: TestEvent[] = [];
      const got2: TestEvent[] = [];
      const other: TestEvent[] = [];
      b.subscribe('room:1:2', (e) => got1.push(e));
      b.subscribe('room:1:2', (e) => got2.push(e));
      b.subscribe('room:1:3', (e) => other.push(e));
      await settle();
      const event = {
        type: 'candidate.saved',
        registrationId: 7,
        at: '2027-05-04T08:00:00.000Z',
        words: 312,
        note: 'æøå "citat"',
        nested: { list: [1, null, true] },
      };
      await a.publish('room:1:2', event);
      // A later event on the other channel is the marker: one publisher's events arrive in order, so had the first
      // leaked into room:1:3 it would be there before the marker.
      await a.publish('room:1:3', { type: 'marker' });
      await until(() => got1.length === 1 && got2.length === 1 && other.length > 0, { what: 'the event on both handlers and the marker' });
      expect(got1).toEqual([event]);
      expect(got2).toEqual([event]);
      expect(other).toEqual([{ type: 'marker' }]);
    });

    it('keeps the order of events published on one channel', async () => {
      const { a, b, settle } = await make();
      const got: number[] = [];
      b.subscribe('order', (e) => got.push(e.n as number));
      await settle();
      for (let n = 0; n < 50; n++) void a.publish('order', { type: 't', n });
      await until(() => got.length === 50, { what: '50 events', detail: () => got.length });
      expect(got).toEqual([...Array(50).keys()]);
    });

    it("stops delivering to a handler after its unsubscribe, while the channel's other handlers still receive", async () => {
      const { a, b, settle } = await make();
      const kept: TestEvent[] = [];
      const dropped: TestEvent[] = [];
      const off = b.subscribe('x', (e) => dropped.push(e));
      b.subscribe('x', (e) => kept.push(e));
      await settle();
      off();
      await settle();
      await a.publish('x', { type: 'first' });
      await a.publish('x', { type: 'second' });
      // Both events reached the kept handler, so both were dispatched on the channel: the dropped one saw neither.
      await until(() => kept.length === 2, { what: 'both events on the kept handler' });
      expect(kept.map((e) => e.type)).toEqual(['first', 'second']);
      expect(dropped).toEqual([]);
    });

    it('delivers nothing after the last handler of a channel unsubscribed, and again after a new subscribe', async () => {
      const { a, b, settle } = await make();
      const first: TestEvent[] = [];
      const second: TestEvent[] = [];
      const off = b.subscribe('z', (e) => first.push(e));
      await settle();
      off();
      await settle();
      // Published while nobody listens: a correct bus drops it at once (nothing is buffered for a later subscriber).
      await a.publish('z', { type: 'lost' });
      b.subscribe('z', (e) => second.push(e));
      await settle();
      await a.publish('z', { type: 'seen' });
      // 'seen' was published after 'lost' by the same publisher, so 'lost' cannot still be on its way once 'seen' is here.
      await until(() => second.length === 1, { what: "the 'seen' event" });
      expect(first).toEqual([]);
      expect(second).toEqual([{ type: 'seen' }]);
    });

    it('delivers to the other handlers of a channel when one handler throws', async () => {
      const { a, b, settle } = await make();
      const got: TestEvent[] = [];
      b.subscribe('y', () => {
        throw new Error('boom');
      });
      b.subscribe('y', (e) => got.push(e));
      await settle();
      await a.publish('y', { type: 't' });
      await until(() => got.length === 1, { what: 'the event on the second handler' });
      expect(got).toEqual([{ type: 't' }]);
    });

    it('resolves a publish to a channel nobody listens to', async () => {
      const { a } = await make();
      await expect(a.publish('nobody', { type: 't' })).resolves.toBeUndefined();
    });
  });
}

contract('in-process', async () => {
  const bus = new InProcessBus<TestEvent>();
  return { a: bus, b: bus, settle: async () => {} };
});

async function redisPair() {
  const p = prefix();
  const a = new RedisBus<TestEvent>(REDIS_URL, log, p, `${p}a`);
  const b = new RedisBus<TestEvent>(REDIS_URL, log, p, `${p}b`);
  opened.push(a, b);
  await Promise.all([a.ready(), b.ready()]);
  return { a, b, p, settle: () => b.flushSubscriptions() };
}

describe.skipIf(!redisUp)('redis event bus', () => {
  contract('redis (two nodes)', redisPair);

  it('holds one Redis subscription per channel however many local handlers, and drops it with the last', async () => {
    const { b, p, settle } = await redisPair();
    const admin = new Redis(REDIS_URL);
    const numsub = async () => Number(((await admin.pubsub('NUMSUB', `${p}room:9:9`)) as [string, number])[1]);
    const off1 = b.subscribe('room:9:9', () => {});
    const off2 = b.subscribe('room:9:9', () => {});
    await settle();
    expect(await numsub()).toBe(1);
    off1();
    await settle();
    expect(await numsub()).toBe(1);
    off2();
    off2(); // a second call is harmless
    await settle();
    expect(await numsub()).toBe(0);
    expect(b.subscribedChannels()).toEqual([]);
    admin.disconnect();
  });

  it('after Redis drops the subscriber connection it resubscribes, tells subscribers to re-read, and delivers again', async () => {
    const { a, b, p, settle } = await redisPair();
    const got: TestEvent[] = [];
    b.subscribe('room:5:5', (e) => got.push(e));
    await settle();
    const admin = new Redis(REDIS_URL);
    const list = String(await admin.client('LIST'));
    const id = /id=(\d+) .*name=(\S+)/g;
    const victim = [...list.matchAll(id)].find((m) => m[2] === `${p}b-sub`)?.[1];
    expect(victim).toBeDefined();
    await admin.client('KILL', 'ID', victim!);
    admin.disconnect();
    await until(() => got.some((e) => e.type === RESYNC_EVENT), { what: 'the resync event', detail: () => got });
    expect(got.map((e) => e.type)).toEqual([RESYNC_EVENT]);
    await settle();
    await a.publish('room:5:5', { type: 'after' });
    await until(() => got.length === 2, { what: 'the event published after the resubscribe', detail: () => got });
    expect(got.at(-1)).toEqual({ type: 'after' });
  });

  it('publish returns within about a second while Redis is unreachable instead of hanging the caller', async () => {
    const dead = new RedisBus<TestEvent>('redis://127.0.0.1:1', log, prefix());
    const t0 = Date.now();
    await dead.publish('x', { type: 't' });
    expect(Date.now() - t0).toBeLessThan(2000);
    await dead.close();
  });
});
