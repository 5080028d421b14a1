import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * .ci/run ends with .ci/leftovers.mjs: any process still carrying this run's PROVESAL_CI_RUN tag is killed
 * and counted as a failed check; processes without the tag (another engineer's server, the machine's
 * services) are left alone.
 */
const SCRIPT = path.resolve(import.meta.dirname, '../../.ci/leftovers.mjs');
const started: number[] = [];
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone, as the test wants */
    }
  }
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
function sleeper(env: Record<string, string | undefined>): number {
  const child = spawn('sleep', ['120'], { env: { ...process.env, ...env }, stdio: 'ignore', detached: true });
  child.unref();
  started.push(child.pid!);
  return child.pid!;
}

describe('.ci/leftovers.mjs', () => {
  it('kills and reports what this run left behind, fails the check, and spares untagged processes', async () => {
    const tag = `test-${randomBytes(4).toString('hex')}`;
    const ours = sleeper({ PROVESAL_CI_RUN: tag });
    const theirs = sleeper({ PROVESAL_CI_RUN: undefined });
    const run = spawnSync(process.execPath, [SCRIPT, tag, '/nonexistent-clone', '0'], {
      encoding: 'utf8',
      env: { ...process.env, PROVESAL_CI_RUN: undefined },
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`leftover process ${ours}: sleep 120`);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(ours) && !/ Z /.test(String(spawnSync('ps', ['-o', 'stat=', '-p', String(ours)]).stdout))).toBe(false);
    expect(alive(theirs)).toBe(true);

    const clean = spawnSync(process.execPath, [SCRIPT, `none-${tag}`, '/nonexistent-clone', '0'], { encoding: 'utf8', timeout: 30_000 });
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('no leftover processes');
  }, 60_000);
});
