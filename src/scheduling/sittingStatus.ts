import type { Queryable } from '../db/pool.ts';
import { findSitting, openWindows, type SittingRow } from './queries.ts';
import { sittingEndsAt, sittingState, type SittingState, type SittingTimes } from './sittingState.ts';

const timesOf = (s: SittingRow): SittingTimes => ({
  startsAt: s.starts_at,
  durationMinutes: s.duration_minutes,
  lobbyOpensMinutes: s.lobby_opens_minutes,
  cancelled: s.status === 'cancelled',
});

/** The state of each listed sitting now (sittingState.ts), reading the unfinished pupils' windows in one query. */
export async function statesOf(q: Queryable, sittings: SittingRow[], now: Date, graceSeconds: number): Promise<Map<number, SittingState>> {
  // Only a sitting past its regular start can be running or ended; the rest need no registrations read.
  const started = sittings.filter((s) => s.status !== 'cancelled' && s.starts_at.getTime() <= now.getTime()).map((s) => s.id);
  const windows = started.length ? await openWindows(q, started) : new Map();
  return new Map(sittings.map((s) => [s.id, sittingState(timesOf(s), windows.get(s.id) ?? [], now, graceSeconds)]));
}

/** One sitting's state and the moment it is over for everyone (grading opens then); null for an unknown id. */
export async function sittingProgress(q: Queryable, sittingId: number, now: Date, graceSeconds: number): Promise<{ state: SittingState; endsAt: Date } | null> {
  const s = await findSitting(q, sittingId);
  if (!s) return null;
  const open = (await openWindows(q, [s.id])).get(s.id) ?? [];
  return { state: sittingState(timesOf(s), open, now, graceSeconds), endsAt: sittingEndsAt(timesOf(s), open, now, graceSeconds) };
}
