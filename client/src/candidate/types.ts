import type { Phase, Receipt } from '../../../src/protocol/control.ts';
import type { PartEnd } from '../../../src/protocol/itemResponses.ts';

/** One sitting as GET /api/exam/sittings describes it (docs/protocol.md). */
export interface ExamView {
  registrationId: number;
  sittingId: number;
  subject: string;
  level: number;
  examNumber: string;
  startsAt: string;
  lobbyOpensAt: string;
  endsAt: string;
  graceSeconds: number;
  phase: Phase;
  state: string;
  aids: { spellCheck: boolean; textToSpeech: boolean; internet: boolean; calculator: boolean };
  lockdownProfile: string;
  accommodations: { extraMinutes: number; textToSpeech: boolean; largeText: boolean; highContrast: boolean; simpleWriting: boolean };
  paused: boolean;
  locked: boolean;
  receipt: Receipt | null;
  /** Set when the sitting is an item test (docs/rules.md, item tests): this pupil's end of each timed part. */
  itemTest?: { parts: PartEnd[] } | null;
}
