import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Asked once when loaded: a child process spawned inside the measured window would be counted in it.
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system, µs) a process has used, from /proc: the server's cost read from outside it. */
export function processCpuMicros(pid: number): number {
  // The command name (field 2) may hold spaces; the counters are counted from after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / ticksPerSecond;
}

/** This process's CPU time (all threads, so the generator's workers too), µs. */
export const ownCpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/**
 * CPU used by the server and by the generator between two moments of the run, with the updates sent in between:
 * the per-update cost is measured while pupils type, not while they connect.
 */
export class CpuWindow {
  private start: { at: number; server: number; own: number; sent: number } | null = null;
  private end: { at: number; server: number; own: number; sent: number } | null = null;

  constructor(private readonly serverPid: number | undefined) {}

  mark(which: 'start' | 'end', sent: number): void {
    const sample = { at: performance.now(), server: this.serverPid ? processCpuMicros(this.serverPid) : 0, own: ownCpuMicros(), sent };
    if (which === 'start') this.start = sample;
    else this.end = sample;
  }

  /** µs of server CPU per update; the generator's share of one core, and that share per 1,000 typists. */
  result(typists: number) {
    if (!this.start || !this.end) return {};
    const wallUs = (this.end.at - this.start.at) * 1000;
    const updates = this.end.sent - this.start.sent;
    const generatorCores = (this.end.own - this.start.own) / wallUs;
    return {
      serverCpuUsPerUpdate: this.serverPid && updates ? Math.round((this.end.server - this.start.server) / updates) : undefined,
      serverCpuCores: this.serverPid ? Math.round(((this.end.server - this.start.server) / wallUs) * 100) / 100 : undefined,
      generatorCpuCores: Math.round(generatorCores * 100) / 100,
      generatorCpuShare: typists ? Math.round((generatorCores / (typists / 1000)) * 1000) / 1000 : undefined,
      measuredUpdates: updates,
      measuredSeconds: Math.round(wallUs / 1e5) / 10,
    };
  }
}
