import { windowOf } from '../exam/examView.ts';
import { endsAt, phase } from '../exam/window.ts';
import type { LockdownEventRow, RosterRow } from './queries.ts';
import { allowedActions } from './rules.ts';

/** One row of the invigilator's live room. Invigilators see names (graders never do). */
export function candidateView(r: RosterRow, now: Date, lockdown: LockdownEventRow[] = []) {
  const w = windowOf(r);
  const end = endsAt(w, now);
  return {
    registrationId: r.registration_id,
    examNumber: r.exam_number,
    name: r.full_name,
    className: r.class_name,
    state: r.state === 'registered' ? 'not_arrived' : r.state,
    phase: phase(w, now),
    connected: r.connected === true,
    presenceSince: r.presence_since?.toISOString() ?? null,
    lastSavedAt: r.last_saved_at?.toISOString() ?? null,
    words: r.words ?? 0,
    endsAt: end.toISOString(),
    extraMinutes: r.extra_minutes,
    paused: r.paused_at !== null,
    locked: r.locked_reason,
    deviceSwitchAllowed: r.device_switch_allowed,
    simpleWriting: r.simple_writing,
    handedInAt: r.handed_in_at?.toISOString() ?? null,
    lockdownEvents: lockdown
      .filter((e) => e.registration_id === r.registration_id)
      .slice(0, 20)
      .map((e) => ({ type: e.type, at: e.occurred_at.toISOString(), durationMs: e.duration_ms })),
    // Worked out when the row is read: a row is re-sent whenever its registration changes (roomFeed.ts).
    allowedActions: allowedActions(
      { state: r.state, pausedAt: r.paused_at, extraMinutes: r.extra_minutes, startsAt: r.starts_at, endsAt: end, simpleWriting: r.simple_writing },
      now,
      r.locked_reason !== null,
    ),
  };
}
