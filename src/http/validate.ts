import type { Context } from 'hono';
import type { z } from 'zod';
import { badJson, validationFailed } from './errors.ts';

/** Parses input with a zod schema; the first issue becomes a stable 400 naming the field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw validationFailed(issue.path.join('.') || '(body)', issue.message);
}

/** Reads a JSON body and validates it. Malformed JSON is a 400 `bad-json`, never a 500. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw badJson();
  }
  return parse(schema, raw);
}

/** Validates a numeric path parameter (ids are positive integers). */
export function idParam(c: Context, name = 'id'): number {
  const v = Number(c.req.param(name));
  if (!Number.isSafeInteger(v) || v <= 0) throw validationFailed(name, 'must be a positive integer');
  return v;
}
