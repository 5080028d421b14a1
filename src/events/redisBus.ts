import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { BusEvent, ResyncEvent } from '../protocol/liveEvents.ts';
import type { EventBus, Typed, Unsubscribe } from './bus.ts';

/**
 * Delivered locally to every subscriber after the bus lost Redis and got it back: events published meanwhile
 * are gone (pub/sub keeps nothing), so a view built from events re-reads the database. Subscribers that only
 * react to known types ignore it; sync's registration handler re-reads the window, which is what it should do.
 */
export const RESYNC_EVENT = 'bus.resync' satisfies ResyncEvent['type'];

/** How long publish() waits for Redis before it returns: a request must not hang on a live notification. */
const PUBLISH_WAIT_MS = 1_000;

/**
 * Live events across app nodes over Redis pub/sub (docs/rules.md §5, §9): an invigilator on node B sees a candidate
 * connected to node A. One connection publishes, one subscribes (a subscribed connection can do nothing else);
 * a Redis channel is subscribed while at least one local handler wants it (refcount) and unsubscribed with the
 * last. Pub/sub is at-most-once, which suits notifications: the database holds the truth, every view re-reads
 * it on (re)connect, and after a Redis outage every subscriber gets RESYNC_EVENT to do so.
 */
export class RedisBus<E extends Typed = BusEvent> implements EventBus<E> {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Set<(e: E) => void>>();
  private everReady = false;
  private closed = false;

  constructor(
    url: string,
    private readonly log: Logger,
    private readonly prefix = 'provesal:',
    name = 'provesal',
  ) {
    const options: RedisOptions = {
      // Commands wait through an outage instead of failing after 20 retries; publish() bounds the wait itself.
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      retryStrategy: (times) => Math.min(2_000, 50 * 2 ** Math.min(times, 6)),
    };
    this.pub = new Redis(url, { ...options, connectionName: `${name}-pub` });
    // Our own map is the truth for what to subscribe: ioredis' resubscription would replay a set that may
    // have changed while disconnected, interleaved with queued (un)subscribes.
    this.sub = new Redis(url, { ...options, connectionName: `${name}-sub`, autoResubscribe: false });
    for (const [role, c] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      c.on('error', (err) => this.log.warn({ err: { message: err.message }, role }, 'redis event bus error'));
    }
    this.sub.on('ready', () => void this.onSubscriberReady());
    this.sub.on('message', (channel: string, message: string) => {
      const set = this.handlers.get(channel.slice(this.prefix.length));
      if (!set) return;
      let event: E;
      try {
        event = JSON.parse(message);
      } catch {
        return this.log.warn({ channel }, 'unreadable live event dropped');
      }
      this.deliver(set, event);
    });
  }

  /** Resolves once both connections are up (start-up waits for it so the first events are not lost). */
  async ready(): Promise<void> {
    await Promise.all([this.pub.ping(), this.sub.status === 'ready' ? this.sub.ping() : waitReady(this.sub)]);
  }

  async publish(channel: string, event: E): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const sent = this.pub.publish(this.prefix + channel, JSON.stringify(event)).then(() => true);
    const waited = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), PUBLISH_WAIT_MS);
    });
    try {
      // When Redis is away the command stays queued and goes out on reconnect; the caller moves on.
      if (!(await Promise.race([sent, waited]))) this.log.warn({ channel }, 'redis slow or away: live event queued');
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message }, channel }, 'publishing a live event failed');
    } finally {
      clearTimeout(timer);
    }
    // A publish that timed out above was already reported there; its late failure has nobody left to tell.
    sent.catch(() => {
      /* see above */
    });
  }

  subscribe(channel: string, handler: (e: E) => void): Unsubscribe {
    let set = this.handlers.get(channel);
    if (!set) {
      this.handlers.set(channel, (set = new Set()));
      // While disconnected only the map changes; onSubscriberReady subscribes the whole map.
      if (this.sub.status === 'ready')
        this.sub.subscribe(this.prefix + channel).catch((err) => this.log.warn({ err: { message: err.message }, channel }, 'redis subscribe failed'));
    }
    set.add(handler);
    return () => {
      set!.delete(handler);
      if (!set!.size && this.handlers.get(channel) === set) {
        this.handlers.delete(channel);
        if (this.sub.status === 'ready') {
          // Nobody listens any more: a failed UNSUBSCRIBE only leaves a channel whose messages are dropped on arrival.
          this.sub.unsubscribe(this.prefix + channel).catch((err: Error) => this.log.debug({ err: { message: err.message }, channel }, 'unsubscribe failed'));
        }
      }
    };
  }

  /** Resolves once Redis has confirmed every (un)subscription made so far (commands on one connection are ordered). */
  async flushSubscriptions(): Promise<void> {
    if (this.sub.status !== 'ready') await waitReady(this.sub);
    await this.sub.ping();
  }

  /** Channels this node holds a Redis subscription for (tests check the refcount). */
  subscribedChannels(): string[] {
    return [...this.handlers.keys()];
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.clear();
    // QUIT lets queued publishes go out first; bounded, because with Redis away it would wait forever.
    await Promise.race([Promise.allSettled([this.pub.quit(), this.sub.quit()]), new Promise((r) => setTimeout(r, 500))]);
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private async onSubscriberReady(): Promise<void> {
    const reconnect = this.everReady;
    this.everReady = true;
    const names = [...this.handlers.keys()].map((c) => this.prefix + c);
    try {
      if (names.length) await this.sub.subscribe(...names);
    } catch (err) {
      // The connection dropped again; the next 'ready' retries.
      return this.log.warn({ err: { message: (err as Error).message } }, 'redis resubscribe failed');
    }
    if (!reconnect || this.closed) return;
    this.log.warn({ channels: names.length }, 'redis event bus reconnected; subscribers re-read');
    // Every bus of Prøvesal carries ResyncEvent (BusEvent includes it); the contract tests' buses ignore it.
    const event = { type: RESYNC_EVENT, at: new Date().toISOString() } as ResyncEvent as unknown as E;
    for (const set of [...this.handlers.values()]) this.deliver(set, event);
  }

  private deliver(set: Set<(e: E) => void>, event: E): void {
    for (const h of [...set]) {
      try {
        h(event);
      } catch (err) {
        this.log.warn({ err: { message: (err as Error).message } }, 'live event subscriber failed');
      }
    }
  }
}

const waitReady = (c: Redis) => new Promise<void>((resolve) => c.once('ready', () => resolve()));
