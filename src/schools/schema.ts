import { z } from 'zod';

export const roomInput = z.object({ name: z.string().trim().min(1).max(100) });
export const staffInput = z.object({
  username: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9._@-]{1,99}$/, 'a–z, 0–9 og . _ @ -'),
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(10, 'mindst 10 tegn / at least 10 characters').max(200),
});
export const passwordInput = z.object({ password: z.string().min(8, 'mindst 8 tegn / at least 8 characters').max(200) });
export const registrationInput = z
  .object({
    sittingId: z.number().int().positive(),
    roomId: z.number().int().positive(),
    candidateIds: z.array(z.number().int().positive()).min(1).max(20000).optional(),
    className: z.string().trim().min(1).max(50).optional(),
    /** The administrator confirmed registering into a sitting that has started (schools/rules.ts). */
    confirmStarted: z.boolean().default(false),
  })
  .refine((v) => v.candidateIds || v.className, { message: 'vælg elever eller en klasse / choose pupils or a class', path: ['candidateIds'] });
export const accommodationsInput = z.object({
  extraMinutes: z.number().int().min(0).max(600).optional(),
  textToSpeech: z.boolean().optional(),
  largeText: z.boolean().optional(),
  highContrast: z.boolean().optional(),
  /** Simple writing mode (docs/rules.md §13). */
  simpleWriting: z.boolean().optional(),
});
export const invigilatorAssignment = z.object({
  sittingId: z.number().int().positive(),
  roomId: z.number().int().positive(),
  userId: z.number().int().positive(),
});
/** The `sittingId` query parameter of an access-code sheet. */
export const accessCodeQuery = z.coerce.number().int().positive();
export const MAX_CSV_BYTES = 8 * 1024 * 1024;
