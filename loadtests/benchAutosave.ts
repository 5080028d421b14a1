/**
 * Autosave benchmark (docs/rules.md §4.4, docs/performance.md): N simulated candidates (worker threads, the real
 * y-websocket protocol, precomputed updates) type at human speed against a server in its own process; prints
 * send → persisted-ack latency, the start storm (connectP99Ms, allSyncedSeconds), the server's CPU per update
 * read from /proc, the generator's own CPU share, and the lost-update count from comparing every stored answer
 * with what was typed.
 *
 *   npm run bench:autosave -- --candidates 500 --seconds 60 [--cpm 200] [--readSeconds 0] [--url http://host:port --server-pid PID]
 *   npm run bench:autosave -- --peer hocuspocus|y-websocket --candidates 2000 --seconds 60
 * Without --url it starts its own server on a fresh database (DATABASE_URL's server, or embedded).
 * With --url, DATABASE_URL must name that server's database (for seeding and the lost-update check).
 * --peer drives a peer server (default configuration, no persistence) with a writer and an observer per
 * document. Prøvesal keeps one socket per answer (a second replaces the first), so it has no observer: its figure is
 * the durable acknowledgement.
 * --readSeconds N: each pupil reads the paper for up to N s (spread evenly) before the first keystroke; by default
 * every pupil types from the moment it is synced, so the start storm competes with everyone already in typing.
 * Sessions are created directly in the database: bcrypt logins are measured by bench:login and `npm run load`.
 */
import { createPool } from '../src/db/pool.ts';
import { migrate } from '../src/db/migrate.ts';
import { freshBenchDatabase, parseFlags } from './lib/benchDatabase.ts';
import { runGenerator } from './lib/generator.ts';
import type { WorkerCandidate } from './lib/generatorWorker.ts';
import { spawnOwnServer } from './lib/ownServer.ts';
import { spawnPeer } from './lib/peerServer.ts';
import { seedLoadSitting } from './lib/seed.ts';

const f = parseFlags(process.argv.slice(2), {
  candidates: 500,
  seconds: 60,
  cpm: 200,
  flushMs: 300,
  readSeconds: 0,
  workers: 2,
  url: '',
  'server-pid': 0,
  peer: '',
  observers: 0,
});
const peer = String(f.peer);
if (peer && peer !== 'hocuspocus' && peer !== 'y-websocket') {
  console.error('--peer is hocuspocus or y-websocket');
  process.exit(2);
}
if (!peer && f.observers) {
  // docs/rules.md §4.5: one socket per answer; a second socket of the same device replaces the first (4409), so a
  // listening observer would close its own writer. Prøvesal's side of the comparison is its durable acknowledgement.
  console.error('--observers is for peers: Prøvesal keeps one socket per answer (a second one replaces the first).');
  process.exit(2);
}

const run = peer ? await againstPeer(peer as 'hocuspocus' | 'y-websocket') : await againstProvesal();
const { loginP50Ms: _a, loginP99Ms: _b, logins: _c, loginRetries: _d, handedIn: _e, ...line } = run;
console.log(JSON.stringify({ target: peer || 'provesal', ...line }));
process.exit(run.lost || run.errors ? 1 : 0);

async function againstProvesal() {
  const own = !f.url;
  const database = own ? await freshBenchDatabase() : null;
  const dbUrl = database?.url ?? process.env.DATABASE_URL;
  if (!dbUrl) {
    console.error("With --url, set DATABASE_URL to that server's database.");
    process.exit(2);
  }
  const db = createPool(dbUrl, 4);
  if (own) await migrate(db);
  const server = own ? await spawnOwnServer({ DATABASE_URL: dbUrl }) : null;
  const baseUrl = server?.url ?? String(f.url);
  const { candidates } = await seedLoadSitting(db, {
    candidates: Number(f.candidates),
    startsAt: new Date(Date.now() - 60_000),
    durationMinutes: 600,
    sessions: true,
  });
  console.log(`bench:autosave: ${candidates.length} candidates typing ~${f.cpm} chars/min for ${f.seconds} s against ${baseUrl}`);
  const result = await generate(
    baseUrl,
    candidates.map((c, i) => ({ registrationId: c.registrationId, cookie: c.cookie, seed: i + 1 })),
    {
      db,
      serverRssMb: server ? () => server.rssMb() : undefined,
      serverPid: server?.child.pid ?? (Number(f['server-pid']) || undefined),
    },
  );
  await server?.stop();
  await db.end();
  // A lost answer is kept for inspection: the database stays, and its URL is printed.
  if (result.lost) console.log(`database kept for inspection: ${dbUrl}`);
  else await database?.drop();
  return result;
}

async function againstPeer(name: 'hocuspocus' | 'y-websocket') {
  const server = await spawnPeer(name);
  console.log(`bench:autosave: ${f.candidates} writers + observers typing ~${f.cpm} chars/min for ${f.seconds} s against ${name} (no persistence)`);
  const candidates = Array.from({ length: Number(f.candidates) }, (_, i) => ({ registrationId: i + 1, cookie: '', seed: i + 1 }));
  const result = await generate(server.url, candidates, { db: null, target: name, observers: true, serverRssMb: server.rssMb, serverPid: server.pid });
  await server.stop();
  return result;
}

function generate(baseUrl: string, candidates: WorkerCandidate[], o: Partial<Parameters<typeof runGenerator>[0]>) {
  const startsAtMs = Date.now() + 3000;
  return runGenerator({
    baseUrl,
    db: null,
    workers: Number(f.workers),
    charsPerMinute: Number(f.cpm),
    flushMs: Number(f.flushMs),
    readMs: Number(f.readSeconds) * 1000,
    loginSpreadMs: 0,
    startsAtMs,
    typingEndsAtMs: startsAtMs + Number(f.seconds) * 1000,
    handIn: false,
    candidates,
    ...o,
  });
}
