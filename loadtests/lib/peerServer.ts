import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Target } from './wire.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * A peer server in its own process, like Prøvesal's own server in bench:autosave: the y-websocket reference
 * server (y-websocket 1.x `bin/server.js`, installed under the alias y-websocket-server-v1) or Hocuspocus.
 */
export async function spawnPeer(peer: Exclude<Target, 'provesal'>) {
  const port = await freePort();
  const args =
    peer === 'y-websocket'
      ? ['node_modules/y-websocket-server-v1/bin/server.js']
      : ['--import', 'tsx', new URL('./hocuspocusEntry.ts', import.meta.url).pathname];
  const child = spawn(process.execPath, ['--max-old-space-size=8192', ...args], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (/running at|peer listening/.test(d.toString())) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${peer} exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    stop: () =>
      new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}
