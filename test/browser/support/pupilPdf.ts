import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';

/** The pupil's own signed PDF as bytes, fetched in the pupil's page once the queue has made it. */
export async function pupilPdfBytes(page: Page, registrationId: number, timeoutMs = 60_000): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bytes = await page.evaluate(async (id) => {
      const res = await fetch(`/api/submissions/mine/${id}/pdf`);
      return res.ok ? Array.from(new Uint8Array(await res.arrayBuffer())) : null;
    }, registrationId);
    if (bytes) return Buffer.from(bytes);
    if (Date.now() > deadline) throw new Error('the signed PDF was not made in time');
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Runs `inspect` on the PDF written to a temporary file, which is removed afterwards. */
export function withPdfFile<T>(bytes: Buffer, inspect: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'pupil-pdf-'));
  try {
    const file = path.join(dir, 'answer.pdf');
    writeFileSync(file, bytes);
    return inspect(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The pupil's own signed PDF: its text (pdftotext) and what pdfsig says of its signature. */
export async function pupilPdf(page: Page, registrationId: number, timeoutMs = 60_000): Promise<{ text: string; signature: string }> {
  return withPdfFile(await pupilPdfBytes(page, registrationId, timeoutMs), (file) => ({
    text: execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '),
    signature: execFileSync('pdfsig', [file], { encoding: 'utf8' }),
  }));
}
