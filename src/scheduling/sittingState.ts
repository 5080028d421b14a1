import { endsAt } from '../exam/window.ts';

/**
 * A sitting's state as the ministry and the graders see it (docs/rules.md §2), a pure function of the sitting, the
 * windows of the pupils still to finish, and the server's clock:
 *
 *   scheduled  before the lobby opens
 *   lobby      from the lobby's opening until the start
 *   running    from the start until the last unfinished pupil's own end (extra time, pauses) plus grace
 *   ended      after that: every answer is in, so grading may open
 *   cancelled  cancelled by the ministry
 *
 * The grace is part of the end because answers still in flight are accepted until then and handed in automatically
 * only after it (exam/window.ts): a grader must never see a submission list that is about to grow.
 */
export type SittingState = 'scheduled' | 'lobby' | 'running' | 'ended' | 'cancelled';

export interface SittingTimes {
  startsAt: Date;
  durationMinutes: number;
  lobbyOpensMinutes: number;
  cancelled: boolean;
}

/** The window of one registration that is neither handed in nor absent. */
export interface OpenWindow {
  extraMinutes: number;
  pausedSeconds: number;
  pausedAt: Date | null;
  endedAt: Date | null;
}

/** The moment the sitting is over for everyone: its regular end or the latest unfinished pupil's end, plus grace. */
export function sittingEndsAt(s: SittingTimes, open: readonly OpenWindow[], now: Date, graceSeconds: number): Date {
  const regular = s.startsAt.getTime() + s.durationMinutes * 60_000;
  const latest = open.reduce((m, w) => Math.max(m, endsAt({ ...s, ...w }, now).getTime()), regular);
  return new Date(latest + graceSeconds * 1000);
}

export function sittingState(s: SittingTimes, open: readonly OpenWindow[], now: Date, graceSeconds: number): SittingState {
  if (s.cancelled) return 'cancelled';
  const t = now.getTime();
  if (t < s.startsAt.getTime() - s.lobbyOpensMinutes * 60_000) return 'scheduled';
  if (t < s.startsAt.getTime()) return 'lobby';
  return t < sittingEndsAt(s, open, now, graceSeconds).getTime() ? 'running' : 'ended';
}
