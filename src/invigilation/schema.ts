import { z } from 'zod';
import { EXTRA_MINUTES_MAX } from './rules.ts';

/**
 * Every invigilator action needs a reason: it goes into the audit log with who and when (docs/rules.md §5, §8).
 * Three characters at least after trimming: "." or "x" explains nothing to whoever reads the log later.
 */
const reason = z.string().trim().min(3, 'en begrundelse skal udfyldes / a reason is required').max(1000);

export const withReason = z.object({ reason });
export const extraTimeInput = z.object({ minutes: z.number().int().min(1).max(EXTRA_MINUTES_MAX), reason });
/** 'present' undoes a mistaken absent/ill mark. */
export const absentInput = z.object({ kind: z.enum(['absent', 'ill', 'present']).default('absent'), reason });
export const incidentInput = z.object({ note: z.string().trim().min(3).max(4000), registrationId: z.number().int().positive().optional() });
