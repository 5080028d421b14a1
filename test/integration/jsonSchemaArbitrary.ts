import fc from 'fast-check';
import { z } from 'zod';

/** The JSON Schema subset zod's toJSONSchema emits for our input shapes. */
interface Schema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
}

export interface Leaves {
  any: fc.Arbitrary<unknown>;
  id: fc.Arbitrary<number>;
  text: fc.Arbitrary<string>;
}

/**
 * Bodies that nearly fit a zod schema: right field names, mostly right types and ranges, with odd strings (NUL,
 * quotes, 1970) and edge numbers, and now and then a value of the wrong kind anywhere. Such bodies get past the
 * validator into handlers and the database, where "no 500 from input" is actually at stake.
 */
export function nearlyValid(schema: z.ZodType, leaves: Leaves): fc.Arbitrary<unknown> {
  return arbitraryOf(z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Schema, leaves);
}

function arbitraryOf(s: Schema, leaves: Leaves): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 9, arbitrary: fitting(s, leaves) }, { weight: 1, arbitrary: leaves.any });
}

function fitting(s: Schema, leaves: Leaves): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryOf(a, leaves)));
  switch (s.type) {
    case 'object': {
      const props = Object.entries(s.properties ?? {}).map(([k, v]) => [k, arbitraryOf(v, leaves)] as const);
      return fc.record(Object.fromEntries(props), { requiredKeys: (s.required ?? []).filter((k) => s.properties?.[k]) });
    }
    case 'array':
      return fc.array(arbitraryOf(s.items ?? {}, leaves), { maxLength: Math.min(s.maxItems ?? 4, 4) });
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
      const max = Math.min(s.maximum ?? 1000, Number.MAX_SAFE_INTEGER);
      const inRange = fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.max(min, max) });
      return min > 0 ? fc.oneof(leaves.id, inRange) : inRange;
    }
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (s.format === 'date-time') return fc.constantFrom('1970-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', new Date().toISOString());
      if (s.pattern) return fc.oneof(fc.stringMatching(new RegExp(s.pattern)), leaves.text);
      return leaves.text;
    default:
      return leaves.any;
  }
}
