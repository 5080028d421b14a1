import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';

/**
 * The pupil's own signed PDF, fetched in the pupil's page once the queue has made it: its text (pdftotext) and
 * what pdfsig says of its signature.
 */
export async function pupilPdf(page: Page, registrationId: number, timeoutMs = 60_000): Promise<{ text: string; signature: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bytes = await page.evaluate(async (id) => {
      const res = await fetch(`/api/submissions/mine/${id}/pdf`);
      return res.ok ? Array.from(new Uint8Array(await res.arrayBuffer())) : null;
    }, registrationId);
    if (bytes) {
      const dir = mkdtempSync(path.join(tmpdir(), 'pupil-pdf-'));
      try {
        const file = path.join(dir, 'answer.pdf');
        writeFileSync(file, Buffer.from(bytes));
        const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
        const signature = execFileSync('pdfsig', [file], { encoding: 'utf8' });
        return { text, signature };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline) throw new Error('the signed PDF was not made in time');
    await new Promise((r) => setTimeout(r, 500));
  }
}
