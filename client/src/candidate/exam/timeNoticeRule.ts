import type { Text } from './state.ts';

/** What the time notice compares: the pupil's end and pause by the server, at a moment by the server clock. */
export interface Clock {
  endsAt: number;
  paused: boolean;
  now: number;
}

const LAST_MINUTES = 5;
/** A re-sent window (a reconnect) may differ by rounding; a real change of the end is whole minutes. */
const NOISE_MS = 30_000;

/**
 * The notice a change of the time brings (docs/accessibility.md, "The pupil"): extra time, the end of a pause and
 * the last five minutes. The start of a pause is the exam page's banner. Null when nothing worth saying changed.
 * `clockTime` writes an end time as the pupil reads it (HH.MM).
 */
export function timeNotice(before: Clock, after: Clock, clockTime: (ms: number) => string): Text | null {
  const at = clockTime(after.endsAt);
  if (before.paused && !after.paused)
    return [`Pausen er slut. Du kan skrive videre. Din sluttid er nu kl. ${at}.`, `The pause is over. You can write again. Your end time is now ${at}.`];
  if (before.paused !== after.paused || after.paused) return null; // while paused the end moves with the clock
  const moved = after.endsAt - before.endsAt;
  if (Math.abs(moved) >= NOISE_MS) {
    const m = Math.round(moved / 60_000);
    if (m > 0)
      return [
        `Du har fået ${m} minut${m === 1 ? '' : 'ter'} ekstra tid. Din sluttid er nu kl. ${at}.`,
        `You have been given ${m} minute${m === 1 ? '' : 's'} of extra time. Your end time is now ${at}.`,
      ];
    return [`Din sluttid er ændret til kl. ${at}.`, `Your end time has been changed to ${at}.`];
  }
  const limit = LAST_MINUTES * 60_000;
  const leftBefore = before.endsAt - before.now;
  const leftAfter = after.endsAt - after.now;
  if (leftBefore > limit && leftAfter <= limit && leftAfter > 0)
    return [
      `${LAST_MINUTES} minutter tilbage. Din besvarelse afleveres automatisk kl. ${at}, hvis du ikke har afleveret før.`,
      `${LAST_MINUTES} minutes left. Your answer is handed in automatically at ${at} unless you hand in before.`,
    ];
  return null;
}
