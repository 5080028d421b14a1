// Pupil responses as they arrive (JSON: identifier → string or list of strings) to typed QTI values.
import type { Item, Value } from './model.ts';
import { toValue } from './values.ts';

export type RawResponses = Record<string, string | string[]>;

/**
 * Typed values for every declared response. A missing identifier is no response (NULL); a value that is
 * not of the declared type (letters for an integer) is a wrong answer, also NULL. Extended text is
 * graded by a person, so its text never reaches automatic scoring. Errors are caller mistakes:
 * an undeclared identifier or a list for a single response.
 */
export function typedResponses(item: Item, raw: RawResponses): { values: Map<string, Value>; errors: string[] } {
  const values = new Map<string, Value>();
  const errors: string[] = [];
  const manual = new Set(item.interactions.filter((i) => i.kind === 'extendedText').map((i) => i.responseIdentifier));
  for (const id of Object.keys(raw)) {
    if (!item.responses.some((r) => r.identifier === id)) errors.push(`"${id}" is not a response of item ${item.identifier}`);
  }
  for (const decl of item.responses) {
    const given = Object.hasOwn(raw, decl.identifier) ? raw[decl.identifier] : undefined;
    if (given === undefined || manual.has(decl.identifier)) {
      values.set(decl.identifier, null);
      continue;
    }
    const list = Array.isArray(given) ? given : [given];
    if (!list.every((s) => typeof s === 'string')) {
      errors.push(`"${decl.identifier}" must be a string or a list of strings`);
      continue;
    }
    if (decl.cardinality === 'single' && list.length > 1) {
      errors.push(`"${decl.identifier}" takes one value, got ${list.length}`);
      continue;
    }
    values.set(decl.identifier, toValue(list, decl.cardinality, decl.baseType) ?? null);
  }
  return { values, errors };
}
