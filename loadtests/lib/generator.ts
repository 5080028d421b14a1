import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { BUCKETS, count, merge, quantile } from './histogram.ts';
import { CpuWindow } from './cpuMeter.ts';
import type { WorkerCandidate, WorkerPlan } from './generatorWorker.ts';
import type { Target } from './wire.ts';
import { findLost } from './verify.ts';

const BOOT = new URL('../../src/workers/boot.mjs', import.meta.url);

/** What each generator worker reports when done (generatorWorker.ts): histograms, texts typed, counters. */
interface WorkerResult {
  acks: Uint32Array;
  steadyAcks: Uint32Array;
  logins: Uint32Array;
  connects: Uint32Array;
  relays: Uint32Array;
  texts: Record<number, string>;
  closes: Record<string, number>;
  [counter: string]: unknown;
}

export interface GeneratorRun extends Omit<WorkerPlan, 'candidates' | 'target' | 'observers'> {
  candidates: WorkerCandidate[];
  workers: number;
  /** Prøvesal's database, for the lost-update check; peers store nothing, so they have none. */
  db: pg.Pool | null;
  target?: Target;
  observers?: boolean;
  serverRssMb?: () => number;
  /** The server's process id, to read its CPU time from /proc (only when it runs on this machine). */
  serverPid?: number;
}

/**
 * The one load generator (bench:autosave and `npm run load` both drive it): splits the candidates over
 * worker threads, prints progress every 5 s, and at the end checks every stored answer against what was typed.
 */
export async function runGenerator(run: GeneratorRun) {
  const startedAt = Date.now();
  const shares = Array.from({ length: run.workers }, (_, w) => run.candidates.filter((_, i) => i % run.workers === w));
  const progress = new Map<number, { connected: number; sent: number; acked: number; reconnects: number; loggedIn: number }>();
  let lastSent = 0,
    lastAt = Date.now(),
    peakRss = 0;
  const baselineRss = run.serverRssMb?.() ?? 0;
  const sentSoFar = () => [...progress.values()].reduce((s, x) => s + x.sent, 0);
  // The per-update cost is read while pupils type: from 10 s after the start storm (or its first fifth) to the end of typing.
  const cpu = new CpuWindow(run.serverPid);
  const typingMs = run.typingEndsAtMs - run.startsAtMs;
  const steadyFromMs = run.startsAtMs + Math.min(10_000, typingMs / 5);
  const cpuStart = setTimeout(() => cpu.mark('start', sentSoFar()), steadyFromMs - Date.now());
  const cpuEnd = setTimeout(() => cpu.mark('end', sentSoFar()), run.typingEndsAtMs - Date.now());
  const ticker = setInterval(() => {
    const p = [...progress.values()].reduce(
      (s, x) => ({
        connected: s.connected + x.connected,
        sent: s.sent + x.sent,
        acked: s.acked + x.acked,
        reconnects: s.reconnects + x.reconnects,
        loggedIn: s.loggedIn + x.loggedIn,
      }),
      { connected: 0, sent: 0, acked: 0, reconnects: 0, loggedIn: 0 },
    );
    const rate = (p.sent - lastSent) / ((Date.now() - lastAt) / 1000);
    lastSent = p.sent;
    lastAt = Date.now();
    const rss = run.serverRssMb?.() ?? 0;
    peakRss = Math.max(peakRss, rss);
    console.log(
      `[${Math.round((Date.now() - startedAt) / 1000)}s] logged in ${p.loggedIn}/${run.candidates.length} · connected ${p.connected} · ` +
        `${Math.round(rate)} updates/s · acked ${p.acked}/${p.sent} · reconnects ${p.reconnects}${rss ? ` · server RSS ${Math.round(rss)} MB` : ''} · load ${os.loadavg()[0].toFixed(2)}`,
    );
  }, 5000);

  const results = await Promise.all(
    shares.map(
      (candidates, w) =>
        new Promise<WorkerResult>((resolve, reject) => {
          const worker = new Worker(BOOT, {
            workerData: {
              entry: new URL('./generatorWorker.ts', import.meta.url).href,
              ...run,
              steadyFromMs,
              target: run.target ?? 'provesal',
              observers: run.observers ?? false,
              db: undefined,
              serverRssMb: undefined,
              candidates,
            },
          });
          worker.on('message', (m) => {
            if (m.type === 'progress') progress.set(w, m);
            else if (m.type === 'done') {
              resolve(m);
              void worker.terminate();
            }
          });
          worker.on('error', reject);
        }),
    ),
  );
  clearInterval(ticker);
  clearTimeout(cpuStart);
  clearTimeout(cpuEnd);

  const acks = new Uint32Array(BUCKETS);
  const steadyAcks = new Uint32Array(BUCKETS);
  const logins = new Uint32Array(BUCKETS);
  const connects = new Uint32Array(BUCKETS);
  const relays = new Uint32Array(BUCKETS);
  const typed: Record<number, string> = {};
  const sum = (k: string) => results.reduce((s, r) => s + (r[k] as number), 0);
  // Pupils with updates never acknowledged: printed (a few per thread) so a stuck acknowledgement can be traced.
  for (const u of results.flatMap((r) => (r.unsettled as string[] | undefined) ?? [])) console.error(`unsettled: ${u}`);
  for (const r of results) {
    merge(acks, r.acks);
    merge(steadyAcks, r.steadyAcks);
    merge(logins, r.logins);
    merge(connects, r.connects);
    merge(relays, r.relays);
    Object.assign(typed, r.texts);
  }
  const durable = (run.target ?? 'provesal') === 'provesal';
  const typingSeconds = (run.typingEndsAtMs - run.startsAtMs) / 1000;
  const { lost, lostChars, details } = run.db ? await findLost(run.db, typed) : { lost: null, lostChars: null, details: [] };
  for (const d of details) console.log(`LOST ${d}`);
  const closes: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.closes as Record<string, number>)) closes[code] = (closes[code] ?? 0) + n;
  return {
    candidates: run.candidates.length,
    connected: sum('connected'),
    loginP50Ms: quantile(logins, 0.5),
    loginP99Ms: quantile(logins, 0.99),
    logins: count(logins),
    loginRetries: sum('loginRetries'),
    loginRateLimited: sum('loginRateLimited'),
    loginsPerSec: loginPace(results, count(logins)),
    updatesPerSec: Math.round(sum('sent') / typingSeconds),
    updates: sum('sent'),
    // Typed while the server had ANSWER_LIMITS.maxUnackedMessages of the pupil's messages unacknowledged, sent merged.
    heldUpdates: sum('held'),
    // Only Prøvesal acknowledges durability; a peer's pupils have no such figure.
    ...(durable
      ? {
          ackP50Ms: quantile(acks, 0.5),
          ackP95Ms: quantile(acks, 0.95),
          ackP99Ms: quantile(acks, 0.99),
          ackMaxMs: quantile(acks, 1),
          steadyAckP99Ms: quantile(steadyAcks, 0.99),
        }
      : { ackP50Ms: null, ackP95Ms: null, ackP99Ms: null, ackMaxMs: null, steadyAckP99Ms: null }),
    relayP50Ms: run.observers ? quantile(relays, 0.5) : undefined,
    relayP99Ms: run.observers ? quantile(relays, 0.99) : undefined,
    reconnects: sum('reconnects'),
    connectP99Ms: quantile(connects, 0.99),
    // From the first socket opened to the last pupil's first sync; null when someone never got in.
    allSyncedSeconds: sum('neverSynced')
      ? null
      : Math.round((Math.max(...results.map((r) => r.lastSyncedAt as number)) - Math.min(...results.map((r) => r.firstConnectAt as number))) / 100) / 10,
    ...cpu.result(run.candidates.length),
    closeCodes: closes,
    errors: sum('errors') + sum('loginErrors'),
    lost: lost?.length ?? null,
    lostChars,
    handedIn: sum('handedIn'),
    serverPeakRssMb: Math.round(peakRss),
    serverBaselineRssMb: Math.round(baselineRss),
    // Growth over the idle server, per connected candidate (documents, sockets, buffers).
    serverRssKbPerCandidate: peakRss ? Math.round(((peakRss - baselineRss) * 1024) / run.candidates.length) : undefined,
    seconds: Math.round((Date.now() - startedAt) / 1000),
  };
}

/** Sign-ins answered per second from the first sent to the last answered: the bcrypt pool's pace in this run. */
function loginPace(results: WorkerResult[], logins: number): number {
  const first = Math.min(...results.map((r) => r.firstLoginAt as number));
  const last = Math.max(...results.map((r) => r.lastLoginAt as number));
  return last > first ? Math.round((logins / ((last - first) / 1000)) * 10) / 10 : 0;
}
