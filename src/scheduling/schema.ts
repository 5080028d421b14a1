import { z } from 'zod';
import { ATTACHMENT_KINDS } from '../protocol/attachments.ts';

const aids = z
  .object({
    spellCheck: z.boolean().default(false),
    textToSpeech: z.boolean().default(false),
    internet: z.boolean().default(false),
    calculator: z.boolean().default(false),
    /** Which files a pupil may attach: all kinds (`true`), none (`false`), or a list of kinds (docs/rules.md §15). */
    attachments: z
      .union([z.boolean(), z.array(z.enum(ATTACHMENT_KINDS)).max(ATTACHMENT_KINDS.length)], {
        message: `ja, nej eller en liste af filtyper blandt ${ATTACHMENT_KINDS.join(', ')} / yes, no or a list of file types among ${ATTACHMENT_KINDS.join(', ')}`,
      })
      .default(false),
  })
  .strict();

export const sittingInput = z.object({
  subject: z.string().trim().min(1).max(200),
  level: z.union([z.literal(9), z.literal(10)]),
  /** Copenhagen wall-clock date and time of the start. */
  startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'ÅÅÅÅ-MM-DD / YYYY-MM-DD'),
  startTime: z.string().regex(/^\d{2}:\d{2}$/, 'TT:MM / HH:MM'),
  durationMinutes: z.number().int().min(1).max(600),
  lobbyOpensMinutes: z.number().int().min(0).max(240).default(30),
  aids: aids.default({ spellCheck: false, textToSpeech: false, internet: false, calculator: false, attachments: false }),
  lockdownProfile: z.enum(['seb_required', 'browser_fullscreen', 'browser_monitored']).default('browser_fullscreen'),
  schoolIds: z.array(z.number().int().positive()).max(5000).default([]),
});
export type SittingInput = z.infer<typeof sittingInput>;

export const sittingPatch = sittingInput.partial();

/** A ProseMirror/Tiptap JSON document: shape-checked, size-capped (it is shown to every pupil). */
export const richTextPaper = z.object({
  doc: z.object({ type: z.literal('doc'), content: z.array(z.unknown()).max(5000) }).passthrough(),
});

export const MAX_PAPER_PDF_BYTES = 20 * 1024 * 1024;
export const MAX_PAPER_TEXT_BYTES = 2 * 1024 * 1024;
/** A ProseMirror node costs two levels (the node and its content array): room for lists in tables in lists. */
export const MAX_PAPER_DEPTH = 64;

/** Cancelling needs a reason for the audit log; three characters at least, as for the invigilator's actions. */
export const cancelInput = z.object({ reason: z.string().trim().min(3).max(1000) });

export const graderAssignment = z.object({ userId: z.number().int().positive() });
