/**
 * Exam-day load generator (docs/rules.md §9–10): N candidates, from worker threads separate from the server, log in over
 * HTTP (bcrypt, spread over the lobby like pupils arriving), wait for the start, open their answer sockets in the
 * same two seconds, type Danish prose at human speed, and hand in. Ends with one JSON line; `lost` compares every
 * stored answer with what its candidate typed.
 *
 *   npm run load -- --candidates 1000 --minutes 2 [--url http://127.0.0.1:3000] [--cpm 200] [--lobby 60]
 * The sitting and its candidates are seeded directly into the server's database: DATABASE_URL, or — for a server
 * started with `npm start` on its embedded PostgreSQL — the URL it writes to $DATA_DIR/embedded-database-url.
 * Without --url the generator starts its own server on a fresh database.
 * All logins come from one address here, as a municipality's pupils do behind its firewall: with the default
 * configuration no sign-in may be refused for its address (`loginRateLimited` 0), and login p99 should stay within
 * the bcrypt queue's bound, `loginBoundMs` = candidates ÷ loginsPerSec (both printed).
 */
import bcrypt from 'bcryptjs';
import { existsSync, readFileSync } from 'node:fs';
import { embeddedUrlFile } from '../src/db/database.ts';
import { createPool } from '../src/db/pool.ts';
import { migrate } from '../src/db/migrate.ts';
import { freshBenchDatabase, parseFlags } from './lib/benchDatabase.ts';
import { runGenerator } from './lib/generator.ts';
import { spawnOwnServer } from './lib/ownServer.ts';
import { seedLoadSitting } from './lib/seed.ts';

const f = parseFlags(process.argv.slice(2), { candidates: 1000, minutes: 2, cpm: 200, flushMs: 300, workers: 2, lobby: 0, url: '' });
const n = Number(f.candidates);
const own = !f.url;
const database = own ? await freshBenchDatabase() : null;
const urlFile = embeddedUrlFile(process.env.DATA_DIR ?? './data');
const dbUrl = database?.url ?? process.env.DATABASE_URL ?? (existsSync(urlFile) ? readFileSync(urlFile, 'utf8').trim() : undefined);
if (!dbUrl) {
  console.error(`Set DATABASE_URL to the server's database (or run next to an \`npm start\` that wrote ${urlFile}).`);
  process.exit(2);
}
const db = createPool(dbUrl, 4);
if (own) await migrate(db);
const server = own ? await spawnOwnServer({ DATABASE_URL: dbUrl }) : null;
const baseUrl = server?.url ?? String(f.url);

// bcrypt at cost 10 manages ~25 logins/s on two cores shared with the generator: give the lobby time for that.
const lobbySeconds = Number(f.lobby) || Math.max(20, Math.ceil(n / 20) + 10);
const startsAtMs = Date.now() + lobbySeconds * 1000;
const passwordHash = bcrypt.hashSync('belastning-æøå', 10);
const { candidates } = await seedLoadSitting(db, {
  candidates: n,
  startsAt: new Date(startsAtMs),
  durationMinutes: Number(f.minutes) + 10,
  sessions: false,
  passwordHash,
});
console.log(`load: ${n} candidates log in over ${lobbySeconds} s, then type ~${f.cpm} chars/min for ${f.minutes} min and hand in, against ${baseUrl}`);
const result = await runGenerator({
  baseUrl,
  db,
  workers: Number(f.workers),
  charsPerMinute: Number(f.cpm),
  flushMs: Number(f.flushMs),
  loginSpreadMs: lobbySeconds * 1000 * 0.7,
  startsAtMs,
  typingEndsAtMs: startsAtMs + Number(f.minutes) * 60_000,
  handIn: true,
  candidates: candidates.map((c, i) => ({ registrationId: c.registrationId, username: c.username, password: 'belastning-æøå', seed: i + 1 })),
  serverRssMb: server ? () => server.rssMb() : undefined,
});
await server?.stop();
await db.end();
await database?.drop();
const loginBoundMs = result.loginsPerSec ? Math.round((n / result.loginsPerSec) * 1000) : null;
console.log(JSON.stringify({ ...result, loginBoundMs }));
process.exit(result.lost || result.errors ? 1 : 0);
