// Extra time (docs/rules.md §3 accommodations) for a test with several timed parts. A pupil's extra
// minutes are spread over the timed parts in proportion to each part's share of the timed total, so a
// 20-minute part and a 40-minute part get a third and two thirds. Untimed parts get nothing.

export interface TimedPart {
  identifier: string;
  /** qti-time-limits max-time in seconds; null for an untimed part. */
  maxTimeSeconds: number | null;
}

export interface ExtendedPart extends TimedPart {
  extraSeconds: number;
}

/**
 * Distributes `extraSeconds` (a whole number) over the timed parts. Shares are rounded by the largest
 * remainder method so the extensions always add up to exactly `extraSeconds` — a pupil never loses or
 * gains a second to rounding. Ties go to the earlier part.
 */
export function extendParts(parts: readonly TimedPart[], extraSeconds: number): ExtendedPart[] {
  if (!Number.isInteger(extraSeconds) || extraSeconds < 0) throw new RangeError('extraSeconds must be a whole number ≥ 0');
  const total = parts.reduce((sum, p) => sum + (p.maxTimeSeconds ?? 0), 0);
  const result = parts.map((p) => ({ ...p, extraSeconds: 0 }));
  if (extraSeconds === 0 || total === 0) return result;
  const shares = parts.map((p, index) => {
    const exact = (extraSeconds * (p.maxTimeSeconds ?? 0)) / total;
    return { index, floor: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = extraSeconds - shares.reduce((sum, s) => sum + s.floor, 0);
  for (const s of shares) result[s.index].extraSeconds = s.floor;
  const byRemainder = shares.filter((s) => (parts[s.index].maxTimeSeconds ?? 0) > 0).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const s of byRemainder) {
    if (left === 0) break;
    result[s.index].extraSeconds += 1;
    left -= 1;
  }
  return result;
}
