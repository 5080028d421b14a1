import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';

/** One file embedded in a PDF, as a verifier sees it. */
export interface EmbeddedFile {
  name: string;
  size: number;
  sha256: string;
}

/**
 * The embedded files of a submission PDF as our renderer writes them (pdfkit: one `/Type /Filespec` object per file
 * pointing with `/EF << /F n 0 R >>` at an `/EmbeddedFile` stream with a direct `/Length`). Not a general PDF parser:
 * it reads what Prøvesal signs, and the signature check tells whether the file is still that. Reads the buffer with
 * indexOf, never as one string, so a 200 MB submission is not copied.
 */
export function embeddedFilesOf(pdf: Buffer): EmbeddedFile[] {
  const files: EmbeddedFile[] = [];
  for (let at = pdf.indexOf('/Type /Filespec'); at >= 0; at = pdf.indexOf('/Type /Filespec', at + 1)) {
    const start = pdf.lastIndexOf(' 0 obj', at);
    const end = pdf.indexOf('endobj', at);
    if (start < 0 || end < 0) continue;
    const spec = pdf.subarray(start, end).toString('latin1');
    const ref = /\/EF\s*<<\s*\/F\s+(\d+)\s+0\s+R/.exec(spec);
    const name = /\/UF\s*\(/.exec(spec) ?? /\/F\s*\(/.exec(spec);
    if (!ref || !name) continue;
    const data = streamOf(pdf, Number(ref[1]));
    if (!data) continue;
    files.push({ name: decodePdfString(spec, name.index + name[0].length), size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
  }
  return files;
}

/** The decoded bytes of stream object `n`, or null when it is not where our writer puts it. */
function streamOf(pdf: Buffer, n: number): Buffer | null {
  const head = pdf.indexOf(`\n${n} 0 obj`);
  if (head < 0) return null;
  const open = pdf.indexOf('stream', head);
  if (open < 0) return null;
  const dict = pdf.subarray(head, open).toString('latin1');
  const length = /\/Length\s+(\d+)(?!\s+0\s+R)/.exec(dict);
  if (!length) return null;
  let from = open + 'stream'.length;
  if (pdf[from] === 0x0d) from++;
  if (pdf[from] === 0x0a) from++;
  const raw = pdf.subarray(from, from + Number(length[1]));
  return /\/Filter\s*\/FlateDecode/.test(dict) ? inflateSync(raw) : raw;
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };

/** A PDF literal string starting after its `(` (ISO 32000-1 §7.3.4.2), as text: UTF-16BE with a BOM, else Latin-1. */
export function decodePdfString(s: string, from: number): string {
  const bytes: number[] = [];
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const next = s[++i];
      const octal = /^[0-7]{1,3}/.exec(s.slice(i, i + 3));
      if (octal) {
        bytes.push(parseInt(octal[0], 8) & 0xff);
        i += octal[0].length - 1;
      } else if (next in ESCAPES) bytes.push(ESCAPES[next]);
      else if (next === '\r' || next === '\n') continue;
      else bytes.push(next.charCodeAt(0));
      continue;
    }
    if (c === '(') depth++;
    if (c === ')' && --depth === 0) break;
    bytes.push(c.charCodeAt(0));
  }
  const b = Buffer.from(bytes);
  if (b[0] === 0xfe && b[1] === 0xff) return b.subarray(2).swap16().toString('utf16le');
  return b.toString('latin1');
}

/** How one file of the receipt compares with the PDF. */
export type AttachmentCheck = { name: string; sha256: string; outcome: 'match' | 'mismatch' | 'missing' | 'extra' };

/**
 * Compares the files in the PDF with the receipt's list by name (`names` are the receipt's names as made unique for
 * the PDF, in the receipt's order): each must be there with the same SHA-256, and nothing else may be.
 */
export function checkAgainstReceipt(inPdf: readonly EmbeddedFile[], receipt: readonly { name: string; sha256: string }[]): AttachmentCheck[] {
  const byName = new Map(inPdf.map((f) => [f.name, f]));
  const checks: AttachmentCheck[] = receipt.map((r) => {
    const f = byName.get(r.name);
    byName.delete(r.name);
    return { name: r.name, sha256: r.sha256, outcome: !f ? 'missing' : f.sha256 === r.sha256 ? 'match' : 'mismatch' };
  });
  for (const f of byName.values()) checks.push({ name: f.name, sha256: f.sha256, outcome: 'extra' });
  return checks;
}
