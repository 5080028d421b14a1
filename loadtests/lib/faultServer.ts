import { spawn, type ChildProcess } from 'node:child_process';

const ENTRY = new URL('./faultServerEntry.ts', import.meta.url).pathname;
const nodes = new Set<ChildProcess>();
// Whatever ends the fault script, its nodes end with it (their stdin closes too; this is quicker).
process.once('exit', () => {
  for (const c of nodes) if (c.exitCode === null && !c.signalCode) c.kill('SIGKILL');
});

export interface FaultNode {
  name: string;
  url: string;
  port: number;
  pid: number;
  log(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** An app node as its own process on 127.0.0.1 (so it can be SIGKILLed), configured by env. */
export async function spawnNode(name: string, env: Record<string, string | undefined>): Promise<FaultNode> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DEMO: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  nodes.add(child);
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d).slice(-20_000);
  };
  child.stderr!.on('data', keep);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within 90 s: ${log}`));
    }, 90_000);
    child.stdout!.on('data', (d: Buffer) => {
      keep(d);
      out += d;
      const m = /\{"port":(\d+)\}/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${log}`));
    });
  });
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    log: () => log,
    kill: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode) return resolve();
        child.once('exit', () => {
          nodes.delete(child);
          resolve();
        });
        child.kill(signal);
      }),
  };
}
