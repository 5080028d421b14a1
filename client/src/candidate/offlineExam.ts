import type { ExamView } from './types.ts';

/**
 * The pupil's last opened registration, kept so that the exam page can open without a connection (its answer comes
 * from IndexedDB). Per user, and forgotten at sign-out (shell/offline.ts). The server still decides everything:
 * the window control on reconnecting corrects the end, a pause or a hand-in made meanwhile.
 */
const key = (userId: number) => `provesal.exam.${userId}`;

export function keepExam(userId: number, exam: ExamView): void {
  try {
    localStorage.setItem(key(userId), JSON.stringify(exam));
  } catch {
    /* storage full or blocked: an offline start then says so, as before */
  }
}

/** The kept registration if it is one the pupil may still be writing (optionally: this one). */
export function keptExam(userId: number, registrationId?: number): ExamView | null {
  try {
    const exam = JSON.parse(localStorage.getItem(key(userId)) ?? 'null') as ExamView | null;
    if (!exam || (registrationId !== undefined && exam.registrationId !== registrationId)) return null;
    return exam.phase === 'writing' && !exam.receipt ? exam : null;
  } catch {
    return null;
  }
}

export const OFFLINE_NOTICE: readonly [string, string] = [
  'Der er ingen forbindelse lige nu, men du kan skrive videre. Din besvarelse er hentet fra browserens kopi, og den sendes til serveren, når forbindelsen er tilbage.',
  'There is no connection right now, but you can keep writing. Your answer was loaded from the browser’s copy and is sent to the server when the connection is back.',
];
