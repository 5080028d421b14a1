import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { demoSignIn, spawnMain, type MainProcess } from './mainProcess.ts';

/**
 * `npm run demo:reset` next to a running `npm start` (same DATA_DIR, embedded PostgreSQL): the reset must
 * use the server's running cluster. It used to start (or, finding it "stale", stop) the cluster itself,
 * and the running server answered 500 until restarted.
 */
const REPO = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'provesal-reset-'));
chmodSync(dataDir, 0o755); // reachable by the postgres user: this test is about sharing, not placement
let server: MainProcess | null = null;

afterAll(async () => {
  await server?.stop('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

function demoReset(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/resetCli.ts'], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('demo:reset while npm start runs', () => {
  it("reuses the running server's embedded database: the server stays ready and pupils can still sign in", async () => {
    server = await spawnMain(REPO, { DATA_DIR: dataDir });
    expect(await demoSignIn(server.url)).toBe(200);

    const reset = await demoReset({ DATA_DIR: dataDir, DATABASE_URL: undefined, LOG_LEVEL: 'warn' });
    expect(reset.code).toBe(0);
    expect(reset.output).toContain('Prøvesal demo'); // a fresh demo sitting was seeded

    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    expect(await demoSignIn(server.url)).toBe(200);
    expect(reset.output).toContain("Using the running server's embedded PostgreSQL");
    const db = new pg.Client({ connectionString: readFileSync(path.join(dataDir, 'embedded-database-url'), 'utf8').trim() });
    await db.connect();
    const { rows } = await db.query('SELECT count(*)::int AS n FROM sittings');
    await db.end();
    expect(rows[0].n).toBe(6); // the first start's demo and the reset's (an essay, an item test and mathematics each), in the one database
  }, 120_000);
});
