/** When a socket was last heard from (any message or pong) and last pinged, on one monotonic clock in ms. */
export interface Liveness {
  heardAt: number;
  pingedAt: number | null;
}

/**
 * What the answer socket's heartbeat does with one socket at a beat (docs/rules.md §5: a vanished laptop shows
 * as disconnected within 5 s). A socket heard from within the last quarter beat is plainly alive and is not pinged:
 * a typing pupil sends every few hundred milliseconds, and a ping per pupil per beat was a system call each
 * (2,500 a second at 5,000 pupils, docs/performance.md). A socket that has been quiet for longer is pinged, and one
 * that answered nothing since its last ping — a whole beat ago — is gone. Worst case from the last message to the
 * cut: a quarter beat of quiet, up to a beat until the ping, a beat for the answer (2.25 beats: 4.5 s at 2 s).
 */
export function beatAction(s: Liveness, now: number, beatMs: number): 'terminate' | 'ping' | 'none' {
  if (s.pingedAt !== null && s.heardAt < s.pingedAt) return 'terminate';
  return now - s.heardAt >= beatMs / 4 ? 'ping' : 'none';
}
