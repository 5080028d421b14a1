// Key corrections after the exam (docs/rules.md §14.6): pure changes to an item's declarations, applied in the order
// the ministry made them, on top of the sealed package (which is never rewritten).
import type { Item } from './model.ts';
import { toScalar } from './values.ts';

export type KeyChange = { kind: 'add_variant'; value: string; score: number } | { kind: 'set_key'; values: string[] };

export interface KeyCorrection {
  itemIdentifier: string;
  responseIdentifier: string;
  change: KeyChange;
}

/** Why a correction cannot apply to the item, or null. */
export function correctionProblem(item: Item | undefined, c: KeyCorrection): string | null {
  if (!item) return `the test has no item "${c.itemIdentifier}"`;
  const decl = item.responses.find((r) => r.identifier === c.responseIdentifier);
  if (!decl) return `item "${c.itemIdentifier}" has no response "${c.responseIdentifier}"`;
  const values = c.change.kind === 'add_variant' ? [c.change.value] : c.change.values;
  if (values.some((v) => toScalar(v, decl.baseType) === undefined)) return `a value is not a ${decl.baseType}`;
  if (c.change.kind === 'set_key' && decl.cardinality === 'single' && values.length !== 1) return 'a single response has exactly one key';
  if (c.change.kind === 'add_variant' && !decl.mapping) return 'the response has no mapping to add a variant to; change the key instead';
  return null;
}

/** The item with every correction for it applied (corrections for other items are ignored). */
export function correctedItem(item: Item, corrections: readonly KeyCorrection[]): Item {
  let responses = item.responses;
  for (const c of corrections) {
    if (c.itemIdentifier !== item.identifier || correctionProblem(item, c)) continue;
    responses = responses.map((d) => {
      if (d.identifier !== c.responseIdentifier) return d;
      if (c.change.kind === 'set_key') return { ...d, correct: c.change.values.map((v) => toScalar(v, d.baseType)!) };
      const key = toScalar(c.change.value, d.baseType)!;
      const mapping = d.mapping!;
      const entries = [...mapping.entries.filter((e) => e.key !== key), { key, value: c.change.score, caseSensitive: true }];
      return { ...d, mapping: { ...mapping, entries } };
    });
  }
  return responses === item.responses ? item : { ...item, responses };
}
