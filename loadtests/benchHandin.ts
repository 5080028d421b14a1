/**
 * Hand-in storm benchmark (issue 4, docs/rules.md §6): N candidates hand in at the same second against a real
 * server; every receipt must be issued at once, PDFs follow from the durable queue and the worker pool,
 * and the server must stay responsive meanwhile.
 *
 *   npm run bench:handin -- --candidates 2000 [--clients 200] [--words 600] [--workers 2] [--attachmentShare 0.2 --attachmentMb 5] [--auto 1]
 * Final line: {"candidates":N,"receiptsSeconds":x,"pdfsSeconds":x,"pdfsPerSec":x,"worstRttMs":x,"samplePdf":"/abs/path.pdf",
 *              "attachments":{"share":x,"mb":x,"answers":n}}
 *
 * With --attachmentShare, that share of the answers carries one finished attachment of --attachmentMb MB (a GeoGebra
 * file of random bytes, stored in 256 KiB chunks as a tus upload leaves it), which the hand-in freezes and the PDF
 * worker embeds.
 *
 * The answers are stored as each candidate's Yjs document (what autosave leaves in PostgreSQL), then every
 * candidate is handed in through the real hand-in (handInFinalizer: freeze, hash, receipt, PDF job) at once,
 * while 200 other candidates keep typing over the answer websocket (the shared load generator, in worker
 * threads): their worst send → persisted-ack time during the storm is `worstRttMs`.
 * With --auto 1 nobody clicks: the sitting's end + grace is set 3 s ahead and the server's automatic sweep hands
 * everyone in; a receipt's time is then its handed_in_at minus that moment (receiptP99Ms).
 */
import { channels } from '../src/events/bus.ts';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { benchAnswer } from './lib/handInAnswer.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/monitoring/logger.ts';
import { startServer } from '../src/server.ts';
import { pdfBacklog } from '../src/submissions/queue.ts';
import { handIn as handInAnswer } from '../src/exam/handInFinalizer.ts';
import { insertUpdates } from '../src/sync/queries.ts';
import { runGenerator } from './lib/generator.ts';
import { seedLoadSitting } from './lib/seed.ts';
import { embeddedFilesOf } from '../src/submissions/embeddedFiles.ts';
import { verifyPdf } from '../src/submissions/verifier.ts';
import { freshBenchDatabase, parseFlags, percentile } from './lib/benchDatabase.ts';
import { autoHandInStorm } from './lib/autoHandInStorm.ts';

const flags = parseFlags(process.argv.slice(2), {
  candidates: 2000,
  clients: 200,
  words: 600,
  workers: 2,
  concurrency: 40,
  typingSeconds: 60,
  attachmentShare: 0,
  attachmentMb: 5,
  auto: 0,
});
const auto = Boolean(Number(flags.auto));
const n = Number(flags.candidates);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'provesal-bench-handin-'));
const database = await freshBenchDatabase();
const server = await startServer(
  loadConfig({
    ...process.env,
    DATABASE_URL: database.url,
    DEMO: '0',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    PDF_WORKERS: String(flags.workers),
    DATABASE_POOL_MAX: '60',
  }),
  createLogger('warn'),
);
const { db } = server.deps;

// --- seed: one school, one room, a sitting that ends now, N registered candidates ---
const one = async (sql: string, p: unknown[]) => (await db.query<{ id: number }>(sql, p)).rows[0].id;
const schoolId = await one("INSERT INTO schools (name, institution_no) VALUES ('Benchskolen', $1) RETURNING id", [randomBytes(4).toString('hex')]);
const roomId = await one("INSERT INTO rooms (school_id, name) VALUES ($1, 'Aula') RETURNING id", [schoolId]);
const sittingId = await one(
  `INSERT INTO sittings (subject, level, starts_at, duration_minutes) VALUES ('Dansk – skriftlig fremstilling', 9,
  now() - make_interval(mins => $1::int), 240) RETURNING id`,
  // --auto: the sitting ends later (the storm moves its end); otherwise it has ended and pupils hand in themselves.
  [auto ? 200 : 240],
);
const { rows: regs } = await db.query<{ id: number }>(
  `WITH u AS (INSERT INTO users (username, display_name, role, school_id)
              SELECT 'bench-elev-' || g, 'Elev ' || g, 'candidate', $1 FROM generate_series(1, $3::int) g RETURNING id, username),
        c AS (INSERT INTO candidates (user_id, school_id, uni_id, full_name) SELECT id, $1, username, 'Elev ' || id FROM u RETURNING id)
   INSERT INTO registrations (sitting_id, candidate_id, room_id, exam_number, state)
   SELECT $2::bigint, id, $4, 'S' || $2::bigint || '-' || lpad(row_number() OVER (ORDER BY id)::text, 4, '0'), 'writing' FROM c RETURNING id`,
  [schoolId, sittingId, n, roomId],
);

// --- ~600-word Danish answers as Yjs states (headings, paragraphs, some bold/italic) ---
const prepStarted = performance.now();
const answers = regs.map((r, i) => benchAnswer(i + 1, Number(flags.words)));
console.log(
  `seeded ${n} candidates and ${flags.words}-word answers in ${((performance.now() - prepStarted) / 1000).toFixed(1)} s; ` +
    `${flags.clients} clients measuring round trips to ${server.url} …`,
);

// --- every answer stored as autosave would have left it ---
for (let i = 0; i < n; i += 500) {
  await insertUpdates(
    db,
    regs.slice(i, i + 500).map((r) => r.id),
    answers.slice(i, i + 500).map((a) => a.state),
  );
}

// --- a share of the answers with one finished attachment each, spread evenly over the candidates ---
const share = Number(flags.attachmentShare);
const withFile = regs.filter((_, i) => Math.floor((i + 1) * share) > Math.floor(i * share)).map((r) => r.id);
if (withFile.length) {
  const file = randomBytes(Math.round(Number(flags.attachmentMb) * 1_000_000));
  const sha = createHash('sha256').update(file).digest('hex');
  const piece = 256 * 1024;
  for (let i = 0; i < withFile.length; i += 20) {
    const batch = withFile.slice(i, i + 20);
    const ids = batch.map(() => randomBytes(16).toString('hex'));
    await db.query(
      `INSERT INTO attachment_uploads (id, registration_id, file_name, claimed_kind, size, upload_offset, completed_at, kind, mime_type, sha256)
       SELECT id, reg, 'konstruktion.ggb', 'ggb', $3, $3, now(), 'ggb', 'application/vnd.geogebra.file', $4 FROM unnest($1::text[], $2::bigint[]) AS t(id, reg)`,
      [ids, batch, file.length, sha],
    );
    await db.query(
      `INSERT INTO attachment_chunks (upload_id, start_offset, data)
       SELECT id, g::bigint * $2, substring($3::bytea FROM g * $2 + 1 FOR $2) FROM unnest($1::text[]) AS id
        CROSS JOIN generate_series(0, ($4::int - 1) / $2) AS g`,
      [ids, piece, file, file.length],
    );
  }
  console.log(`${withFile.length} answers carry a ${flags.attachmentMb} MB attachment`);
}

// --- 200 other candidates typing over the answer websocket through the storm ---
const writers = await seedLoadSitting(db, { candidates: Number(flags.clients), startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, sessions: true });
const typingStarts = Date.now() + 1000;
const typing = runGenerator({
  baseUrl: server.url,
  db,
  workers: 1,
  charsPerMinute: 200,
  flushMs: 300,
  loginSpreadMs: 0,
  handIn: false,
  startsAtMs: typingStarts,
  typingEndsAtMs: typingStarts + Number(flags.typingSeconds) * 1000,
  candidates: writers.candidates.map((c, i) => ({ registrationId: c.registrationId, cookie: c.cookie, seed: i + 1 })),
});
await new Promise((r) => setTimeout(r, 5000)); // writers connected and typing

// --- the storm: every candidate hands in at the same second ---
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const started = performance.now();
let next = 0;
const receipts: number[] = [];
async function handIn(i: number): Promise<void> {
  const { receipt } = await handInAnswer(server.deps, { registrationId: regs[i].id, by: 'candidate', actor: null });
  if (receipt.wordCount < Number(flags.words)) throw new Error(`hand-in of ${regs[i].id} froze ${receipt.wordCount} words`);
  receipts.push(performance.now() - started);
}
if (auto) {
  // A receipt counts when it reaches the pupil's page: the server announces it on the bus after the commit, and the
  // answer socket forwards it. (handed_in_at is the batch transaction's start, earlier than any pupil sees it.)
  const issuedAt = new Map<number, number>();
  const unsubscribe = regs.map((r) =>
    server.deps.bus.subscribe(channels.registration(r.id), (e) => {
      if (e.type === 'registration.handed_in' && !issuedAt.has(r.id)) issuedAt.set(r.id, Date.now());
    }),
  );
  const storm = await autoHandInStorm(db, { sittingId, candidates: n, graceSeconds: server.deps.config.ANSWER_GRACE_SECONDS, leadMs: 3000 });
  for (const wait = Date.now() + 30_000; issuedAt.size < n && Date.now() < wait;) await new Promise((r) => setTimeout(r, 50));
  for (const u of unsubscribe) u();
  if (issuedAt.size < n) throw new Error(`only ${issuedAt.size} of ${n} receipts were announced`);
  receipts.push(...[...issuedAt.values()].map((t) => t - storm.dueAt));
} else {
  await Promise.all(
    Array.from({ length: Number(flags.concurrency) }, async () => {
      while (next < n) await handIn(next++);
    }),
  );
}
const receiptsSeconds = (performance.now() - started) / 1000;
console.log(`${n} receipts issued in ${receiptsSeconds.toFixed(2)} s; waiting for PDFs …`);

let backlog = await pdfBacklog(db);
let lastLog = performance.now();
while (backlog.pending + backlog.running > 0) {
  await new Promise((r) => setTimeout(r, 250));
  backlog = await pdfBacklog(db);
  if (performance.now() - lastLog > 10_000) {
    lastLog = performance.now();
    console.log(`  … ${backlog.done} PDFs done, ${backlog.pending + backlog.running} to go`, JSON.stringify(backlog).slice(0, 300));
  }
}
const pdfsSeconds = (performance.now() - started) / 1000;
loop.disable();
const writersResult = await typing;

const { rows: sample } = await db.query<{ pdf: Buffer; exam_number: string }>(
  `SELECT s.pdf, r.exam_number FROM submissions s JOIN registrations r ON r.id = s.registration_id WHERE s.pdf IS NOT NULL ORDER BY s.id LIMIT 1`,
);
const samplePdf = path.resolve(dataDir, `${sample[0].exam_number}.pdf`);
writeFileSync(samplePdf, sample[0].pdf);
let sampleValid = verifyPdf(sample[0].pdf).valid;
if (withFile.length) {
  // One PDF that carries an attachment must be valid too, and hold the file.
  const { rows: attached } = await db.query<{ pdf: Buffer }>('SELECT pdf FROM submissions WHERE registration_id = $1', [withFile[0]]);
  sampleValid &&= verifyPdf(attached[0].pdf).valid && embeddedFilesOf(attached[0].pdf).length === 1;
}
const {
  rows: [{ pdfs }],
} = await db.query<{ pdfs: number }>('SELECT count(*)::int AS pdfs FROM submissions WHERE pdf IS NOT NULL');
await server.close();
await database.drop();

receipts.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    pdfsStored: pdfs,
    failedJobs: backlog.failed,
    sampleValid,
    pdfWorkers: Number(flags.workers),
    receiptP50Ms: Math.round(percentile(receipts, 50)),
    receiptP99Ms: Math.round(percentile(receipts, 99)),
    maxEventLoopDelayMs: Math.round(loop.max / 1e6),
    writers: {
      candidates: writersResult.candidates,
      ackP50Ms: writersResult.ackP50Ms,
      ackP99Ms: writersResult.ackP99Ms,
      ackMaxMs: writersResult.ackMaxMs,
      lost: writersResult.lost,
      errors: writersResult.errors,
    },
  }),
);
console.log(
  JSON.stringify({
    candidates: n,
    receiptsSeconds: +receiptsSeconds.toFixed(2),
    pdfsSeconds: +pdfsSeconds.toFixed(2),
    pdfsPerSec: +(n / pdfsSeconds).toFixed(1),
    worstRttMs: writersResult.ackMaxMs,
    samplePdf,
    attachments: { share, mb: Number(flags.attachmentMb), answers: withFile.length },
  }),
);
process.exit(pdfs === n && sampleValid && !writersResult.lost ? 0 : 1);
