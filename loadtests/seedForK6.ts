/**
 * Prepares a staging database for the k6 scripts: a sitting starting in --startIn seconds with N candidates
 * whose password is --password, and loadtests/k6/users.json (username + registrationId) for k6 to read.
 *   DATABASE_URL=… npm run load:seed -- --candidates 5000 --startIn 300 --minutes 60
 */
import bcrypt from 'bcryptjs';
import { writeFileSync } from 'node:fs';
import { createPool } from '../src/db/pool.ts';
import { parseFlags } from './lib/benchDatabase.ts';
import { seedLoadSitting } from './lib/seed.ts';

const f = parseFlags(process.argv.slice(2), { candidates: 1000, startIn: 300, minutes: 60, password: 'belastning-æøå', out: 'loadtests/k6/users.json' });
if (!process.env.DATABASE_URL) {
  console.error('Set DATABASE_URL to the staging database.');
  process.exit(2);
}
const db = createPool(process.env.DATABASE_URL, 2);
const { sittingId, candidates } = await seedLoadSitting(db, {
  candidates: Number(f.candidates),
  startsAt: new Date(Date.now() + Number(f.startIn) * 1000),
  durationMinutes: Number(f.minutes),
  sessions: false,
  passwordHash: bcrypt.hashSync(String(f.password), 10),
});
writeFileSync(
  String(f.out),
  JSON.stringify({ sittingId, password: f.password, users: candidates.map((c) => ({ username: c.username, registrationId: c.registrationId })) }),
);
console.log(`sitting ${sittingId}: ${candidates.length} candidates written to ${f.out}`);
await db.end();
