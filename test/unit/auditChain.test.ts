import { describe, expect, it } from 'vitest';
import { GENESIS, entryHash, firstBrokenEntry, type StoredEntry } from '../../src/audit/chain.ts';

function chain(n: number): StoredEntry[] {
  const out: StoredEntry[] = [];
  let prev = GENESIS;
  for (let i = 1; i <= n; i++) {
    const e = {
      id: i,
      at: new Date(1_700_000_000_000 + i),
      actorId: i,
      actorRole: 'ministry',
      action: 'x.y',
      subjectType: 's',
      subjectId: String(i),
      details: { b: 1, a: [i] },
    };
    const hash = entryHash(prev, e);
    out.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('accepts an intact chain', () => {
    expect(firstBrokenEntry(chain(5)).broken).toBeNull();
  });
  it('names the first entry whose content was changed', () => {
    const c = chain(5);
    c[2] = { ...c[2], details: { b: 2, a: [3] } };
    expect(firstBrokenEntry(c).broken).toBe(3);
  });
  it('names the entry after a deleted one', () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(firstBrokenEntry(c).broken).toBe(3);
  });
  it('does not depend on the key order of details (jsonb reorders keys)', () => {
    const e = { id: 1, at: new Date(0), actorId: null, actorRole: null, action: 'a.b', subjectType: null, subjectId: null };
    expect(entryHash(GENESIS, { ...e, details: { a: 1, b: 2 } })).toEqual(entryHash(GENESIS, { ...e, details: { b: 2, a: 1 } }));
  });
});
