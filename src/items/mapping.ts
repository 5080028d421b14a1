// qti-mapping as the spec defines qti-map-response: each distinct response value is looked up once,
// unmapped values add the default value, and the sum is clamped to lower-bound/upper-bound. Bounds are
// what keep a pupil who ticks every box from scoring above (or below) what the author intended.
import type { Mapping, MapEntry, ResponseDeclaration, Scalar, Value } from './model.ts';
import { sameText } from './values.ts';

function entryFor(mapping: Mapping, v: Scalar): MapEntry | undefined {
  return mapping.entries.find((e) => (typeof e.key === 'string' && typeof v === 'string' ? sameText(e.key, v, e.caseSensitive) : e.key === v));
}

export function clamp(mapping: Mapping, sum: number): number {
  let s = sum;
  if (mapping.lowerBound !== null) s = Math.max(mapping.lowerBound, s);
  if (mapping.upperBound !== null) s = Math.min(mapping.upperBound, s);
  return s;
}

/** The mapped score of `value` (NULL maps to an empty sum, then bounds). */
export function mapValue(mapping: Mapping, value: Value): number {
  const seenEntries = new Set<MapEntry>();
  const seenValues = new Set<Scalar>();
  let sum = 0;
  for (const v of value?.values ?? []) {
    if (seenValues.has(v)) continue;
    seenValues.add(v);
    const entry = entryFor(mapping, v);
    if (!entry) sum += mapping.defaultValue;
    else if (!seenEntries.has(entry)) {
      // Two spellings matching one case-insensitive entry still earn it once.
      seenEntries.add(entry);
      sum += entry.value;
    }
  }
  return clamp(mapping, sum);
}

/**
 * The best a pupil can reach through this mapping: the best single entry for single cardinality,
 * otherwise the largest positive entries (at most `maxChoices` of them when the interaction caps it).
 */
export function bestMappedScore(decl: ResponseDeclaration, maxChoices: number): number {
  const mapping = decl.mapping;
  if (!mapping) return 0;
  const positive = mapping.entries
    .map((e) => e.value)
    .filter((v) => v > 0)
    .sort((a, b) => b - a);
  if (decl.cardinality === 'single') return clamp(mapping, positive[0] ?? 0);
  const taken = maxChoices > 0 ? positive.slice(0, maxChoices) : positive;
  return clamp(
    mapping,
    taken.reduce((a, b) => a + b, 0),
  );
}

/** The response values that reach bestMappedScore, used to find the maximum of custom processing. */
export function bestMappedResponse(decl: ResponseDeclaration, maxChoices: number): Scalar[] {
  const entries = (decl.mapping?.entries ?? []).filter((e) => e.value > 0).sort((a, b) => b.value - a.value);
  if (decl.cardinality === 'single') return entries.slice(0, 1).map((e) => e.key);
  return (maxChoices > 0 ? entries.slice(0, maxChoices) : entries).map((e) => e.key);
}
