import { describe, expect, it } from 'vitest';
import { extendParts } from '../../src/items/extraTime.ts';

const parts = (...seconds: (number | null)[]) => seconds.map((s, i) => ({ identifier: `p${i + 1}`, maxTimeSeconds: s }));
const extras = (ps: ReturnType<typeof extendParts>) => ps.map((p) => p.extraSeconds);

describe('extra time per test part', () => {
  it('gives nothing when there is no extra time', () => {
    expect(extras(extendParts(parts(1800, 2700), 0))).toEqual([0, 0]);
  });

  it('gives all extra time to a single timed part', () => {
    expect(extras(extendParts(parts(3600), 1800))).toEqual([1800]);
  });

  it("splits in proportion to each part's share of the timed total", () => {
    expect(extras(extendParts(parts(1800, 2700), 1500))).toEqual([600, 900]);
  });

  it('gives untimed parts nothing and the timed parts everything', () => {
    expect(extras(extendParts(parts(null, 1200, null), 300))).toEqual([0, 300, 0]);
    expect(extras(extendParts(parts(null, null), 300))).toEqual([0, 0]);
  });

  it('rounds so the extensions add up to exactly the extra time', () => {
    for (const extra of [1, 2, 7, 100, 601, 1799]) {
      const result = extras(extendParts(parts(1000, 1000, 1000), extra));
      expect(result.reduce((a, b) => a + b, 0)).toBe(extra);
      expect(Math.max(...result) - Math.min(...result)).toBeLessThanOrEqual(1);
    }
    expect(extras(extendParts(parts(1000, 1000, 1000), 100))).toEqual([34, 33, 33]);
    expect(extras(extendParts(parts(600, 1200, 1800), 1001))).toEqual([167, 334, 500]);
  });

  it('refuses a negative or fractional extra time', () => {
    expect(() => extendParts(parts(60), -1)).toThrow(RangeError);
    expect(() => extendParts(parts(60), 1.5)).toThrow(RangeError);
  });
});
