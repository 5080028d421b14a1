import type { AttachmentKind } from '../../../src/protocol/attachments.ts';
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
  /** `attachments`: the kinds the pupil may attach, [] when none (docs/rules.md §15.10). */
  aids: { spellCheck: boolean; textToSpeech: boolean; internet: boolean; calculator: boolean; attachments?: AttachmentKind[] };
  attachmentLimits?: { maxFiles: number; maxFileBytes: number } | null;
  lockdownProfile: string;
  accommodations: { extraMinutes: number; textToSpeech: boolean; largeText: boolean; highContrast: boolean; simpleWriting: boolean };
  paused: boolean;
  locked: boolean;
  receipt: Receipt | null;
  /** Set when the sitting is an item test (docs/rules.md, item tests): this pupil's end of each timed part. */
  itemTest?: { parts: PartEnd[] } | null;
}
