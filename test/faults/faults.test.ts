import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The fault matrix in its short form (`npm run faults -- --short`): 200 pupils type through real app nodes
 * while a server is SIGKILLed, PostgreSQL drops and refuses connections, Redis goes away under two nodes, one
 * of two nodes dies, clocks are off by an hour and the network goes down; every scenario must end with 0 lost
 * acknowledged updates and every answer complete (docs/rules.md §10). Runs as one child process: the
 * scenarios are the same script an operator runs, and its JSON lines are what is asserted.
 */
const REPO = path.resolve(import.meta.dirname, '../..');

function runFaults(): Promise<{ code: number | null; lines: Record<string, unknown>[]; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'loadtests/faults.ts', '--short', '--exit-with-stdin'], {
      cwd: REPO,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    process.once('exit', () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    }); // a timed-out test leaves nothing running
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-20_000);
    });
    child.once('exit', (code) =>
      resolve({
        code,
        stderr,
        lines: out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l)),
      }),
    );
  });
}

describe('fault matrix, short', () => {
  it('loses no acknowledged update and leaves no answer incomplete in any scenario', async () => {
    const { code, lines, stderr } = await runFaults();
    for (const l of lines) console.log(JSON.stringify(l));
    expect(lines.map((l) => l.scenario)).toEqual(['server-sigkill', 'pg-terminate', 'pg-refuse', 'redis-down', 'node-sigkill', 'clock-skew', 'network-outage']);
    for (const l of lines) {
      expect({ scenario: l.scenario, ok: l.ok, lost: l.lost, incomplete: l.incomplete, pupils: l.pupils, error: l.error }, stderr).toEqual({
        scenario: l.scenario,
        ok: true,
        lost: 0,
        incomplete: 0,
        pupils: 200,
        error: undefined,
      });
    }
    expect(code).toBe(0);
  }, 400_000);
});
