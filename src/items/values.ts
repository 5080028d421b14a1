// QTI values as scoring compares them. Normalising once, at the edge, keeps every comparison a plain
// `===`: strings in Unicode NFC (a pupil's "å" may arrive composed or as "a" + combining ring
// depending on keyboard and OS; æ and ø have no decomposition), surrounding whitespace trimmed (a trailing space is not a spelling
// error), pairs written "A B" with an undirected pair sorted so "B A" equals "A B".
import type { BaseType, Cardinality, Scalar, Value } from './model.ts';

const BASE_TYPES: readonly BaseType[] = ['identifier', 'string', 'directedPair', 'pair', 'integer', 'float', 'boolean'];
const CARDINALITIES: readonly Cardinality[] = ['single', 'multiple', 'ordered'];

export function asBaseType(raw: string | null): BaseType | null {
  return BASE_TYPES.find((b) => b === raw) ?? null;
}

export function asCardinality(raw: string | null): Cardinality | null {
  return CARDINALITIES.find((c) => c === raw) ?? null;
}

/** One raw string to its canonical scalar for `baseType`; undefined when it is not a value of that type. */
export function toScalar(raw: string, baseType: BaseType): Scalar | undefined {
  const text = raw.normalize('NFC').trim();
  switch (baseType) {
    case 'string':
      return text;
    case 'identifier':
      return text === '' || /\s/.test(text) ? undefined : text;
    case 'pair':
    case 'directedPair': {
      const parts = text.split(/\s+/);
      if (parts.length !== 2 || parts[0] === '') return undefined;
      if (baseType === 'pair') parts.sort();
      return `${parts[0]} ${parts[1]}`;
    }
    case 'integer':
      return /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : undefined;
    case 'float': {
      // Danish pupils write a decimal comma ("3,5"); both separators mean the same number.
      const dotted = text.replace(',', '.');
      return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(dotted) ? Number(dotted) : undefined;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : undefined;
  }
}

/** A response or literal as a value; empty strings and empty lists are NULL, as in QTI. */
export function toValue(raws: string[], cardinality: Cardinality, baseType: BaseType): Value | undefined {
  const values: Scalar[] = [];
  for (const raw of raws) {
    if (baseType !== 'string' && raw.trim() === '') continue;
    const s = toScalar(raw, baseType);
    if (s === undefined) return undefined;
    if (s === '') continue;
    values.push(s);
  }
  if (values.length === 0) return null;
  if (cardinality === 'single' && values.length > 1) return undefined;
  return { cardinality, baseType, values };
}

export function isNullValue(v: Value): boolean {
  return v === null || v.values.length === 0 || (v.values.length === 1 && v.values[0] === '');
}

/**
 * qti-match: same values in the same container. Multiple compares as a multiset, ordered as a sequence.
 * NULL on either side gives NULL (false in a condition), as the spec says.
 */
export function valuesMatch(a: Value, b: Value): boolean | null {
  if (isNullValue(a) || isNullValue(b) || !a || !b) return null;
  if (a.values.length !== b.values.length) return false;
  if (a.cardinality === 'ordered' || b.cardinality === 'ordered' || a.values.length === 1) {
    return a.values.every((v, i) => v === b.values[i]);
  }
  const counts = new Map<Scalar, number>();
  for (const v of a.values) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const v of b.values) {
    const n = counts.get(v);
    if (!n) return false;
    counts.set(v, n - 1);
  }
  return true;
}

/** qti-member: is the single value `a` one of the values in container `b`? */
export function valueMember(a: Value, b: Value): boolean | null {
  if (isNullValue(a) || isNullValue(b) || !a || !b) return null;
  return b.values.includes(a.values[0]);
}

export function single(baseType: BaseType, value: Scalar): Value {
  return { cardinality: 'single', baseType, values: [value] };
}

/** Compares two strings as qti-map-entry / qti-string-match do: NFC always, case only when asked. */
export function sameText(a: string, b: string, caseSensitive: boolean): boolean {
  const x = a.normalize('NFC');
  const y = b.normalize('NFC');
  return caseSensitive ? x === y : x.toLocaleLowerCase('da') === y.toLocaleLowerCase('da');
}
