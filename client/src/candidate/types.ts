export interface Receipt { receiptCode: string; registrationId: number; examNumber: string; handedInAt: string; sha256: string; wordCount: number }

/** One sitting as GET /api/exam/sittings describes it (docs/protocol.md). */
export interface ExamView {
  registrationId: number; sittingId: number; subject: string; level: number; examNumber: string;
  startsAt: string; lobbyOpensAt: string; endsAt: string; graceSeconds: number;
  phase: 'before_lobby' | 'lobby' | 'writing' | 'ended' | 'handed_in' | 'absent' | 'cancelled';
  state: string; aids: { spellCheck: boolean; textToSpeech: boolean; internet: boolean; calculator: boolean };
  lockdownProfile: string;
  accommodations: { extraMinutes: number; textToSpeech: boolean; largeText: boolean; highContrast: boolean };
  paused: boolean; locked: boolean; receipt: Receipt | null;
}

export type WindowControl = { type: 'window'; phase: string; endsAt: string; paused: boolean; locked: boolean };
export type Control = WindowControl | { type: 'handed_in'; receipt: Receipt } | { type: 'replaced' } | { type: 'notice'; da: string; en: string };
