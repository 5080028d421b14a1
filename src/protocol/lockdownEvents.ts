/** What the in-browser guard reports (docs/rules.md §7); the server accepts exactly these. */
export const LOCKDOWN_EVENT_TYPES = [
  'left_fullscreen',
  'focus_lost',
  'visibility_hidden',
  'paste_blocked',
  'print_blocked',
  'devtools_blocked',
  'context_menu_blocked',
  'copy_blocked',
] as const;

export type LockdownEventType = (typeof LOCKDOWN_EVENT_TYPES)[number];

/** Reported by the server itself when Safe Exam Browser's Config Key stops matching mid-exam. */
export type ServerLockdownEventType = 'seb_mismatch';
