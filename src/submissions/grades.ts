/** The Danish 7-point grading scale (karakterbekendtgørelsen), as written on grade sheets. */
export const GRADE_SCALE = ['-3', '00', '02', '4', '7', '10', '12'] as const;
export type Grade = (typeof GRADE_SCALE)[number];

export const isGrade = (v: unknown): v is Grade => typeof v === 'string' && (GRADE_SCALE as readonly string[]).includes(v);

// OWASP CSV injection: a cell starting with one of these is a formula in Excel.
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string, allowLeadingMinus = false): string {
  let v = value;
  if (FORMULA_START.test(v) && !(allowLeadingMinus && isGrade(v))) v = `'${v}`;
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Grades as CSV for Excel in a Danish locale: `;`-separated, CRLF, UTF-8 with a BOM (without it Excel
 * reads æøå as Latin-1). Notes are guarded against formula injection; "-3" stays a grade.
 */
export function gradesCsv(rows: { examNumber: string; grade: string | null; note: string | null }[]): string {
  const lines = ['Prøvenummer;Karakter;Bemærkning'];
  for (const r of rows) lines.push([cell(r.examNumber), cell(r.grade ?? '', true), cell(r.note ?? '')].join(';'));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
