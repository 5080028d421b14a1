/**
 * Live events: what the bus carries between nodes and what the live room and the national overview push to
 * their browsers (docs/protocol.md). Events are notifications, never the source of truth: the database is.
 */
import type { Receipt } from './control.ts';
import type { LockdownEventType, ServerLockdownEventType } from './lockdownEvents.ts';

export type CandidateState = 'registered' | 'lobby' | 'writing' | 'handed_in' | 'absent' | 'ill';

/** What an invigilator's action or an admin's edit changed on a registration; the room re-reads the row. */
export type ChangeKind = string;

/** Events of one room (`room:<sitting>:<room>`), pushed to its invigilators as they arrive. */
export type RoomEvent =
  | { type: 'candidate.connected'; registrationId: number; at: string; node: string }
  | { type: 'candidate.disconnected'; registrationId: number; at: string; node: string; reason?: 'node-lost' }
  | { type: 'candidate.saved'; registrationId: number; at: string; words: number }
  | { type: 'candidate.state'; registrationId: number; state: CandidateState; at: string; words?: number }
  | { type: 'candidate.changed'; registrationId: number; what: ChangeKind; at: string }
  | { type: 'lockdown'; registrationId: number; eventType: LockdownEventType | ServerLockdownEventType; at: string; durationMs: number | null }
  | { type: 'incident'; id: number; registrationId: number | null; note: string; author: string; at: string };

/** One pupil's "last saved" and words (docs/rules.md §5). */
export interface SavedFigure {
  registrationId: number;
  at: string;
  words: number;
}

/**
 * The saved figures of the pupils of one room who saved in the last second, coalesced by the node holding their
 * answers (src/sync/savedFigures.ts). Bus only: the live room forwards each figure as a `candidate.saved` event.
 */
export interface SavedBatch {
  type: 'candidates.saved';
  at: string;
  saved: SavedFigure[];
}

/** A room event stored for the live room's feed (table room_events): `seq` is its id, so a replay and the live event are one entry. */
export type StoredRoomEvent = RoomEvent & { seq: number };

/** The candidate.* room events, as the national overview gets them: tagged with where they happened. */
export type NationalEvent = Extract<RoomEvent, { type: `candidate.${string}` }> & { sittingId: number; roomId: number };

/** Events of one registration (`registration:<id>`), for the nodes holding that pupil's answer socket. */
export type RegistrationEvent =
  | { type: 'registration.takeover'; registrationId: number; connectionId: string }
  | { type: 'registration.handed_in'; registrationId: number; receipt: Receipt }
  | { type: 'registration.changed'; registrationId: number; what: ChangeKind }
  | { type: 'registration.locked'; registrationId: number }
  | { type: 'registration.unlocked'; registrationId: number }
  /** A server-written update already stored in the answer's log (the attachment list), base64: apply and relay it. */
  | { type: 'registration.document'; registrationId: number; update: string };

/** Sent by the bus itself after it lost events (a Redis outage): subscribers re-read from the database. */
export interface ResyncEvent {
  type: 'bus.resync';
  at: string;
}

export type BusEvent = RoomEvent | (RoomEvent & { seq: number }) | SavedBatch | NationalEvent | RegistrationEvent | ResyncEvent;

/**
 * Server → invigilator browser on the live-room socket. The snapshot carries the room's stored feed (oldest first);
 * a live event that was stored carries the same `seq`.
 */
export type LiveRoomMessage<Row> =
  | { type: 'snapshot'; serverTime: string; candidates: Row[]; feed: StoredRoomEvent[] }
  | { type: 'event'; event: RoomEvent & { seq?: number } }
  | { type: 'candidate'; candidate: Row };

/** One school's counts in the national overview (docs/rules.md §2); `total` has the same counts without a name. */
export interface SchoolCounts {
  school: string;
  registered: number;
  lobby: number;
  writing: number;
  disconnected: number;
  handed_in: number;
  absent: number;
}

/** What the national socket pushes (and GET …/overview answers): the whole overview, re-sent as candidates move. */
export interface NationalOverview {
  schools: SchoolCounts[];
  total: Omit<SchoolCounts, 'school'>;
  at?: string;
}
