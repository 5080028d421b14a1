import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `npm start`'s server (src/main.ts, run by tsx) as a child process with the embedded PostgreSQL: no
 * DATABASE_URL, no Redis. Resolves with the parsed "Prøvesal is listening" log line, which says where
 * the cluster's programs and data are.
 */
export interface MainProcess {
  url: string;
  listening: { port: number; database: string; pgPrograms?: string; pgData?: string };
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const started = new Set<ChildProcess>();
// A failing or timed-out test must not leave a server (and its PostgreSQL) behind.
process.once('exit', () => {
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
});

export async function spawnMain(cwd: string, env: Record<string, string | undefined> = {}, timeoutMs = 90_000): Promise<MainProcess> {
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO: '1',
    LOG_LEVEL: 'info',
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    ...env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const listening = await new Promise<MainProcess['listening']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const look = () => {
      const line = out.split('\n').find((l) => l.includes('Prøvesal is listening'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    };
    child.stdout!.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${listening.port}`,
    listening,
    child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode) return resolve(child.exitCode);
        child.once('exit', (code) => {
          started.delete(child);
          resolve(code);
        });
        child.kill(signal);
      }),
  };
}

/** Signs in with the demo's first pupil: 200 when the server and its database work. */
export async function demoSignIn(url: string): Promise<number> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'elev01', password: 'elev-demo' }),
  });
  return res.status;
}
