import { refuse, type Refusal } from '../refusal.ts';

/**
 * A school sets accommodations before the exam; once it has started, time changes only through the
 * invigilator's additive, reasoned and audited actions (docs/rules.md §5), so that no absolute value from the
 * school's office can wipe out minutes an invigilator granted in the room.
 */
export function accommodationsRefusal(startsAt: Date, now: Date): Refusal | null {
  if (now.getTime() < startsAt.getTime()) return null;
  return refuse(
    'sitting-started',
    'Prøven er begyndt: tilpasninger kan ikke ændres af skolen nu. Den tilsynsførende kan give ekstra tid i lokalet.',
    'The sitting has started: the school can no longer change accommodations. The invigilator can give extra time in the room.',
  );
}

/**
 * Registering pupils into a sitting (docs/rules.md §3). Before the start anything goes; once it has started a pupil
 * registered now gets only the time that is left, so the administrator must say they mean it; once it has ended there
 * is nothing to register for.
 */
export function registrationRefusal(state: 'scheduled' | 'lobby' | 'running' | 'ended' | 'cancelled', confirmedStarted: boolean): Refusal | null {
  if (state === 'ended' || state === 'cancelled')
    return refuse('sitting-ended', 'Prøven er afsluttet: der kan ikke tilmeldes elever nu.', 'The sitting has ended: pupils can no longer be registered.');
  if (state === 'running' && !confirmedStarted)
    return refuse(
      'sitting-started-confirm',
      'Prøven er begyndt. Elever, der tilmeldes nu, får kun den tid, der er tilbage. Bekræft tilmeldingen for at fortsætte.',
      'The sitting has started. Pupils registered now get only the time that is left. Confirm the registration to go on.',
    );
  return null;
}
