import { z } from 'zod';
import { DEFAULT_LIMITS } from './packageReader.ts';

/** The ceiling of the upload body: the package reader's own ZIP limit, so both refuse at the same size. */
export const MAX_ITEM_PACKAGE_BYTES = DEFAULT_LIMITS.maxZipBytes;

const identifier = z.string().min(1).max(200);

/** A key correction from the ministry (docs/rules.md §14.6). */
export const keyCorrectionInput = z.object({
  itemIdentifier: identifier,
  responseIdentifier: identifier,
  change: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('add_variant'), value: z.string().min(1).max(2000), score: z.number().min(-100).max(100) }),
    z.object({ kind: z.literal('set_key'), values: z.array(z.string().min(1).max(2000)).min(1).max(200) }),
  ]),
});

/** A grader's score for one item (docs/rules.md §14.9); the reason is required when it changes an automatic score. */
export const graderScoreInput = z.object({
  score: z.number().min(0).max(1000),
  reason: z.string().max(500).optional(),
});
