/** Exam numbers (docs/rules.md §3): per sitting, `S<sitting>-<4-digit sequence>`, the only name graders see. */
export function formatExamNumber(sittingId: number, sequence: number): string {
  if (!Number.isSafeInteger(sittingId) || sittingId <= 0) throw new RangeError('sittingId must be a positive integer');
  if (!Number.isSafeInteger(sequence) || sequence <= 0 || sequence > 999_999) throw new RangeError('sequence out of range');
  return `S${sittingId}-${String(sequence).padStart(4, '0')}`;
}
