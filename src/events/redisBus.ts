import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EventBus, LiveEvent, Unsubscribe } from './bus.ts';

/**
 * Live events across app nodes over Redis pub/sub (SPEC §5, §9): an invigilator on node B sees a candidate
 * connected to node A. One connection publishes, one subscribes; channels are subscribed while at least one
 * local handler wants them. Pub/sub is at-most-once, which suits notifications: the database holds the truth
 * and every view re-reads it on (re)connect.
 */
export class RedisBus implements EventBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, Set<(e: LiveEvent) => void>>();
  constructor(url: string, private readonly log: Logger, private readonly prefix = 'provesal:') {
    const options = { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, options);
    for (const c of [this.pub, this.sub]) c.on('error', (err) => this.log.warn({ err: { message: err.message } }, 'redis event bus error'));
    this.sub.on('message', (channel: string, message: string) => {
      const set = this.handlers.get(channel.slice(this.prefix.length));
      if (!set) return;
      let event: LiveEvent;
      try { event = JSON.parse(message); } catch { return; }
      for (const h of [...set]) { try { h(event); } catch { /* one bad subscriber must not stop the others */ } }
    });
  }

  /** Resolves once both connections are up (start-up waits for it so the first events are not lost). */
  async ready(): Promise<void> {
    await Promise.all([this.pub.ping(), this.sub.ping()]);
  }

  async publish(channel: string, event: LiveEvent): Promise<void> {
    try {
      await this.pub.publish(this.prefix + channel, JSON.stringify(event));
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message }, channel }, 'publishing a live event failed');
    }
  }

  subscribe(channel: string, handler: (e: LiveEvent) => void): Unsubscribe {
    let set = this.handlers.get(channel);
    if (!set) {
      this.handlers.set(channel, (set = new Set()));
      this.sub.subscribe(this.prefix + channel).catch((err) => this.log.warn({ err: { message: err.message }, channel }, 'redis subscribe failed'));
    }
    set.add(handler);
    return () => {
      set!.delete(handler);
      if (!set!.size && this.handlers.get(channel) === set) {
        this.handlers.delete(channel);
        this.sub.unsubscribe(this.prefix + channel).catch(() => {});
      }
    };
  }

  /** Resolves once Redis confirms the channel subscriptions made so far (tests and start-up). */
  async flushSubscriptions(): Promise<void> { await this.sub.ping(); }

  async close(): Promise<void> {
    this.handlers.clear();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
