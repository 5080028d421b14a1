import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../support/serverProcess.ts';

/**
 * The suite leaves no process behind, even when a test process dies mid-test: a server of the suite
 * (test/support/serverEntry.ts) was found running after `.ci/run`, and a SIGKILLed server's embedded
 * PostgreSQL used to keep running and hold its data folder.
 */
const SERVER_PROCESS = path.resolve(import.meta.dirname, '../support/serverProcess.ts');
const dirs: string[] = [];
const pids: number[] = [];
afterAll(() => {
  for (const pid of pids) if (!gone(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'provesal-leftover-'));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}

/** Exited (a zombie awaiting its reaper counts as exited: it holds no port, file or memory). */
function gone(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
async function waitGone(pid: number, ms: number): Promise<number> {
  const t0 = Date.now();
  while (!gone(pid)) {
    if (Date.now() - t0 > ms) throw new Error(`process ${pid} still running after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - t0;
}
const postmasterPid = (dir: string) => Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('no process outlives the test that started it', () => {
  it('a server whose test process is SIGKILLed stops by itself, and its embedded PostgreSQL with it', async () => {
    const dir = dataDir();
    // A stand-in for a vitest worker: starts a server through the suite's helper, then is killed outright.
    const code = `import { spawnServer } from ${JSON.stringify(SERVER_PROCESS)};
      const s = await spawnServer({ DATABASE_URL: undefined, DATA_DIR: ${JSON.stringify(dir)} });
      console.log(JSON.stringify({ server: s.child.pid }));
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    pids.push(parent.pid!);
    const server = await new Promise<number>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (d) => {
        out += d;
        const m = /\{"server":(\d+)\}/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      parent.once('exit', (c) => reject(new Error(`parent exited (${c}): ${out}`)));
    });
    pids.push(server);
    const postgres = postmasterPid(dir);
    pids.push(postgres);
    parent.kill('SIGKILL');
    const serverMs = await waitGone(server, 15_000);
    const postgresMs = await waitGone(postgres, 15_000);
    console.log(`after the parent's SIGKILL: server gone in ${serverMs} ms, its PostgreSQL in ${postgresMs} ms`);
  }, 90_000);

  it("a SIGKILLed server's embedded PostgreSQL stops too (fast shutdown), and the next start finds its data", async () => {
    const dir = dataDir();
    const first = await spawnServer({ DATABASE_URL: undefined, DATA_DIR: dir });
    const postgres = postmasterPid(dir);
    pids.push(postgres);
    await first.kill('SIGKILL');
    await waitGone(postgres, 15_000);
    const second = await spawnServer({ DATABASE_URL: undefined, DATA_DIR: dir });
    try {
      expect((await fetch(`${second.url}/ready`)).status).toBe(200);
    } finally {
      await second.kill('SIGTERM');
    }
    expect(existsSync(path.join(dir, 'pg', 'postmaster.pid'))).toBe(false);
  }, 90_000);
});
