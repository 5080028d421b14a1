/**
 * Autosave benchmark (docs/rules.md §4.4): N simulated candidates (separate worker threads, the real y-websocket
 * protocol) type at human speed against a server in its own process; prints send → persisted-ack latency and
 * the lost-update count from comparing every stored answer with what was typed.
 *
 *   npm run bench:autosave -- --candidates 500 --seconds 60 [--cpm 200] [--url http://host:port --server-pid PID]
 * Without --url it starts its own server on a fresh database (DATABASE_URL's server, or embedded).
 * With --url, DATABASE_URL must name that server's database (for seeding and the lost-update check).
 * Sessions are created directly in the database: bcrypt logins are measured by bench:login and `npm run load`.
 */
import { createPool } from '../src/db/pool.ts';
import { migrate } from '../src/db/migrate.ts';
import { freshBenchDatabase, parseFlags } from './lib/benchDatabase.ts';
import { runGenerator } from './lib/generator.ts';
import { spawnOwnServer } from './lib/ownServer.ts';
import { seedLoadSitting } from './lib/seed.ts';

const f = parseFlags(process.argv.slice(2), { candidates: 500, seconds: 60, cpm: 200, flushMs: 300, workers: 2, url: '', 'server-pid': 0 });
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

const startsAtMs = Date.now() + 3000;
const { candidates } = await seedLoadSitting(db, {
  candidates: Number(f.candidates),
  startsAt: new Date(Date.now() - 60_000),
  durationMinutes: 600,
  sessions: true,
});
console.log(`bench:autosave: ${candidates.length} candidates typing ~${f.cpm} chars/min for ${f.seconds} s against ${baseUrl}`);
const result = await runGenerator({
  baseUrl,
  db,
  workers: Number(f.workers),
  charsPerMinute: Number(f.cpm),
  flushMs: Number(f.flushMs),
  loginSpreadMs: 0,
  startsAtMs,
  typingEndsAtMs: startsAtMs + Number(f.seconds) * 1000,
  handIn: false,
  candidates: candidates.map((c, i) => ({ registrationId: c.registrationId, cookie: c.cookie, seed: i + 1 })),
  serverRssMb: server ? () => server.rssMb() : undefined,
  serverPid: server?.child.pid ?? (Number(f['server-pid']) || undefined),
});
await server?.stop();
await db.end();
// A lost answer is kept for inspection: the database stays, and its URL is printed.
if (result.lost) console.log(`database kept for inspection: ${dbUrl}`);
else await database?.drop();
const { loginP50Ms: _a, loginP99Ms: _b, logins: _c, loginRetries: _d, handedIn: _e, ...line } = result;
console.log(JSON.stringify(line));
process.exit(result.lost || result.errors ? 1 : 0);
