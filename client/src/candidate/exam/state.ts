/** A text in both languages; picked with tr() when shown, so the state itself is language-free. */
export type Text = readonly [da: string, en: string];

/** Everything that decides what the exam page lets the pupil do. Changed only by `reduce`. */
export interface ExamState {
  /** The pupil's end by the server (epoch ms); moves with extra time and pauses. */
  endsAt: number;
  paused: boolean;
  /** Why the server stopped writing for good (a final close), or null while writing may go on. */
  stopped: Text | null;
  /** The in-browser lockdown blocks writing, e.g. outside fullscreen (docs/rules.md §7). */
  lockdownBlocked: boolean;
  /** The end has passed by the server clock. */
  timeUp: boolean;
  /** The one banner line under the bar. */
  banner: Text | null;
}

export type ExamEvent =
  | { type: 'window'; endsAt: number; paused: boolean; now: number }
  | { type: 'tick'; now: number }
  | { type: 'notice'; text: Text }
  | { type: 'stopped'; text: Text }
  | { type: 'unlocked' }
  | { type: 'lockdown'; blocked: boolean };

export const PAUSED_BANNER: Text = [
  'Prøven er sat på pause af den tilsynsførende. Du kan ikke skrive lige nu – din tid står stille.',
  'The invigilator has paused your exam. You cannot write right now – your time is not running.',
];
export const TIME_UP_BANNER: Text = [
  'Tiden er gået. Din besvarelse afleveres automatisk – bliv på siden, til kvitteringen vises.',
  'Time is up. Your answer is handed in automatically – stay on this page until the receipt appears.',
];

export const initialExamState = (endsAt: number, paused: boolean): ExamState => ({
  endsAt,
  paused,
  stopped: null,
  lockdownBlocked: false,
  timeUp: false,
  banner: null,
});

export const canWrite = (s: ExamState): boolean => !s.paused && s.stopped === null && !s.lockdownBlocked && !s.timeUp;
export const canHandIn = (s: ExamState): boolean => s.stopped === null && !s.timeUp;

export function reduce(s: ExamState, e: ExamEvent): ExamState {
  switch (e.type) {
    case 'tick': {
      // The server decides (it refuses late changes after a short grace for what is in flight, docs/rules.md
      // §4.6); the page stops taking new text at the end by the server clock, and starts again if extra time
      // moves the end. A final close outranks both.
      const timeUp = s.endsAt - e.now <= 0;
      if (timeUp === s.timeUp || s.stopped !== null) return s;
      return { ...s, timeUp, banner: timeUp ? TIME_UP_BANNER : null };
    }
    case 'window': {
      const next = reduce({ ...s, endsAt: e.endsAt, paused: e.paused }, { type: 'tick', now: e.now });
      if (next.stopped !== null || next.timeUp) return next;
      return { ...next, banner: e.paused ? PAUSED_BANNER : null };
    }
    case 'notice':
      return { ...s, banner: e.text };
    case 'stopped':
      return { ...s, stopped: e.text, banner: e.text };
    case 'unlocked':
      return { ...s, stopped: null, banner: null };
    case 'lockdown':
      return { ...s, lockdownBlocked: e.blocked };
  }
}
