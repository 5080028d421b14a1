/**
 * When an invigilator may act on one registration, as pure rules of its state and the server time (docs/rules.md §5).
 * Who may act at all is permissions.ts; each rule here answers null (allowed) or the refusal (409 with the id).
 */
export interface RegistrationState {
  state: string;
  pausedAt: Date | null;
  extraMinutes: number;
  startsAt: Date;
  /** The candidate's individual end (window.endsAt) at `now`. */
  endsAt: Date;
  /** Simple writing mode is already allowed (docs/rules.md §13). */
  simpleWriting?: boolean;
}

export type Refusal = { id: string; da: string; en: string };
const refuse = (id: string, da: string, en: string): Refusal => ({ id, da, en });

/** The schema's ceiling for registrations.extra_minutes (CHECK 0..600): refused, never silently capped. */
export const EXTRA_MINUTES_TOTAL_MAX = 600;
/** Largest single grant (the form's bound): a slip of the keyboard must not add a day. */
export const EXTRA_MINUTES_MAX = 240;

const done = (s: RegistrationState) => s.state === 'handed_in' || s.state === 'absent' || s.state === 'ill';
const over = (s: RegistrationState, now: Date) => now.getTime() >= s.endsAt.getTime();

export function extraTimeRefusal(s: RegistrationState, minutes: number): Refusal | null {
  if (done(s)) return refuse('not-writing', 'Eleven har afleveret eller er meldt fraværende.', 'The candidate has handed in or is marked absent.');
  if (s.extraMinutes + minutes > EXTRA_MINUTES_TOTAL_MAX) {
    return refuse(
      'extra-time-limit',
      `Højst ${EXTRA_MINUTES_TOTAL_MAX} minutters ekstra tid i alt (eleven har ${s.extraMinutes}).`,
      `At most ${EXTRA_MINUTES_TOTAL_MAX} minutes of extra time in total (the candidate has ${s.extraMinutes}).`,
    );
  }
  return null;
}

export function pauseRefusal(s: RegistrationState, now: Date): Refusal | null {
  if (done(s)) return refuse('not-writing', 'Eleven skriver ikke.', 'The candidate is not writing.');
  if (s.pausedAt) return refuse('already-paused', 'Eleven er allerede sat på pause.', 'The candidate is already paused.');
  if (now < s.startsAt || over(s, now))
    return refuse('outside-window', 'Pause kan kun gives, mens prøven er i gang.', 'A pause is only possible while the exam is running.');
  return null;
}

export function resumeRefusal(s: RegistrationState): Refusal | null {
  if (!s.pausedAt) return refuse('not-paused', 'Eleven er ikke sat på pause.', 'The candidate is not paused.');
  return null;
}

/** A one-time code expires at the candidate's end; after it there is nothing left to sign in for. */
export function accessCodeRefusal(s: RegistrationState, now: Date): Refusal | null {
  if (s.state === 'absent' || s.state === 'ill')
    return refuse('marked-absent', 'Eleven er meldt fraværende; fortryd det først.', 'The candidate is marked absent; undo that first.');
  if (over(s, now)) return refuse('window-closed', 'Elevens prøvetid er slut.', "The candidate's exam time is over.");
  return null;
}

/** A device switch only matters while the candidate can still write. */
export function deviceSwitchRefusal(s: RegistrationState, now: Date): Refusal | null {
  if (done(s)) return refuse('not-writing', 'Eleven har afleveret eller er meldt fraværende.', 'The candidate has handed in or is marked absent.');
  if (over(s, now)) return refuse('window-closed', 'Elevens prøvetid er slut.', "The candidate's exam time is over.");
  return null;
}

/** Simple writing mode (docs/rules.md §13) helps only while the pupil can still write, and is switched on once. */
export function simpleWritingRefusal(s: RegistrationState, now: Date): Refusal | null {
  if (s.simpleWriting) return refuse('already-simple-writing', 'Eleven har allerede enkel skrivning.', 'The candidate already has simple writing mode.');
  if (done(s)) return refuse('not-writing', 'Eleven har afleveret eller er meldt fraværende.', 'The candidate has handed in or is marked absent.');
  if (over(s, now)) return refuse('window-closed', 'Elevens prøvetid er slut.', "The candidate's exam time is over.");
  return null;
}

export function absentRefusal(s: RegistrationState): Refusal | null {
  if (s.state === 'handed_in') return refuse('already-handed-in', 'Eleven har allerede afleveret.', 'The candidate has already handed in.');
  if (s.state === 'absent' || s.state === 'ill')
    return refuse('already-absent', 'Eleven er allerede meldt fraværende.', 'The candidate is already marked absent.');
  return null;
}

/** Undoing a mistaken absent/ill mark, while the candidate's time is still running. */
export function presentRefusal(s: RegistrationState, now: Date): Refusal | null {
  if (s.state !== 'absent' && s.state !== 'ill') return refuse('not-absent', 'Eleven er ikke meldt fraværende.', 'The candidate is not marked absent.');
  if (over(s, now)) return refuse('window-closed', 'Elevens prøvetid er slut.', "The candidate's exam time is over.");
  return null;
}

/** Reopen only within the candidate's own window: afterwards the answer stays as handed in. */
export function reopenRefusal(s: RegistrationState, now: Date): Refusal | null {
  if (s.state !== 'handed_in') return refuse('not-handed-in', 'Besvarelsen er ikke afleveret.', 'The answer has not been handed in.');
  if (over(s, now))
    return refuse('window-closed', 'Prøvetiden er slut; afleveringen kan ikke genåbnes.', 'The exam time is over; the hand-in cannot be reopened.');
  return null;
}

/** Ending a room before its start would leave pupils waiting in the lobby for an exam that is already over. */
export function endRoomRefusal(startsAt: Date, now: Date): Refusal | null {
  if (now < startsAt)
    return refuse('not-started', 'Prøven er ikke begyndt; den kan ikke afsluttes endnu.', 'The exam has not started; it cannot be ended yet.');
  return null;
}

/** The per-registration actions of the live room, named as their route segment (`/registrations/:id/<action>`). */
export type InvigilatorAction =
  'extra-time' | 'pause' | 'resume' | 'access-code' | 'device-switch' | 'simple-writing' | 'absent' | 'present' | 'reopen' | 'unlock';

/**
 * The actions the rules above allow now, sent with each roster row so the browser shows exactly these
 * buttons and keeps no copy of the rules. The server still checks each action when it is taken.
 */
export function allowedActions(s: RegistrationState, now: Date, locked: boolean): InvigilatorAction[] {
  const refusals: [InvigilatorAction, Refusal | null][] = [
    ['extra-time', extraTimeRefusal(s, 1)], // the smallest grant: offered while any grant could succeed
    ['pause', pauseRefusal(s, now)],
    ['resume', resumeRefusal(s)],
    ['access-code', accessCodeRefusal(s, now)],
    ['device-switch', deviceSwitchRefusal(s, now)],
    ['simple-writing', simpleWritingRefusal(s, now)],
    ['absent', absentRefusal(s)],
    ['present', presentRefusal(s, now)],
    ['reopen', reopenRefusal(s, now)],
  ];
  const allowed = refusals.filter(([, refusal]) => refusal === null).map(([action]) => action);
  // Unlocking belongs to lockdown (docs/rules.md §7) and needs only a lock to lift.
  if (locked) allowed.push('unlock');
  return allowed;
}
