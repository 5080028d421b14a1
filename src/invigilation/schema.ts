import { z } from 'zod';
import { EXTRA_MINUTES_MAX } from './rules.ts';

/** Every invigilator action needs a reason: it goes into the audit log (SPEC §5). */
const reason = z.string().trim().min(3, 'en begrundelse skal udfyldes / a reason is required').max(1000);

export const withReason = z.object({ reason });
export const extraTimeInput = z.object({ minutes: z.number().int().min(1).max(EXTRA_MINUTES_MAX), reason });
export const absentInput = z.object({ kind: z.enum(['absent', 'ill']).default('absent'), reason });
export const incidentInput = z.object({ note: z.string().trim().min(3).max(4000), registrationId: z.number().int().positive().optional() });
