import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPdfFonts } from '../../src/submissions/pdfFont.ts';
import { buildAnswerPdf, type SubmissionPdfInput } from '../../src/submissions/pdfRenderer.ts';
import { signPdfDocument } from '../../src/submissions/signer.ts';
import { verifyPdf } from '../../src/submissions/verifier.ts';
import { PNG_DATA_URL, answerState, h, p, testIdentity, text } from '../support/submissionFactories.ts';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const HAS_PDFSIG = has('pdfsig');
const HAS_PDFTOTEXT = has('pdftotext');
if (!HAS_PDFSIG || !HAS_PDFTOTEXT) console.warn('pdfsig/pdftotext (Debian poppler-utils) not installed: the poppler checks below are SKIPPED');

const dir = mkdtempSync(path.join(os.tmpdir(), 'provesal-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SHA = 'ab'.repeat(32);
const input = (state: Uint8Array, o: Partial<SubmissionPdfInput> = {}): SubmissionPdfInput => ({
  submissionId: 1,
  version: 1,
  examNumber: 'S7-0042',
  subject: 'Dansk – skriftlig fremstilling',
  level: 9,
  startsAt: '2026-05-04T07:00:00.000Z',
  endsAt: '2026-05-04T11:30:00.000Z',
  extraMinutes: 30,
  handedInAt: '2026-05-04T11:21:09.000Z',
  handedInBy: 'candidate',
  textSha256: SHA,
  finalState: state,
  ...o,
});
const render = (i: SubmissionPdfInput) => signPdfDocument(buildAnswerPdf(i, findPdfFonts()), testIdentity(), new Date('2026-05-04T11:21:12.000Z'));
const save = (name: string, pdf: Buffer) => {
  const f = path.join(dir, name);
  writeFileSync(f, pdf);
  return f;
};
const pdfsig = (file: string) => spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout;
const pdftotext = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });

const rich = answerState(
  h(1, 'Min fortælling om Ærø'),
  p(
    text('Blåbærgrøden var '),
    text('fed', 'bold'),
    text(' og '),
    text('kursiv', 'italic'),
    text(' og '),
    text('understreget', 'underline'),
    text(' og '),
    text('overstreget', 'strike'),
    text('.'),
  ),
  p(text('Matematik: ∑ √2 ≤ π · ∞ ≠ ½.')),
  {
    type: 'bulletList',
    content: [
      { type: 'listItem', content: [p(text('første punkt'))] },
      { type: 'listItem', content: [p(text('andet punkt'))] },
    ],
  },
  { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [p(text('nummer et'))] }] },
  {
    type: 'table',
    content: [
      {
        type: 'tableRow',
        content: [
          { type: 'tableHeader', content: [p(text('År'))] },
          { type: 'tableHeader', content: [p(text('Beløb'))] },
        ],
      },
      {
        type: 'tableRow',
        content: [
          { type: 'tableCell', content: [p(text('2026'))] },
          { type: 'tableCell', content: [p(text('1.250 kr.'))] },
        ],
      },
    ],
  },
  { type: 'blockquote', content: [p(text('Et citat med hårde ord'), { type: 'hardBreak' }, text('på to linjer'))] },
  { type: 'image', attrs: { src: PNG_DATA_URL } },
  ...Array.from({ length: 60 }, (_, i) => p(text(`Afsnit ${i + 1}: søen lå stille, og ællingerne svømmede rundt i ring. `.repeat(3)))),
);

describe('answer PDF: rendering and PAdES signature', () => {
  let pdf: Buffer;
  let file: string;
  beforeAll(async () => {
    pdf = await render(input(rich));
    file = save('rich.pdf', pdf);
  });

  it.skipIf(!HAS_PDFSIG)('pdfsig reports "Signature is Valid." as ETSI.CAdES.detached over the whole document', () => {
    const out = pdfsig(file);
    expect(out).toContain('Signature is Valid.');
    expect(out).toContain('ETSI.CAdES.detached');
    expect(out).toContain('Total document signed');
  });

  it.skipIf(!HAS_PDFSIG)('pdfsig no longer reports it valid after one byte of the content is changed', () => {
    const tampered = Buffer.from(pdf);
    const at = Math.floor(tampered.length * 0.8);
    tampered[at] = tampered[at] ^ 0x01;
    const out = pdfsig(save('tampered.pdf', tampered));
    expect(out).not.toContain('Signature is Valid.');
    expect(out).toContain('Digest Mismatch.');
  });

  it.skipIf(!HAS_PDFTOTEXT)('keeps æøå and math symbols, shows exam number, header, times, hash and "side N af M"', () => {
    const txt = pdftotext(file);
    expect(txt).toContain('Min fortælling om Ærø');
    expect(txt).toContain('Blåbærgrøden var fed og kursiv og understreget og overstreget.');
    expect(txt).toContain('∑ √2 ≤ π · ∞ ≠ ½');
    expect(txt).toContain('Prøvenummer S7-0042');
    expect(txt).toContain('første punkt');
    expect(txt).toContain('1.250 kr.');
    expect(txt).toContain('Et citat med hårde ord\npå to linjer'); // hardBreak
    expect(txt).toContain(SHA);
    expect(txt).toContain('4. maj 2026 kl. 13.21.09'); // hand-in time in Europe/Copenhagen (CEST)
    expect(txt).toContain('30 minutter');
    const pages = Number(/side 1 af (\d+)/.exec(txt)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(txt).toContain(`side ${pages} af ${pages}`);
    // The header is on every page: once per page plus once in the first page's box.
    expect(txt.split('Prøvenummer S7-0042').length - 1).toBe(pages);
  });

  it.skipIf(!HAS_PDFTOTEXT)('renders an empty answer as a valid signed PDF saying "Besvarelsen er tom."', async () => {
    const empty = await render(input(answerState()));
    expect(verifyPdf(empty).valid).toBe(true);
    expect(pdftotext(save('empty.pdf', empty))).toContain('Besvarelsen er tom.');
  });

  it('lays out the same hand-in to the same text every time', async () => {
    const again = await render(input(rich));
    expect(again.length).toBe(pdf.length);
  });

  it('embeds the same bytes for the same hand-in, whatever other answers the reused fonts laid out in between', async () => {
    // The faces are parsed once per thread (pdfFont.ts); what they cached for one answer must not leak into the next.
    const unsigned = (i: SubmissionPdfInput) =>
      new Promise<Buffer>((resolve) => {
        const doc = buildAnswerPdf(i, findPdfFonts());
        const parts: Buffer[] = [];
        doc.on('data', (b: Buffer) => parts.push(b));
        doc.on('end', () => resolve(Buffer.concat(parts)));
        doc.end();
      });
    const first = await unsigned(input(rich));
    await unsigned(input(answerState(p(text('Ψ Ω ∮ ∇ ⊕ — “Æblegrød” ‰ ₂ ⅓ ÿ Ŋ ǅ'), text(' fed kursiv', 'bold')))));
    expect((await unsigned(input(rich))).equals(first)).toBe(true);
  });
});

describe('verifier', () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await render(input(answerState(p(text('Kort svar.')))));
  });

  it('accepts an untouched file and reads signer, signing time, exam number and answer hash back', () => {
    const r = verifyPdf(pdf, testIdentity().trustedCaPem);
    expect(r).toMatchObject({
      valid: true,
      problem: null,
      trusted: true,
      subFilter: 'ETSI.CAdES.detached',
      signingCertificateBound: true,
      signingTime: '2026-05-04T11:21:12.000Z',
      answerSha256: SHA,
      examNumber: 'S7-0042',
    });
    expect(r.signer?.commonName).toBe('Prøvesal besvarelser');
  });

  it('says not trusted when the issuing CA is not in the trust list, but still valid', () => {
    expect(verifyPdf(pdf, [])).toMatchObject({ valid: true, trusted: false });
  });

  it('refuses a file with one byte changed in the signed content (digest-mismatch)', () => {
    const t = Buffer.from(pdf);
    const at = t.indexOf('answer-sha256:') + 20;
    t[at] = t[at] === 0x61 ? 0x62 : 0x61;
    expect(verifyPdf(t)).toMatchObject({ valid: false, problem: 'digest-mismatch' });
  });

  it('refuses a file whose signature bytes were changed', () => {
    const t = Buffer.from(pdf);
    const contents = t.indexOf('/Contents <') + 11;
    // Flip a hex digit near the end of the RSA signature value (inside the CMS, before the zero padding).
    const end = t.indexOf('000000', contents) - 10;
    t[end] = t[end] === 0x30 ? 0x31 : 0x30;
    const r = verifyPdf(t);
    expect(r.valid).toBe(false);
    expect(['signature-mismatch', 'malformed-signature']).toContain(r.problem);
  });

  it('refuses bytes appended after signing (partial-coverage), an unsigned PDF and a non-PDF', () => {
    expect(verifyPdf(Buffer.concat([pdf, Buffer.from('\n%extra\n')]))).toMatchObject({ valid: false, problem: 'partial-coverage' });
    expect(verifyPdf(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n'))).toMatchObject({ valid: false, problem: 'no-signature' });
    expect(verifyPdf(Buffer.from('hello'))).toMatchObject({ valid: false, problem: 'not-a-pdf' });
  });
});
