import { describe, expect, it } from 'vitest';
import { formatExamNumber } from '../../src/schools/examNumbers.ts';

describe('exam numbers', () => {
  it('formats sitting and sequence with four digits', () => {
    expect(formatExamNumber(12, 7)).toBe('S12-0007');
  });
  it('refuses a zero or negative sequence', () => {
    expect(() => formatExamNumber(1, 0)).toThrow(RangeError);
    expect(() => formatExamNumber(0, 1)).toThrow(RangeError);
  });
  it('matches the database check on exam numbers', () => {
    expect(formatExamNumber(999999, 999999)).toMatch(/^[0-9A-Z-]{4,20}$/);
  });
});
