import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCandidateCsv } from '../../src/schools/csvRows.ts';

// As Danish Excel saves it: BOM, semicolons, CRLF, quoted fields with ; inside, empty lines, Danish letters.
const MESSY =
  '\uFEFFNavn;UNI-ID;Klasse;Ekstra minutter;Oplæsning;Tilpasninger\r\n' +
  'Søren Ærø;soer1234;9.A;30;ja;\r\n' +
  '"Åse ""Åsa"" Øster; jr.";aase5678;9.A;;nej;stor skrift, kontrast\r\n' +
  '\r\n' +
  ';mang0001;9.B;;;\r\n' +
  'Bo Bøgh;;9.B;;;\r\n' +
  'Ida Lund;ida_99;9.B;tre;;\r\n' +
  'Søren Ærø igen;SOER1234;9.C;;;\r\n' +
  'Karl Kæk;karl 1;9.C;;;\r\n' +
  'Lea Lund;lea0001;9.C;;måske;\r\n' +
  'Mia Mørk;mia0001;9.C;;;+45 min ekstra, oplæsning\r\n';

describe('candidate CSV rows', () => {
  it('detects ; and , delimiters', () => {
    expect(detectDelimiter('\uFEFFnavn;uni-id\n')).toBe(';');
    expect(detectDelimiter('name,username,class\n')).toBe(',');
  });

  it('reads a messy real-world file: BOM, ;, CRLF, quotes, Danish letters; reports each bad row with its line', () => {
    const { rows, refused, fileError } = parseCandidateCsv(MESSY);
    expect(fileError).toBeUndefined();
    expect(rows.map((r) => r.uniId)).toEqual(['soer1234', 'aase5678', 'mia0001']);
    expect(rows[0]).toMatchObject({ line: 2, name: 'Søren Ærø', className: '9.A', extraMinutes: 30, textToSpeech: true, largeText: false });
    expect(rows[1]).toMatchObject({ name: 'Åse "Åsa" Øster; jr.', textToSpeech: false, largeText: true, highContrast: true });
    expect(rows[2]).toMatchObject({ extraMinutes: 45, textToSpeech: true });
    expect(refused.map((r) => [r.line, r.reason.en.split(' ').slice(0, 3).join(' ')])).toEqual([
      [5, 'The name is'],
      [6, 'The uni-id/username is'],
      [7, 'Extra minutes "tre"'],
      [8, 'Uni-id SOER1234 also'],
      [9, 'Uni-id "karl 1"'],
      [10, 'Accommodation columns must'],
    ]);
  });

  it('accepts English headers and commas', () => {
    const { rows } = parseCandidateCsv('name,username,class,extra_minutes\nAnna,anna1,9A,15\n');
    expect(rows).toEqual([
      { line: 2, name: 'Anna', uniId: 'anna1', className: '9A', extraMinutes: 15, textToSpeech: false, largeText: false, highContrast: false },
    ]);
  });

  it('refuses a file without name and uni-id columns, and an empty file', () => {
    expect(parseCandidateCsv('foo;bar\n1;2\n').fileError?.en).toMatch(/name and uni-id/);
    expect(parseCandidateCsv('').fileError?.en).toMatch(/empty/);
  });
});
