import { startLockdownGuard } from '../lockdown/guard.ts';
import type { ExamView } from './types.ts';

/**
 * The one place the exam page starts the in-browser lockdown (docs/rules.md §7, client/src/lockdown/guard.ts) when
 * writing begins. The guard blocks writing (e.g. outside fullscreen) through `onBlockedChange`.
 * Returns the function that stops it.
 */
export function startLockdown(exam: ExamView, editorRoot: HTMLElement, onBlockedChange: (blocked: boolean) => void): () => void {
  return startLockdownGuard({ registrationId: exam.registrationId, profile: exam.lockdownProfile, editorRoot, onBlockedChange });
}
