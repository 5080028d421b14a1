/**
 * Close codes of the answer websocket (4000–4999 are application codes, RFC 6455 §7.4.2). The reason text
 * travels with the code; clients act on the code. Documented in docs/protocol.md.
 */
export const Close = {
  malformed: { code: 4400, reason: 'malformed message' },
  unauthenticated: { code: 4401, reason: 'not signed in' },
  forbidden: { code: 4403, reason: 'not your answer' },
  unknownRegistration: { code: 4404, reason: 'unknown registration' },
  replaced: { code: 4409, reason: 'replaced by another device' },
  windowClosed: { code: 4410, reason: 'the exam window is closed or the answer is handed in' },
  tooLarge: { code: 4413, reason: 'message or document too large' },
  locked: { code: 4423, reason: 'locked by lockdown check' },
  tooEarly: { code: 4425, reason: 'the exam has not started' },
  loadFailed: { code: 1011, reason: 'the answer could not be loaded; try again' },
  restarting: { code: 1012, reason: 'server restarting; reconnect' },
} as const;

export type CloseCode = (typeof Close)[keyof typeof Close];
