import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import type { Receipt } from '../../src/protocol/control.ts';
import { embeddedFilesOf } from '../../src/submissions/embeddedFiles.ts';
import { buildUser, sessionCookie } from '../support/factories.ts';
import { ggb, png } from '../support/attachmentFiles.ts';
import { until } from '../support/poll.ts';
import { TEST_SIGNING_DIR } from '../support/submissionFactories.ts';
import { signingPupil, signingSitting } from '../support/signingSitting.ts';
import { createUpload, patchUpload } from '../support/tusClient.ts';

/** Attachments in the hand-in (docs/rules.md §15.9): the receipt lists them, the signed PDF embeds them. */
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const POPPLER = has('pdfsig') && has('pdfdetach') && has('pdftotext');
if (!POPPLER) console.warn('pdfsig/pdfdetach/pdftotext (Debian poppler-utils) not installed: the poppler checks below are SKIPPED');

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const s = signingSitting(['image', 'ggb'], 'provesal-handin-');
const pupil = () => signingPupil(s);

/** Uploads a whole file (create, then one PATCH); `upTo` stops early and leaves the upload unfinished. */
async function attach(p: Awaited<ReturnType<typeof pupil>>, filename: string, file: Buffer, upTo = file.length): Promise<string> {
  const created = await createUpload(s.node.url, p.cookie, { registrationId: p.registrationId, filename, size: file.length });
  expect(created.status).toBe(201);
  const where = created.headers.get('location')!;
  expect((await patchUpload(s.node.url + where, p.cookie, 0, file.subarray(0, upTo))).status).toBe(204);
  return where.split('/').pop()!;
}

async function handIn(p: Awaited<ReturnType<typeof pupil>>): Promise<Receipt> {
  const res = await fetch(`${s.node.url}/api/exam/registrations/${p.registrationId}/hand-in`, {
    method: 'POST',
    headers: { cookie: p.cookie, origin: s.node.url, 'content-type': 'application/json' },
    body: JSON.stringify({ confirm: true }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Receipt;
}

const storedPdf = (registrationId: number) =>
  until(
    async () =>
      (await s.database.db.query<{ pdf: Buffer | null }>('SELECT pdf FROM submissions WHERE registration_id = $1 AND superseded_at IS NULL', [registrationId]))
        .rows[0]?.pdf ?? null,
    { what: 'the signed PDF', timeoutMs: 30_000, intervalMs: 200 },
  );

const picture = png(1_500_000);
const drawing = ggb(2_500_000);
let handedIn: { receipt: Receipt; pdfFile: string; registrationId: number };

describe('hand-in with attachments', () => {
  it('the receipt lists each finished attachment (id, name, size, SHA-256) in upload order; an unfinished upload is left out', async () => {
    const p = await pupil();
    const pngId = await attach(p, 'tegning.png', picture);
    const ggbId = await attach(p, 'C:\\elev\\trekant æøå.ggb', drawing);
    await attach(p, 'halv.png', png(400_000), 100_000);
    const receipt = await handIn(p);
    expect(receipt.attachments).toEqual([
      { id: pngId, name: 'tegning.png', size: picture.length, sha256: sha256(picture) },
      { id: ggbId, name: 'trekant æøå.ggb', size: drawing.length, sha256: sha256(drawing) },
    ]);
    // The answer's hash is the hash of its text, exactly as without attachments.
    const text = (await s.database.db.query('SELECT plain_text FROM submissions WHERE registration_id = $1', [p.registrationId])).rows[0].plain_text as string;
    expect(receipt.sha256).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    const again = await fetch(`${s.node.url}/api/exam/registrations/${p.registrationId}/receipt`, { headers: { cookie: p.cookie } });
    expect(await again.json()).toEqual(receipt);

    const pdf = await storedPdf(p.registrationId);
    handedIn = { receipt, pdfFile: path.join(s.dir, 'besvarelse.pdf'), registrationId: p.registrationId };
    writeFileSync(handedIn.pdfFile, pdf);
  }, 60_000);

  it('an answer without attachments has a receipt without the attachments field', async () => {
    const receipt = await handIn(await pupil());
    expect(receipt).not.toHaveProperty('attachments');
  });

  it.skipIf(!POPPLER)('the signed PDF embeds both files (pdfdetach), their extracted bytes hash to the receipt, and pdfsig says the signature is valid', () => {
    const { pdfFile, receipt } = handedIn;
    const list = execFileSync('pdfdetach', ['-list', '-enc', 'UTF-8', pdfFile], { encoding: 'utf8' });
    expect(list).toContain('2 embedded files');
    expect(list).toContain('tegning.png');
    expect(list).toContain('trekant æøå.ggb');

    const out = path.join(s.dir, 'detached');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('pdfdetach', ['-saveall', '-o', out, '-enc', 'UTF-8', pdfFile]);
    const extracted = Object.fromEntries(readdirSync(out).map((f) => [f, sha256(readFileSync(path.join(out, f)))]));
    expect(extracted).toEqual(Object.fromEntries(receipt.attachments!.map((a) => [a.name, a.sha256])));

    const sig = spawnSync('pdfsig', [pdfFile], { encoding: 'utf8' }).stdout;
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Total document signed');

    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' });
    expect(text).toContain('Vedhæftede filer');
    expect(text.replace(/\s+/g, '')).toContain(sha256(drawing));
    expect(text).toContain('GeoGebra-fil');
  });
});

describe('graders', () => {
  it('a grader of the sitting downloads a handed-in attachment as a nosniff download, another grader gets 404, and the ZIP carries the PDF with its files', async () => {
    const [first] = handedIn.receipt.attachments!;
    const get = async (cookie: string) => fetch(`${s.node.url}/api/attachments/files/${first.id}`, { headers: { cookie } });
    const mine = await get(await sessionCookie(s.database.db, s.w.grader));
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-disposition')).toBe(`attachment; filename="tegning.png"; filename*=UTF-8''tegning.png`);
    expect(mine.headers.get('x-content-type-options')).toBe('nosniff');
    expect(sha256(Buffer.from(await mine.arrayBuffer()))).toBe(first.sha256);
    expect((await get(await sessionCookie(s.database.db, await buildUser(s.database.db, 'grader')))).status).toBe(404);

    // Grading opens once the sitting has ended.
    await s.database.db.query("UPDATE sittings SET starts_at = now() - interval '5 hours' WHERE id = $1", [s.w.sittingId]);
    const zip = await fetch(`${s.node.url}/api/submissions/sittings/${s.w.sittingId}/pdfs.zip`, {
      headers: { cookie: await sessionCookie(s.database.db, s.w.grader) },
    });
    expect(zip.status).toBe(200);
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    const entry = Object.values(files).find((f) => Buffer.from(f).equals(readFileSync(handedIn.pdfFile)));
    expect(entry, 'the handed-in PDF, byte for byte').toBeDefined();
    expect(embeddedFilesOf(Buffer.from(entry!)).map((f) => f.sha256)).toEqual(handedIn.receipt.attachments!.map((a) => a.sha256));
  }, 30_000);
});

describe('npm run verify -- file.pdf', () => {
  const verify = (file: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/submissions/verifyCli.ts', file], {
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: TEST_SIGNING_DIR, DATABASE_URL: '', ...env },
    });

  it('lists the embedded files with their SHA-256 and, given DATABASE_URL, says each matches the stored receipt (exit 0)', () => {
    const { pdfFile, receipt } = handedIn;
    const out = verify(pdfFile, { DATABASE_URL: s.database.url });
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain('GYLDIG / VALID');
    expect(out.stdout).toContain('attachments: 2');
    for (const a of receipt.attachments!) {
      expect(out.stdout).toContain(`${a.name} (${a.size} byte) SHA-256 ${a.sha256}`);
      expect(out.stdout).toContain(`${a.name}: stemmer med kvitteringen / matches the receipt (SHA-256 ${a.sha256})`);
    }
    expect(out.status).toBe(0);
  }, 30_000);

  it('without a s.database it lists the files and says the receipt was not checked', () => {
    const out = verify(handedIn.pdfFile);
    expect(out.stdout).toContain(`trekant æøå.ggb (${drawing.length} byte) SHA-256 ${sha256(drawing)}`);
    expect(out.stdout).toContain('receipt not checked (no DATABASE_URL)');
    expect(out.status).toBe(0);
  }, 30_000);

  it('exits non-zero and names the file when the stored receipt says another SHA-256 than the embedded bytes', async () => {
    const other = 'f'.repeat(64);
    await s.database.db.query(
      `UPDATE submission_attachments SET sha256 = $2
        WHERE submission_id = (SELECT id FROM submissions WHERE registration_id = $1) AND file_name = 'tegning.png'`,
      [handedIn.registrationId, other],
    );
    const out = verify(handedIn.pdfFile, { DATABASE_URL: s.database.url });
    expect(out.stdout).toContain(`tegning.png: AFVIGER fra kvitteringen / DOES NOT MATCH the receipt (SHA-256 ${other})`);
    expect(out.stdout).toContain('trekant æøå.ggb: stemmer med kvitteringen');
    expect(out.status).toBe(1);
  }, 30_000);
});
