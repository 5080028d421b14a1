import type { Context } from 'hono';
import type { z } from 'zod';
import { badJson, jsonTooDeep, validationFailed } from './errors.ts';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './jsonDepth.ts';
import { DEFAULT_MARK, describeIssue, fieldLabel } from './validationMessages.ts';

/**
 * Parses input with a zod schema; the first issue becomes a stable 400 naming the field, explained in a Danish and
 * an English sentence. zod's defaults are marked so a schema's own hint (a date format) can be told apart from them.
 */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input, { reportInput: true, error: () => DEFAULT_MARK });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const { da, en } = describeIssue(issue);
  throw validationFailed(issue.path.join('.') || '(body)', da, en);
}

/**
 * Reads a JSON body and validates it. Malformed JSON is a 400 `bad-json` and nesting deeper than `maxDepth` a 400
 * `json-too-deep` (checked before parsing, docs/rules.md §10), never a 500.
 */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S, o: { maxDepth?: number } = {}): Promise<z.infer<S>> {
  const text = await c.req.text();
  const maxDepth = o.maxDepth ?? MAX_JSON_DEPTH;
  if (jsonDepthExceeds(text, maxDepth)) throw jsonTooDeep(maxDepth);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw badJson(); // the parser's message names positions in the body, nothing for the caller to act on
  }
  return parse(schema, raw);
}

/** Validates a numeric path parameter (ids are positive integers). */
export function idParam(c: Context, name = 'id'): number {
  const v = Number(c.req.param(name));
  if (!Number.isSafeInteger(v) || v <= 0) {
    const f = fieldLabel([name]);
    throw validationFailed(name, `»${f.da}« i adressen skal være et positivt helt tal.`, `"${f.en}" in the address must be a positive whole number.`);
  }
  return v;
}
