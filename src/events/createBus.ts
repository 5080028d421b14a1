import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { InProcessBus, type EventBus } from './bus.ts';
import { RedisBus } from './redisBus.ts';

/** The in-process bus for a single node; with REDIS_URL, Redis joins several nodes. */
export async function createEventBus(config: Config, log: Logger): Promise<EventBus> {
  if (!config.REDIS_URL) return new InProcessBus();
  const bus = new RedisBus(config.REDIS_URL, log, config.REDIS_CHANNEL_PREFIX);
  await bus.ready();
  return bus;
}
