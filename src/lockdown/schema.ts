import { z } from 'zod';

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

export const lockdownEventsInput = z.object({
  registrationId: z.number().int().positive(),
  events: z
    .array(
      z.object({
        type: z.enum(LOCKDOWN_EVENT_TYPES),
        /** The browser's clock, kept only for comparison: the server's receive time is the event's time. */
        at: z.iso.datetime().optional(),
        durationMs: z
          .number()
          .int()
          .min(0)
          .max(24 * 3_600_000)
          .optional(),
        details: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
      }),
    )
    .min(1)
    .max(50),
});

export const unlockInput = z.object({ reason: z.string().trim().min(3).max(1000) });
