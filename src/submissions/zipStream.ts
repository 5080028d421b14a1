import { ZipArchive } from 'archiver';
import { Readable } from 'node:stream';
import type { Queryable } from '../db/pool.ts';
import { sittingPdfPage } from './queries.ts';

const PAGE = 25;

/**
 * A sitting's PDFs as one ZIP (`<examNumber>.pdf`), streamed: rows are read a page at a time and each
 * entry is appended only after the previous one went through archiver, whose Transform holds back while
 * the response is not read. Memory stays flat for any number of submissions. PDFs are already
 * compressed, so entries are stored.
 */
export function sittingZipStream(q: Queryable, sittingId: number, onError: (err: unknown) => void): ReadableStream<Uint8Array> {
  const archive = new ZipArchive({ store: true });
  const entryDone = () =>
    new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        archive.off('entry', ok);
        archive.off('close', closed);
        archive.off('error', failed);
      };
      const ok = () => {
        cleanup();
        resolve();
      };
      const closed = () => {
        cleanup();
        reject(new Error('ZIP stream closed (client went away)'));
      };
      const failed = (err: Error) => {
        cleanup();
        reject(err);
      };
      archive.on('entry', ok);
      archive.on('close', closed);
      archive.on('error', failed);
    });
  (async () => {
    let after = '';
    for (;;) {
      const rows = await sittingPdfPage(q, sittingId, after, PAGE);
      for (const row of rows) {
        if (archive.destroyed) return;
        const done = entryDone();
        archive.append(row.pdf, { name: `${row.examNumber}.pdf`, date: row.handedInAt });
        await done;
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].examNumber;
    }
    await archive.finalize();
  })().catch((err) => {
    if (!archive.destroyed) {
      onError(err);
      archive.destroy(err as Error);
    }
  });
  // Node 20's toWeb reads the byte highWaterMark as a chunk count (16,384 chunks!), which disables
  // back-pressure; a small count strategy keeps only a few chunks ahead of the client.
  return Readable.toWeb(archive, { strategy: new CountQueuingStrategy({ highWaterMark: 4 }) }) as unknown as ReadableStream<Uint8Array>;
}
