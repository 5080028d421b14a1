export interface RoomRef {
  sittingId: number;
  roomId: number;
  room: string;
  school: string;
  subject: string;
  startsAt: string;
}

/** One roster row as the server's rosterView.ts builds it (snapshot and `candidate` messages of the live room). */
export interface CandidateRow {
  registrationId: number;
  examNumber: string;
  name: string;
  state: string;
  connected: boolean;
  presenceSince: string | null;
  lastSavedAt: string | null;
  words: number;
  endsAt: string;
  extraMinutes: number;
  paused: boolean;
  locked: string | null;
  handedInAt: string | null;
  lockdownEvents: { type: string; at: string; durationMs: number | null }[];
  /** The actions the server's rules allow for this pupil now (src/invigilation/rules.ts): the buttons shown. */
  allowedActions: string[];
}
