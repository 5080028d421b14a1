import type { ExamView } from './types.ts';

const OPEN_PHASES: ExamView['phase'][] = ['before_lobby', 'lobby', 'writing'];

/**
 * Where a (re)loaded page goes without asking (docs/rules.md §4.1): the running exam if there is exactly one, else
 * the sitting this tab had open if it is still open, else the only sitting of the day that is open.
 */
export function resumable(sittings: ExamView[], openedBefore: number): ExamView | undefined {
  const writing = sittings.filter((s) => s.phase === 'writing');
  if (writing.length === 1) return writing[0];
  const before = sittings.find((s) => s.registrationId === openedBefore && OPEN_PHASES.includes(s.phase));
  if (before) return before;
  return sittings.length === 1 && OPEN_PHASES.includes(sittings[0].phase) ? sittings[0] : undefined;
}
