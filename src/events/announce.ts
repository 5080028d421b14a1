import type { NationalEvent, RoomEvent } from '../protocol/liveEvents.ts';
import { channels, type EventBus } from './bus.ts';

/**
 * Tells a room's invigilators what happened, and the national overview too when it is about a candidate's
 * presence or state: the one fan-out every publisher uses, so the two views cannot disagree.
 */
export async function announce(bus: EventBus, where: { sittingId: number; roomId: number }, event: RoomEvent): Promise<void> {
  await bus.publish(channels.room(where.sittingId, where.roomId), event);
  if (isNational(event)) await bus.publish(channels.national(), { ...event, sittingId: where.sittingId, roomId: where.roomId });
}

const isNational = (e: RoomEvent): e is Extract<RoomEvent, { type: `candidate.${string}` }> => e.type.startsWith('candidate.');

export type { NationalEvent };
