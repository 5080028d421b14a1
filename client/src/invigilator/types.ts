export interface RoomRef { sittingId: number; roomId: number; room: string; school: string; subject: string; startsAt: string }

export interface CandidateRow {
  registrationId: number; examNumber: string; name: string; state: string; connected: boolean; presenceSince: string | null;
  lastSavedAt: string | null; words: number; endsAt: string; extraMinutes: number; paused: boolean; locked: string | null;
  handedInAt: string | null; lockdownEvents: { type: string; at: string; durationMs: number | null }[];
}
