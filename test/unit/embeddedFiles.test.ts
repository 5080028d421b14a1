import { describe, expect, it } from 'vitest';
import { checkAgainstReceipt, decodePdfString } from '../../src/submissions/embeddedFiles.ts';
import { formatSize, uniqueNames } from '../../src/submissions/pdfAttachments.ts';

describe('decodePdfString', () => {
  it('reads escapes, octal bytes and balanced parentheses of a literal string up to its closing parenthesis', () => {
    expect(decodePdfString('a\\(b\\) (c) \\\\ \\101\\n) /Next', 0)).toBe('a(b) (c) \\ A\n');
  });
  it('reads UTF-16BE with a byte-order mark, as pdfkit writes names with Danish letters', () => {
    const utf16 = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('trekant æøå.ggb', 'utf16le').swap16()]).toString('latin1');
    const escaped = utf16.replace(/[()\\]/g, (c) => `\\${c}`);
    expect(decodePdfString(`${escaped})`, 0)).toBe('trekant æøå.ggb');
  });
});

describe('uniqueNames', () => {
  it('keeps distinct names and numbers repeats before the extension, so no embedded file hides another', () => {
    expect(uniqueNames(['a.png', 'b.ggb', 'a.png', 'a.png', 'noext', 'noext'])).toEqual(['a.png', 'b.ggb', 'a (2).png', 'a (3).png', 'noext', 'noext (2)']);
  });
});

describe('checkAgainstReceipt', () => {
  it('says which files match, differ, are missing from the PDF or are not on the receipt', () => {
    const inPdf = [
      { name: 'a.png', size: 1, sha256: '1'.repeat(64) },
      { name: 'b.ggb', size: 1, sha256: '2'.repeat(64) },
      { name: 'x.pdf', size: 1, sha256: '4'.repeat(64) },
    ];
    const receipt = [
      { name: 'a.png', sha256: '1'.repeat(64) },
      { name: 'b.ggb', sha256: '3'.repeat(64) },
      { name: 'c.ods', sha256: '5'.repeat(64) },
    ];
    expect(checkAgainstReceipt(inPdf, receipt).map((c) => [c.name, c.outcome])).toEqual([
      ['a.png', 'match'],
      ['b.ggb', 'mismatch'],
      ['c.ods', 'missing'],
      ['x.pdf', 'extra'],
    ]);
  });
});

describe('formatSize', () => {
  it('gives Danish decimals with the exact byte count', () => {
    expect(formatSize(5_000_000)).toBe('5 MB (5.000.000 byte)');
    expect(formatSize(1_536_000)).toBe('1,5 MB (1.536.000 byte)');
    expect(formatSize(999)).toBe('999 byte');
  });
});
