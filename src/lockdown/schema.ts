import { z } from 'zod';
import { LOCKDOWN_EVENT_TYPES } from '../protocol/lockdownEvents.ts';

export { LOCKDOWN_EVENT_TYPES };

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
