import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { insertUpdates } from '../../src/sync/queries.ts';
import { png } from '../support/attachmentFiles.ts';
import { formulaAnswer, inline, type FBlock } from '../support/formulaAnswers.ts';
import { until } from '../support/poll.ts';
import { PNG_DATA_URL } from '../support/submissionFactories.ts';
import { signingPupil, signingSitting } from '../support/signingSitting.ts';
import { createUpload, patchUpload } from '../support/tusClient.ts';

/** Formulas and attachment images in the signed PDF (docs/rules.md §16.3, §16.4), through a real hand-in and PDF worker. */
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const POPPLER = has('pdfsig') && has('pdftotext') && has('pdfimages');
if (!POPPLER) console.warn('pdfsig/pdftotext/pdfimages (Debian poppler-utils) not installed: the poppler checks below are SKIPPED');

const s = signingSitting(['image'], 'provesal-formula-');
const pupil = () => signingPupil(s);
type Pupil = Awaited<ReturnType<typeof pupil>>;

/** Writes the answer as the answer socket would have stored it, hands in over HTTP and waits for the signed PDF. */
async function handInAnswer(p: Pupil, name: string, ...blocks: FBlock[]): Promise<string> {
  await insertUpdates(s.database.db, [p.registrationId], [formulaAnswer(...blocks)]);
  await s.database.db.query("UPDATE registrations SET state = 'writing' WHERE id = $1", [p.registrationId]);
  const res = await fetch(`${s.node.url}/api/exam/registrations/${p.registrationId}/hand-in`, {
    method: 'POST',
    headers: { cookie: p.cookie, origin: s.node.url, 'content-type': 'application/json' },
    body: JSON.stringify({ confirm: true }),
  });
  expect(res.status).toBe(200);
  const pdf = await until(
    async () =>
      (
        await s.database.db.query<{ pdf: Buffer | null }>('SELECT pdf FROM submissions WHERE registration_id = $1 AND superseded_at IS NULL', [
          p.registrationId,
        ])
      ).rows[0]?.pdf ?? null,
    { what: 'the signed PDF', timeoutMs: 45_000, intervalMs: 200 },
  );
  const file = path.join(s.dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

const pdftotext = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
/** The text between the page header and the page number on every page, so text running over pages reads on. */
const bodyText = (file: string) =>
  execFileSync('pdftotext', ['-enc', 'UTF-8', '-x', '0', '-y', '60', '-W', '595', '-H', '730', file, '-'], { encoding: 'utf8' });
const signatureValid = (file: string) => spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout.includes('Signature is Valid.');
/** The content streams of a PDF, inflated: where its drawing operators are. */
function contentStreams(file: string): string {
  const bytes = readFileSync(file);
  const out: string[] = [];
  for (let at = bytes.indexOf('stream\n'); at >= 0; at = bytes.indexOf('stream\n', at + 1)) {
    const end = bytes.indexOf('endstream', at);
    try {
      out.push(inflateSync(bytes.subarray(at + 7, end)).toString('latin1'));
    } catch {
      // not a deflated stream (an embedded font or file): not content
    }
  }
  return out.join('\n');
}
/** Cubic Bézier segments ("x1 y1 x2 y2 x3 y3 c"): glyph outlines drawn as paths; the page frame has none. */
const curves = (content: string) => (content.match(/^(?:-?[\d.]+ ){6}c$/gm) ?? []).length;
const flat = (s: string) => s.replace(/\s+/g, '');

describe('formulas in the signed PDF', () => {
  it.skipIf(!POPPLER)(
    'an inline and a display formula are drawn as vector paths, pdftotext reads their LaTeX, and the signature is valid',
    async () => {
      const file = await handInAnswer(
        await pupil(),
        'formler',
        { p: [{ text: 'Halvdelen er ' }, inline('\\frac{1}{2}'), { text: ' af hele arealet.' }] },
        { display: 'x = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}' },
        { p: [{ text: 'Så er ' }, inline('x = \\frac{8150-950}{180}'), { text: ' og ' }, inline('180x + 950 = 8150'), { text: ' giver svaret.' }] },
      );
      expect(signatureValid(file)).toBe(true);
      const text = pdftotext(file);
      expect(text).toContain('Halvdelen er \\frac{1}{2} af hele arealet.');
      expect(text).toContain('x = \\frac{-b \\pm \\sqrt{b^2-4ac}}{2a}');
      // A tall formula mid-line: its source reads in order with the words around it, on the line's baseline.
      expect(text).toContain('Så er x = \\frac{8150-950}{180} og 180x + 950 = 8150 giver svaret.');
      const content = contentStreams(file);
      expect(curves(content)).toBeGreaterThan(20);
      expect(content).toContain('3 Tr'); // the LaTeX is invisible text over the drawing, not printed twice
      expect(execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(2); // header lines only: no raster
    },
    60_000,
  );

  it.skipIf(!POPPLER)(
    'a 12 KB formula and broken ones (\\frac{1, a macro loop, an unknown command) are printed as their source; the PDF is signed',
    async () => {
      const long = 'x_{1}+'.repeat(2100);
      const file = await handInAnswer(
        await pupil(),
        'kilde',
        { p: [{ text: 'Brudt: ' }, inline('\\frac{1'), { text: ' og ' }, inline('\\def\\x{\\x}\\x'), { text: ' og ' }, inline('\\nosuchcommand{y}')] },
        { display: long },
        { display: '{'.repeat(500) + 'x' + '}'.repeat(500) },
      );
      expect(signatureValid(file)).toBe(true);
      const text = pdftotext(file);
      expect(text).toContain('Brudt: \\frac{1 og \\def\\x{\\x}\\x og \\nosuchcommand{y}');
      const body = flat(bodyText(file));
      expect(body.includes(long), 'the 12 KB source, whole').toBe(true);
      expect(body.includes('{'.repeat(500) + 'x' + '}'.repeat(500)), 'the deeply nested source, whole').toBe(true);
      // Nothing was drawn: no red error box, no glyph outlines, only text.
      expect(curves(contentStreams(file))).toBe(0);
    },
    60_000,
  );
});

describe('attachment images in the answer', () => {
  it.skipIf(!POPPLER)(
    'an image node naming a handed-in PNG is drawn where it sits (and embedded once); an unknown one is a placeholder; a data: URL still works',
    async () => {
      const p = await pupil();
      const bytes = Buffer.from(PNG_DATA_URL.split(',')[1], 'base64');
      const created = await createUpload(s.node.url, p.cookie, { registrationId: p.registrationId, filename: 'tegning.png', size: bytes.length });
      expect(created.status).toBe(201);
      const where = created.headers.get('location')!;
      expect((await patchUpload(s.node.url + where, p.cookie, 0, bytes)).status).toBe(204);
      const id = where.split('/').pop()!;
      const file = await handInAnswer(
        p,
        'billeder',
        { p: [{ text: 'Min tegning:' }] },
        { image: { src: 'blob:http://x/1', attachmentId: id } },
        { image: { src: 'blob:http://x/2', attachmentId: 'findes-ikke' } },
        { image: { src: `data:image/png;base64,${png().toString('base64')}` } },
      );
      expect(signatureValid(file)).toBe(true);
      const text = pdftotext(file);
      expect(text).toContain('[Billede: findes-ikke]');
      // Columns: page num type … object ID …; an RGBA PNG also lists its soft mask ('smask'), not counted here.
      const rows = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .slice(2)
        .map((r) => r.trim().split(/\s+/))
        .filter((c) => c[2] === 'image');
      const onPage = (n: number) => rows.filter((c) => c[0] === String(n));
      const firstPage = onPage(1);
      expect(firstPage.length, 'the attachment and the data: URL image on the answer page').toBe(2);
      // The attachment page draws the same image object as the answer: its bytes are in the PDF once.
      const objectOf = (cols: string[]) => cols[10];
      const attachmentPage = rows.filter((c) => c[0] !== '1');
      expect(attachmentPage).toHaveLength(1);
      expect(firstPage.map(objectOf)).toContain(objectOf(attachmentPage[0]));
    },
    60_000,
  );
});
