/**
 * Admissions first (docs/performance.md, "Admissions first"). In a start storm the openings of the pupils still
 * outside and the acknowledgements of those already writing share one main thread, and the writers win: each of
 * their messages costs as much as a small part of an opening, and there are ten thousand a second. A pupil who
 * cannot get in is worse off than one whose "Gemt" comes two seconds late, so while a storm is being admitted
 * the node gathers its acknowledgements and sends them every `stormAckDelayMs`. Flow control does the rest: a
 * browser with two messages unacknowledged holds its edits (kept in IndexedDB) and sends them merged, so the
 * writers send a third as many messages and the openings get the main thread.
 */
export const ACK_PACING = {
  /** Sockets between the upgrade and their opening at the same moment from which a node is in a start storm. */
  stormAdmitting: 20,
  /** How long the acknowledgements due then wait, gathered (well inside the browser's 10-s unsaved warning). */
  stormAckDelayMs: 2_000,
} as const;

/** How long due acknowledgements wait before they go out, with this many sockets being admitted. */
export function ackDelayMs(admitting: number, pacing: { stormAdmitting: number; stormAckDelayMs: number } = ACK_PACING): number {
  return admitting >= pacing.stormAdmitting ? pacing.stormAckDelayMs : 0;
}
