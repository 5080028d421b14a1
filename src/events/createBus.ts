import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { InProcessBus, type EventBus } from './bus.ts';

/** The in-process bus for one node; with REDIS_URL the Redis bus joins nodes (added with the live room). */
export async function createEventBus(config: Config, log: Logger): Promise<EventBus> {
  if (config.REDIS_URL) log.warn('REDIS_URL is set but the Redis event bus is not wired yet: live events stay on this node');
  return new InProcessBus();
}
