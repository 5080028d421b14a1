/**
 * What an invigilator may do to one registration, as pure rules of its state (SPEC §5). Who may act at all
 * (an invigilator assigned to the room) is `mayInvigilate` in auth/permissions.ts; this says when.
 */
export interface RegistrationState {
  state: string;
  pausedAt: Date | null;
  /** The candidate's individual end (window.endsAt) at `now`. */
  endsAt: Date;
  startsAt: Date;
}

export type Refusal = { id: string; da: string; en: string };
const refuse = (id: string, da: string, en: string): Refusal => ({ id, da, en });

const done = (s: RegistrationState) => s.state === 'handed_in' || s.state === 'absent' || s.state === 'ill';

export function extraTimeRefusal(s: RegistrationState): Refusal | null {
  if (done(s)) return refuse('not-writing', 'Eleven har afleveret eller er meldt fraværende.', 'The candidate has handed in or is marked absent.');
  return null;
}

export function pauseRefusal(s: RegistrationState, now: Date): Refusal | null {
  if (done(s)) return refuse('not-writing', 'Eleven skriver ikke.', 'The candidate is not writing.');
  if (s.pausedAt) return refuse('already-paused', 'Eleven er allerede sat på pause.', 'The candidate is already paused.');
  if (now < s.startsAt || now >= s.endsAt) return refuse('outside-window', 'Pause kan kun gives, mens prøven er i gang.', 'A pause is only possible while the exam is running.');
  return null;
}

export function resumeRefusal(s: RegistrationState): Refusal | null {
  if (!s.pausedAt) return refuse('not-paused', 'Eleven er ikke sat på pause.', 'The candidate is not paused.');
  return null;
}

/** Reopen only within the candidate's own window: afterwards the answer stays as handed in. */
export function reopenRefusal(s: RegistrationState, now: Date): Refusal | null {
  if (s.state !== 'handed_in') return refuse('not-handed-in', 'Besvarelsen er ikke afleveret.', 'The answer has not been handed in.');
  if (now >= s.endsAt) return refuse('window-closed', 'Prøvetiden er slut; afleveringen kan ikke genåbnes.', 'The exam time is over; the hand-in cannot be reopened.');
  return null;
}

export function absentRefusal(s: RegistrationState): Refusal | null {
  if (s.state === 'handed_in') return refuse('already-handed-in', 'Eleven har allerede afleveret.', 'The candidate has already handed in.');
  return null;
}

export const EXTRA_MINUTES_MAX = 240;
