import type { Logger } from 'pino';
import type { Db } from '../db/pool.ts';
import type { BusEvent, RoomEvent } from '../protocol/liveEvents.ts';
import type { EventBus, Unsubscribe } from './bus.ts';
import { insertRoomEvent } from './queries.ts';

/** How many stored events a live room replays when it is opened (the feed shows as many). */
export const FEED_REPLAY = 50;

/**
 * What the live room's feed records (docs/rules.md §5): hand-ins and absences, every invigilator action (extra
 * time, pause, device switch…), locks and unlocks, lockdown events and incident notes. Presence and saves are
 * not: they are the rows' state, and there are far too many of them.
 */
export function isFeedEvent(e: BusEvent): e is RoomEvent {
  switch (e.type) {
    case 'candidate.state':
      return e.state !== 'lobby' && e.state !== 'writing';
    case 'candidate.changed':
    case 'lockdown':
    case 'incident':
      return true;
    default:
      return false;
  }
}

const ROOM_CHANNEL = /^room:(\d+):(\d+)$/;

/**
 * The event bus with the live room's feed kept in PostgreSQL: a feed event published on a room channel is stored
 * first (by the node that publishes it, so once however many nodes watch) and then published with its `seq`, so an
 * invigilator who reloads sees the feed again, and a replay and its live event are recognised as one. Storing is
 * best effort: a failed insert is logged and the event still goes out live.
 */
export class RecordingBus implements EventBus {
  constructor(
    private readonly inner: EventBus,
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  async publish(channel: string, event: BusEvent): Promise<void> {
    const room = ROOM_CHANNEL.exec(channel);
    if (!room || !isFeedEvent(event)) return this.inner.publish(channel, event);
    let seq: number | null = null;
    try {
      seq = await insertRoomEvent(this.db, Number(room[1]), Number(room[2]), event);
    } catch (err) {
      this.log.warn({ err: { message: (err as Error).message }, event: event.type }, 'room event not stored; sent live only');
    }
    return this.inner.publish(channel, seq === null ? event : { ...event, seq });
  }

  subscribe(channel: string, handler: (event: BusEvent) => void): Unsubscribe {
    return this.inner.subscribe(channel, handler);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
