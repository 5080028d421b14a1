import type { Phase } from '../protocol/control.ts';
/**
 * The time window of one candidate (docs/rules.md §4.6), as pure functions of sitting + registration + server time.
 * The server decides; clients only display what it says.
 *
 *   lobbyOpensAt = startsAt − lobbyOpensMinutes
 *   endsAt       = startsAt + duration + extraMinutes + pausedSeconds (+ the running pause, if paused)
 *                  capped by endedAt when an invigilator ended the sitting for the room
 *   updates are accepted from startsAt until endsAt + grace (changes already in flight when time ran out)
 */
export interface WindowInput {
  startsAt: Date;
  durationMinutes: number;
  lobbyOpensMinutes: number;
  extraMinutes: number;
  pausedSeconds: number;
  pausedAt: Date | null;
  endedAt: Date | null;
  handedInAt: Date | null;
  state: string;
  cancelled?: boolean;
}

export type { Phase };

export const lobbyOpensAt = (w: WindowInput): Date => new Date(w.startsAt.getTime() - w.lobbyOpensMinutes * 60_000);

/** The candidate's individual end. While paused the end moves with the clock: paused time is added back. */
export function endsAt(w: Pick<WindowInput, 'startsAt' | 'durationMinutes' | 'extraMinutes' | 'pausedSeconds' | 'pausedAt' | 'endedAt'>, now: Date): Date {
  const running = w.pausedAt ? Math.max(0, now.getTime() - w.pausedAt.getTime()) : 0;
  const end = w.startsAt.getTime() + (w.durationMinutes + w.extraMinutes) * 60_000 + w.pausedSeconds * 1000 + running;
  return new Date(w.endedAt ? Math.min(end, w.endedAt.getTime()) : end);
}

export function phase(w: WindowInput, now: Date): Phase {
  if (w.cancelled) return 'cancelled';
  if (w.state === 'handed_in') return 'handed_in';
  if (w.state === 'absent' || w.state === 'ill') return 'absent';
  const t = now.getTime();
  if (t < lobbyOpensAt(w).getTime()) return 'before_lobby';
  if (t < w.startsAt.getTime()) return 'lobby';
  if (t < endsAt(w, now).getTime()) return 'writing';
  return 'ended';
}

/**
 * Whether an answer update arriving now is stored: from the start until the end plus grace. A pause does not
 * refuse updates: the client stops editing, and keystrokes already in flight must not be stranded.
 */
export function acceptsUpdates(w: WindowInput, now: Date, graceSeconds: number): boolean {
  if (w.cancelled || w.state === 'handed_in' || w.state === 'absent' || w.state === 'ill') return false;
  const t = now.getTime();
  return t >= w.startsAt.getTime() && t < endsAt(w, now).getTime() + graceSeconds * 1000;
}

/** When the automatic hand-in is due: the end plus grace, so updates still in flight are included. */
export function autoHandInDueAt(w: WindowInput, now: Date, graceSeconds: number): Date {
  return new Date(endsAt(w, now).getTime() + graceSeconds * 1000);
}
