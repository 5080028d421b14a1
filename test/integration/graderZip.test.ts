import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, sessionCookie } from '../support/factories.ts';
import { TEST_SIGNING_DIR } from '../support/submissionFactories.ts';
import { createTestApp, type TestApp } from '../support/testApp.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ config: { DATA_DIR: TEST_SIGNING_DIR } });
});
afterAll(async () => {
  await t.close();
});

// 3,000 entries (~60 MB) already show whether the archive is held in memory, in a CI-sized minute; the whole
// sitting's 10,000 is the same test run as a benchmark: ZIP_ENTRIES=10000 npx vitest run test/integration/graderZip.test.ts
const ENTRIES = Number(process.env.ZIP_ENTRIES ?? 3_000);
// A real gc() so the samples measure what is retained, not garbage awaiting collection.
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('ZIP of a whole sitting', () => {
  it(`streams ${ENTRIES.toLocaleString('en')} PDFs with memory flat in the PDF bytes (a ~200 MB archive retains a few MB while streaming)`, async () => {
    const w = await buildWorld(t.deps.db, { candidates: 0 });
    // The candidates, each with a ready 20 KB "PDF", inserted in bulk (the renderer is not under test here).
    await t.deps.db.query(
      `WITH u AS (
         INSERT INTO users (username, display_name, role, school_id)
         SELECT 'zipcand-' || g, 'Elev ' || g, 'candidate', $1 FROM generate_series(1, $3::int) g RETURNING id, username),
       c AS (
         INSERT INTO candidates (user_id, school_id, uni_id, full_name)
         SELECT id, $1, username, 'Elev' FROM u RETURNING id, uni_id),
       r AS (
         INSERT INTO registrations (sitting_id, candidate_id, room_id, exam_number)
         SELECT $2, id, $4, 'Z' || lpad(substr(uni_id, 9), 6, '0') FROM c RETURNING id)
       INSERT INTO submissions (registration_id, final_state, plain_text, text_sha256, handed_in_by, receipt_code, pdf, pdf_sha256, pdf_signed_at)
       SELECT id, '\\x00'::bytea, '', repeat('0', 64), 'auto', 'zip-' || id,
              ('%PDF-1.7 ' || repeat(md5(id::text), 640))::bytea, repeat('1', 64), now() FROM r`,
      [w.schoolId, w.sittingId, ENTRIES, w.roomA],
    );
    const cookie = await sessionCookie(t.deps.db, w.grader);

    gc();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakHeapWhileEntries = before.heapUsed;
    let peakRss = before.rss;
    let bytes = 0;
    let chunks = 0;
    const started = performance.now();
    const res = await t.request(`/api/submissions/sittings/${w.sittingId}/pdfs.zip`, { cookie });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let tail = Buffer.alloc(0);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      tail = Buffer.concat([tail, Buffer.from(value)]).subarray(-22);
      if (++chunks % 300 === 0) {
        gc();
        const m = process.memoryUsage();
        peakHeap = Math.max(peakHeap, m.heapUsed);
        if (bytes < ENTRIES * 20_000) peakHeapWhileEntries = Math.max(peakHeapWhileEntries, m.heapUsed);
        if (process.env.ZIP_TRACE)
          console.log(
            'mb',
            (bytes / 1e6).toFixed(0),
            'heap',
            ((m.heapUsed - before.heapUsed) / 1e6).toFixed(1),
            'ext',
            ((m.external - before.external) / 1e6).toFixed(1),
            'ab',
            ((m.arrayBuffers - before.arrayBuffers) / 1e6).toFixed(1),
          );
        peakRss = Math.max(peakRss, m.rss);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const heapGrowthMb = (peakHeap - before.heapUsed) / 1e6;
    const rssGrowthMb = (peakRss - before.rss) / 1e6;
    console.log(
      JSON.stringify({
        entries: ENTRIES,
        zipMb: +(bytes / 1e6).toFixed(1),
        seconds: +seconds.toFixed(1),
        heapGrowthWhileEntriesMb: +((peakHeapWhileEntries - before.heapUsed) / 1e6).toFixed(1),
        heapGrowthMb: +heapGrowthMb.toFixed(1),
        rssGrowthMb: +rssGrowthMb.toFixed(1),
      }),
    );
    // End of central directory: the entry count (ZIP64 when > 65,535; here it fits the classic field).
    expect(tail.readUInt32LE(0)).toBe(0x06054b50);
    expect(tail.readUInt16LE(10)).toBe(ENTRIES);
    expect(bytes).toBeGreaterThan(ENTRIES * 20_000);
    // The archive is ENTRIES × 20 KB; holding it (or all rows) would grow the heap by that much. While entries stream,
    // only archiver's central-directory records accumulate (~0.5 KB each); at finalize archiver writes the
    // central directory as tens of thousands of tiny chunks at once (~4 KB per entry, transient).
    expect((peakHeapWhileEntries - before.heapUsed) / 1e6).toBeLessThan(15);
    expect(heapGrowthMb).toBeLessThan(80);
  }, 180_000);
});
