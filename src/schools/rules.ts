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
