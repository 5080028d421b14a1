// When each timed part of an item test ends for one pupil (docs/rules.md §14). Parts run one after the
// other from the sitting's start; the pupil's extra minutes are spread over the timed parts by extendParts.
import type { WindowInput } from '../exam/window.ts';
import { endsAt } from '../exam/window.ts';
import type { PartEnd } from '../protocol/itemResponses.ts';
import { extendParts } from './extraTime.ts';
import type { PartSchedule } from './testPlan.ts';

type Window = Pick<WindowInput, 'startsAt' | 'durationMinutes' | 'extraMinutes' | 'pausedSeconds' | 'pausedAt' | 'endedAt'>;

/**
 * Each timed part's end: the start, plus every earlier timed part and this one with their share of the extra
 * time, plus paused time (a pause stops every clock of the pupil, as it does the sitting's end). Never later
 * than the pupil's own end, which an invigilator may also bring forward. Untimed parts have no end of their own.
 */
export function partEnds(parts: readonly PartSchedule[], w: Window, now: Date): PartEnd[] {
  const extended = extendParts(
    parts.map((p) => ({ identifier: p.identifier, maxTimeSeconds: p.maxTimeSeconds })),
    w.extraMinutes * 60,
  );
  const running = w.pausedAt ? Math.max(0, now.getTime() - w.pausedAt.getTime()) : 0;
  const cap = endsAt(w, now).getTime();
  let t = w.startsAt.getTime() + w.pausedSeconds * 1000 + running;
  const ends: PartEnd[] = [];
  for (const p of extended) {
    if (p.maxTimeSeconds === null) continue;
    t += (p.maxTimeSeconds + p.extraSeconds) * 1000;
    ends.push({ part: p.identifier, endsAt: new Date(Math.min(t, cap)).toISOString() });
  }
  return ends;
}

/** The parts whose responses are frozen now: their end plus the grace for changes already in flight has passed. */
export function closedParts(ends: readonly PartEnd[], now: Date, graceSeconds: number): Set<string> {
  return new Set(ends.filter((e) => Date.parse(e.endsAt) + graceSeconds * 1000 <= now.getTime()).map((e) => e.part));
}

/** The next moment a part closes after `now`, or null when every timed part is closed. */
export function nextClose(ends: readonly PartEnd[], now: Date, graceSeconds: number): Date | null {
  const next = ends.map((e) => Date.parse(e.endsAt) + graceSeconds * 1000).filter((t) => t > now.getTime());
  return next.length ? new Date(Math.min(...next)) : null;
}

/** The registration view's `itemTest`: every timed part's end for this pupil. */
export const itemTestOf = (parts: readonly PartSchedule[], w: Window, now: Date): { parts: PartEnd[] } => ({ parts: partEnds(parts, w, now) });
