import pg from 'pg';
import { AppError } from './errors.ts';

/**
 * PostgreSQL refusals that input can provoke, as the 4xx they are (docs/rules.md §10: every bad input gets a clear
 * refusal). The schema's constraints are the last line behind zod, so when one fires the caller sent something that
 * names a missing row, repeats a unique value or is out of range. The message never carries SQL, table or
 * constraint names. Anything else (connection loss, deadlock, a bug) stays a 500.
 */
export function problemFromDatabase(err: unknown): AppError | null {
  if (!(err instanceof pg.DatabaseError) || !err.code) return null;
  switch (err.code) {
    case '23503': // foreign_key_violation: an id that names nothing (or a row still referred to)
      return new AppError(
        409,
        'unknown-reference',
        'Forespørgslen henviser til noget, der ikke findes (eller som stadig er i brug).',
        'The request refers to something that does not exist (or is still in use).',
      );
    case '23505': // unique_violation
      return new AppError(409, 'already-exists', 'Det findes allerede.', 'It already exists.');
    case '23514': // check_violation
    case '23502': // not_null_violation
      return new AppError(400, 'value-not-allowed', 'En af værdierne er ikke tilladt.', 'One of the values is not allowed.');
  }
  // Class 22, data exception: text where a number belongs (22P02), a number out of range (22003), a NUL byte
  // in text (22021), an impossible date (22008)…
  if (err.code.startsWith('22')) {
    return new AppError(
      400,
      'invalid-value',
      'En af værdierne har et ugyldigt format eller ligger uden for det tilladte.',
      'One of the values has an invalid format or is out of range.',
    );
  }
  return null;
}
