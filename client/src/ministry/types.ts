import { tr } from '../shell/i18n.ts';

/** The ministry's sitting as /api/sittings gives it (src/scheduling/sittingEditor.ts sittingJson). */
export interface Sitting {
  id: number;
  subject: string;
  level: number;
  startsAt: string;
  startDate: string;
  startTime: string;
  durationMinutes: number;
  status: string;
  state: SittingState;
  paper: { pdf: boolean; text: boolean };
  schoolIds: number[];
}
export type SittingState = 'scheduled' | 'lobby' | 'running' | 'ended' | 'cancelled';

export interface School {
  id: number;
  name: string;
  institutionNo: string;
}

const STATES: Record<SittingState, [string, string]> = {
  scheduled: ['Planlagt', 'Scheduled'],
  lobby: ['Lobby åben', 'Lobby open'],
  running: ['I gang', 'In progress'],
  ended: ['Afsluttet', 'Ended'],
  cancelled: ['Aflyst', 'Cancelled'],
};

export const stateLabel = (s: SittingState): string => tr(...STATES[s]);

/** Which question paper is uploaded, in words. */
export const paperLabel = (p: Sitting['paper']): string =>
  p.pdf && p.text
    ? tr('PDF og tekst uploadet', 'PDF and text uploaded')
    : p.pdf
      ? tr('PDF uploadet', 'PDF uploaded')
      : p.text
        ? tr('Tekst uploadet', 'Text uploaded')
        : tr('Mangler', 'Missing');

/** The sitting as a person names it: "Dansk – skriftlig fremstilling (FP9)". */
export const sittingName = (s: Pick<Sitting, 'subject' | 'level'>): string => `${s.subject} (FP${s.level})`;
