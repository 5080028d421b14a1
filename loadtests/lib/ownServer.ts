import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

/** The server under test as its own process (never the generator's), found by its "listening" log line. */
export async function spawnOwnServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; rssMb(): number; stop(): Promise<void> }> {
  // SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server alone, never the generator.
  const extra = process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  // The young generation as `npm start` and the Dockerfile size it.
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', '--max-old-space-size=8192', '--max-semi-space-size=64', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DEMO: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The server must never outlive the generator (a failed run would leave it holding the terminal and the port).
  const killChild = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killChild);
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      killChild();
      process.exit(130);
    });
  // SERVER_LOG=/path keeps the server's log (it is read here only for the port, then dropped).
  if (process.env.SERVER_LOG) child.stdout!.pipe(createWriteStream(process.env.SERVER_LOG));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /"port":(\d+)[^\n]*Prøvesal is listening/.exec(out);
      if (m) resolve(Number(m[1]));
      if (out.length > 100_000) out = out.slice(-10_000);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    stop: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}
