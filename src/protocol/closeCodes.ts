/**
 * Close codes of Prøvesal's four sockets, one table each (4000–4999 are application codes, RFC 6455 §7.4.2).
 * The 44xx numbers mirror the HTTP status with the same meaning. The reason text travels with the code for
 * people reading logs; clients act on the code alone. Documented in docs/protocol.md.
 */
export interface CloseCode {
  readonly code: number;
  readonly reason: string;
}

/** The answer socket `/ws/answer/<registrationId>`. */
export const AnswerClose = {
  /** Not a y-websocket message, or too many messages before sign-in finished. */
  malformed: { code: 4400, reason: 'malformed message' },
  /** No valid session: sign in again (the browser keeps the text). */
  unauthenticated: { code: 4401, reason: 'not signed in' },
  /** Signed in, but not as the candidate who owns this answer. */
  forbidden: { code: 4403, reason: 'not your answer' },
  /** No such registration for this candidate (never says whether it exists for someone else). */
  unknownRegistration: { code: 4404, reason: 'unknown registration' },
  /** Another device took over this answer (docs/rules.md §4.5). */
  replaced: { code: 4409, reason: 'replaced by another device' },
  /**
   * The answer is open on another device that is still connected (or left less than a minute ago): only the
   * invigilator's "allow device switch" lets this one take over (docs/rules.md §4.5).
   */
  deviceInUse: { code: 4412, reason: 'the answer is open on another device; ask the invigilator' },
  /** The window is closed or the answer is handed in: nothing more is stored. */
  windowClosed: { code: 4410, reason: 'the exam window is closed or the answer is handed in' },
  /** A message or the document is over its limit; what was stored before stays. */
  tooLarge: { code: 4413, reason: 'message or document too large' },
  /** The answer is locked (lockdown check failed, or an invigilator locked it) until an invigilator unlocks. */
  locked: { code: 4423, reason: 'locked by lockdown check' },
  /** The exam has not started: back to the lobby. */
  tooEarly: { code: 4425, reason: 'the exam has not started' },
  /** Loading the stored answer failed: retry, never write over it with an empty document. */
  loadFailed: { code: 1011, reason: 'the answer could not be loaded; try again' },
  /** This node is shutting down after storing everything pending: reconnect (to any node). */
  restarting: { code: 1012, reason: 'server restarting; reconnect' },
} as const satisfies Record<string, CloseCode>;

/** The lobby's presence socket `/ws/lobby/<registrationId>`: carries no data, only that the pupil is there. */
export const LobbyClose = {
  /** No valid session. */
  unauthenticated: { code: 4401, reason: 'not signed in' },
  /** Signed in, but not a candidate. */
  forbidden: { code: 4403, reason: 'candidates only' },
  /** No such registration for this candidate. */
  unknownRegistration: { code: 4404, reason: 'unknown registration' },
  /** The lobby is over (the exam started, or the answer is handed in): the answer socket takes over. */
  lobbyOver: { code: 4410, reason: 'the lobby is over' },
  /** The answer belongs to another device that is connected or left less than a minute ago (docs/rules.md §4.5). */
  deviceInUse: { code: 4412, reason: 'the answer is open on another device; ask the invigilator' },
  /** Locked by the lockdown check or an invigilator. */
  locked: { code: 4423, reason: 'locked' },
  /** Setting up failed: reconnect. */
  unavailable: { code: 1011, reason: 'lobby presence unavailable; try again' },
  /** This node is shutting down: reconnect. */
  restarting: { code: 1012, reason: 'server restarting; reconnect' },
} as const satisfies Record<string, CloseCode>;

/** The invigilator's live room `/ws/invigilate/<sittingId>/<roomId>`. */
export const LiveRoomClose = {
  /** No valid session. */
  unauthenticated: { code: 4401, reason: 'not signed in' },
  /** Signed in, but not an invigilator. */
  forbidden: { code: 4403, reason: 'invigilators only' },
  /** No such room, or not one this invigilator is assigned to. */
  unknownRoom: { code: 4404, reason: 'unknown room' },
  /** Setting up the room's view failed: reconnect. */
  unavailable: { code: 1011, reason: 'live room unavailable; try again' },
  /** This node is shutting down: reconnect. */
  restarting: { code: 1012, reason: 'server restarting; reconnect' },
} as const satisfies Record<string, CloseCode>;

/** The ministry's national overview `/ws/national/<sittingId>`. */
export const NationalClose = {
  /** No valid session. */
  unauthenticated: { code: 4401, reason: 'not signed in' },
  /** Signed in, but not the ministry. */
  forbidden: { code: 4403, reason: 'ministry only' },
  /** The id is not a sitting. */
  unknownSitting: { code: 4404, reason: 'unknown sitting' },
  /** This node is shutting down: reconnect. */
  restarting: { code: 1012, reason: 'server restarting; reconnect' },
} as const satisfies Record<string, CloseCode>;

/** A 44xx close is the server's final decision: reconnecting would get the same answer. */
export const isFinalClose = (code: number): boolean => code >= 4400 && code < 4500;
