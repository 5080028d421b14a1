import { z } from 'zod';
import { AppError } from '../http/errors.ts';
import { GRADE_SCALE, isGrade, type Grade } from './grades.ts';

export const gradeInput = z
  .object({
    grade: z.unknown(),
    note: z.string().max(2000).nullable().optional(),
  })
  .strict();

export const invalidGrade = () =>
  new AppError(
    400,
    'invalid-grade',
    `Karakteren skal være en af ${GRADE_SCALE.join(', ')} (7-trinsskalaen).`,
    `The grade must be one of ${GRADE_SCALE.join(', ')} (the Danish 7-point scale).`,
    { allowed: [...GRADE_SCALE] },
  );

/** The grade as sent, checked against the 7-point scale; anything else is refused with `invalid-grade`. */
export function parseGrade(v: unknown): Grade {
  if (!isGrade(v)) throw invalidGrade();
  return v;
}

/** A signed submission PDF a grader checks (bodies are limited in http/bodyLimits.ts). */
export const MAX_VERIFY_BYTES = 50 * 1024 * 1024;
