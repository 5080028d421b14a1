import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import { InProcessBus, type EventBus } from './bus.ts';
import { RedisBus } from './redisBus.ts';
import { RecordingBus } from './roomEventLog.ts';

/** How long start-up waits for Redis before serving anyway (the bus connects and resyncs when Redis comes). */
const REDIS_START_WAIT_MS = 10_000;

/**
 * The in-process bus for a single node; with REDIS_URL, Redis joins several nodes (docs/rules.md §9). Either way
 * the live room's feed events are stored in `db` as they are published (roomEventLog.ts).
 */
export async function createEventBus(config: Config, log: Logger, db: Db): Promise<EventBus> {
  return new RecordingBus(await createTransport(config, log), db, log);
}

async function createTransport(config: Config, log: Logger): Promise<EventBus> {
  if (!config.REDIS_URL) return new InProcessBus();
  const bus = new RedisBus(config.REDIS_URL, log, config.REDIS_CHANNEL_PREFIX);
  const up = await Promise.race([bus.ready().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), REDIS_START_WAIT_MS).unref())]);
  // A node without live events still serves exams (answers go to PostgreSQL); the live views catch up on resync.
  if (!up) log.error({ redis: redactUrl(config.REDIS_URL) }, 'Redis not reachable at start; serving without cross-node live events until it is');
  return bus;
}

const redactUrl = (u: string) => u.replace(/\/\/[^@/]*@/, '//***@');
