import { parentPort, workerData } from 'node:worker_threads';
import { BUCKETS, record } from './histogram.ts';
import { Observer } from './observer.ts';
import { Typist } from './typist.ts';
import { scriptsFor } from './typingScript.ts';
import { wireFor, type Target } from './wire.ts';

/**
 * One generator thread: a share of the simulated candidates. Runs apart from the server (its own thread in
 * the generator's process), so the measurements include real websocket and scheduling costs.
 */
export interface WorkerCandidate {
  registrationId: number;
  cookie?: string;
  username?: string;
  password?: string;
  seed: number;
}
export interface WorkerPlan {
  baseUrl: string;
  candidates: WorkerCandidate[];
  charsPerMinute: number;
  flushMs: number;
  /** A pupil reads the paper for up to this long (spread evenly) before the first keystroke; unset: types at once. */
  readMs?: number;
  loginSpreadMs: number;
  startsAtMs: number;
  typingEndsAtMs: number;
  /** From when an update's acknowledgement counts as steady typing: the start storm is over. */
  steadyFromMs?: number;
  handIn: boolean;
  /** Prøvesal, or a peer server measured on the same harness. */
  target: Target;
  /** A second, listening socket per document, for the writer → observer relay latency. */
  observers: boolean;
}

const plan = workerData as WorkerPlan;
const acks = new Uint32Array(BUCKETS);
const steadyAcks = new Uint32Array(BUCKETS);
const logins = new Uint32Array(BUCKETS);
/** First connection attempt → first sync step 1 from the server, per pupil: the start storm as pupils feel it. */
const connects = new Uint32Array(BUCKETS);
const relays = new Uint32Array(BUCKETS);
const observers: Observer[] = [];
// Bursts type at 1.8× the average speed; one update carries what a flush interval of a burst holds.
const scripts = scriptsFor(8, (plan.charsPerMinute / 60) * 1.8 * (plan.flushMs / 1000));
const typists = new Map<number, Typist>();
const cookies = new Map<number, string>();
let errors = 0,
  loginErrors = 0,
  loginRetries = 0,
  loginRateLimited = 0,
  handedIn = 0;
/** When the first sign-in was sent and the last one answered: the pace of the bcrypt queue. */
let firstLoginAt = Infinity,
  lastLoginAt = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function login(c: WorkerCandidate): Promise<string | null> {
  // Peers have no sign-in: their pupils come with an empty cookie.
  if (c.cookie !== undefined) return c.cookie;
  await sleep(Math.random() * plan.loginSpreadMs);
  const started = performance.now();
  firstLoginAt = Math.min(firstLoginAt, Date.now());
  for (let attempt = 0; attempt < 30; attempt++) {
    const res = await fetch(`${plan.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: c.username, password: c.password }),
      signal: AbortSignal.timeout(300_000),
    }).catch(() => null);
    if (res?.status === 200) {
      record(logins, performance.now() - started);
      lastLoginAt = Math.max(lastLoginAt, Date.now());
      return res.headers.get('set-cookie')!.split(';')[0];
    }
    // A real pupil's page waits as told and tries again; that is queueing, not failure.
    loginRetries++;
    if (res?.status === 429) loginRateLimited++;
    await sleep(res?.status === 429 ? Number(res.headers.get('retry-after') ?? 1) * 1000 * (0.5 + Math.random()) : 1000);
  }
  loginErrors++;
  return null;
}

async function run(c: WorkerCandidate): Promise<void> {
  const cookie = await login(c);
  if (cookie === null) return;
  cookies.set(c.registrationId, cookie);
  await sleep(plan.startsAtMs - Date.now() + Math.random() * 2000); // the start storm, spread over two seconds
  // Writer and observer are one browser (the same device id): a second device would need the invigilator.
  const wire = wireFor(plan.target ?? 'provesal', plan.baseUrl, { registrationId: c.registrationId, cookie, device: `bench-device-${c.registrationId}` });
  const t = new Typist({
    wire,
    seed: c.seed,
    flushMs: plan.flushMs,
    script: scripts[c.seed % scripts.length],
    steadyFromMs: plan.steadyFromMs,
  });
  typists.set(c.registrationId, t);
  t.connect();
  if (plan.observers) {
    const o = new Observer(wire, t);
    observers.push(o);
    o.connect();
  }
  if (plan.readMs) await sleep(Math.random() * plan.readMs);
  t.startTyping();
}

function reportProgress(): void {
  let connected = 0,
    sent = 0,
    acked = 0,
    reconnects = 0;
  for (const t of typists.values()) {
    if (t.connected) connected++;
    sent += t.stats.sent;
    acked += t.stats.acked;
    reconnects += t.stats.reconnects;
    for (const l of t.stats.latencies.splice(0)) record(acks, l);
    for (const l of t.stats.steadyLatencies.splice(0)) record(steadyAcks, l);
    for (const l of t.stats.steadyLatencies.splice(0)) record(steadyAcks, l);
    for (const l of t.stats.relays.splice(0)) record(relays, l);
  }
  parentPort!.postMessage({ type: 'progress', connected, sent, acked, reconnects, loggedIn: cookies.size });
}
const progress = setInterval(reportProgress, 1000);

await Promise.all(plan.candidates.map(run));
await sleep(plan.typingEndsAtMs - Date.now());
for (const t of typists.values()) t.stopTyping();
// Wait until every update is acknowledged (reconnecting where needed), then hand in.
const deadline = Date.now() + 60_000;
while ([...typists.values()].some((t) => !t.settled) && Date.now() < deadline) await sleep(200);
// The texts below take this thread minutes at 5,000 pupils, and no progress goes out meanwhile: report the settled state
// first, or the last line printed would show the acknowledgements still in flight a second before (and never arriving).
reportProgress();
for (const t of typists.values()) {
  for (const l of t.stats.latencies.splice(0)) record(acks, l);
  for (const l of t.stats.steadyLatencies.splice(0)) record(steadyAcks, l);
  for (const l of t.stats.relays.splice(0)) record(relays, l);
  if (!t.settled) errors++;
}
const unsettled = [...typists]
  .filter(([, t]) => !t.settled)
  .slice(0, 5)
  .map(([id, t]) => `registration ${id}: ${t.describe()}`);
const texts: Record<number, string> = {};
const textsOf = new Map(scripts.map((s) => [s, s.textsAfter([...typists.values()].filter((t) => t.script === s).map((t) => t.typed))]));
const closes: Record<string, number> = {};
let firstConnectAt = Infinity,
  lastSyncedAt = 0,
  neverSynced = 0;
for (const [id, t] of typists) {
  texts[id] = textsOf.get(t.script)!.get(t.typed)!;
  firstConnectAt = Math.min(firstConnectAt, t.stats.firstConnectAt);
  if (t.stats.firstSyncedAt) {
    lastSyncedAt = Math.max(lastSyncedAt, t.stats.firstSyncedAt);
    record(connects, t.stats.firstSyncedAt - t.stats.firstConnectAt);
  } else neverSynced++;
  for (const [code, n] of Object.entries(t.stats.closes)) closes[code] = (closes[code] ?? 0) + n;
}
if (plan.handIn) {
  await Promise.all(
    [...cookies].map(async ([id, cookie]) => {
      const res = await fetch(`${plan.baseUrl}/api/exam/registrations/${id}/hand-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ confirm: true }),
      }).catch(() => null);
      if (res?.status === 200) handedIn++;
      else errors++;
    }),
  );
}
for (const t of typists.values()) t.close();
for (const o of observers) o.close();
clearInterval(progress);
const totals = [...typists.values()].reduce(
  (s, t) => ({
    sent: s.sent + t.stats.sent,
    acked: s.acked + t.stats.acked,
    reconnects: s.reconnects + t.stats.reconnects,
    held: s.held + t.stats.held,
    protocolErrors: s.protocolErrors + t.stats.errors,
  }),
  { sent: 0, acked: 0, reconnects: 0, held: 0, protocolErrors: 0 },
);
parentPort!.postMessage({
  type: 'done',
  acks,
  steadyAcks,
  logins,
  connects,
  relays,
  firstConnectAt,
  lastSyncedAt,
  neverSynced,
  texts,
  closes,
  errors: errors + totals.protocolErrors,
  unsettled,
  loginErrors,
  loginRetries,
  loginRateLimited,
  firstLoginAt,
  lastLoginAt,
  handedIn,
  ...totals,
  connected: typists.size,
});
