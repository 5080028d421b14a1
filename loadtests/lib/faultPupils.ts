import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import type { WorkerCandidate } from './generatorWorker.ts';
import { BUCKETS, merge, quantile } from './histogram.ts';
import { findLost } from './verify.ts';

const BOOT = new URL('../../src/workers/boot.mjs', import.meta.url);
const NORMAL = new URL('./generatorWorker.ts', import.meta.url).href;
const SKEWED = new URL('./skewedClockWorker.ts', import.meta.url).href;

export interface PupilsPlan {
  baseUrl: string; // where pupils connect: usually a TcpProxy (load balancer / their network)
  candidates: WorkerCandidate[];
  typingSeconds: number;
  db: pg.Pool; // the database the nodes write to: what PostgreSQL holds is the truth
  clockOffsetsMs?: number[]; // one generator thread per entry, its clock off by that much (default [0, 0])
  charsPerMinute?: number;
  flushMs?: number;
}

export interface PupilsResult {
  pupils: number;
  updates: number;
  acked: number;
  reconnects: number;
  /** Pupils with updates still unacknowledged when the settle time (60 s after typing) ran out. */
  incomplete: number;
  /** Pupils whose answer in PostgreSQL differs from what they typed (every update of a settled pupil was acked). */
  lost: number;
  lostChars: number;
  lostDetails: string[];
  ackP50Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
}

/**
 * Pupils typing from generator threads (loadtests/lib/generatorWorker.ts, the typist of npm run load) for
 * typingSeconds, while the caller injects faults. Each typist keeps every update in its Y.Doc until it is
 * acknowledged and resends what the server lacks on reconnect (the browser keeps it in IndexedDB). Ends with
 * the exact check of verify.ts: each stored answer must equal what its pupil typed.
 */
export async function runPupils(p: PupilsPlan): Promise<PupilsResult> {
  const offsets = p.clockOffsetsMs ?? [0, 0];
  const startsAtMs = Date.now() + 2000; // every worker is up; then the 2-s start storm of generatorWorker
  const shares = offsets.map((_, w) => p.candidates.filter((_, i) => i % offsets.length === w));
  const results = await Promise.all(
    shares.map(
      (candidates, w) =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const worker = new Worker(BOOT, {
            workerData: {
              entry: offsets[w] ? SKEWED : NORMAL,
              clockOffsetMs: offsets[w],
              baseUrl: p.baseUrl,
              candidates,
              charsPerMinute: p.charsPerMinute ?? 200,
              flushMs: p.flushMs ?? 300,
              loginSpreadMs: 0,
              startsAtMs,
              typingEndsAtMs: startsAtMs + p.typingSeconds * 1000,
              handIn: false,
              target: 'provesal',
              observers: false,
            },
          });
          worker.on('message', (m: Record<string, unknown>) => {
            if (m.type === 'done') {
              resolve(m);
              void worker.terminate();
            }
          });
          worker.on('error', reject);
        }),
    ),
  );
  const acks = new Uint32Array(BUCKETS);
  const typed: Record<number, string> = {};
  for (const r of results) {
    merge(acks, r.acks as Uint32Array);
    Object.assign(typed, r.texts);
  }
  const sum = (k: string) => results.reduce((s, r) => s + (r[k] as number), 0);
  const { lost, lostChars, details } = await findLost(p.db, typed);
  return {
    pupils: p.candidates.length,
    updates: sum('sent'),
    acked: sum('acked'),
    reconnects: sum('reconnects'),
    incomplete: sum('errors'),
    lost: lost.length,
    lostChars,
    lostDetails: details.slice(0, 5),
    ackP50Ms: quantile(acks, 0.5),
    ackP99Ms: quantile(acks, 0.99),
    ackMaxMs: quantile(acks, 1),
  };
}
