import { spawn } from 'node:child_process';
import type { Server, Socket } from 'node:net';
import type { Logger } from 'pino';

/** How long the helper may take to hand the copies back before the server goes on with its one listener. */
const HELPER_TIMEOUT_MS = 5_000;

// Receives the listening socket once and sends it back `count` times: each send is a new file descriptor in the
// parent (SCM_RIGHTS). Plain JavaScript, so it runs without the TypeScript loader, and it exits by itself.
const HELPER = `
process.once('message', (m, server) => {
  let left = m.count;
  const next = () => (left-- > 0 ? process.send('copy', server, next) : process.disconnect());
  next();
});
setTimeout(() => process.exit(0), ${HELPER_TIMEOUT_MS}).unref();
`;

/**
 * More readers of the listening socket's accept queue. libuv (Node 20) accepts ONE connection per event-loop
 * iteration per listening handle, and in a start storm each iteration also serves every pupil already typing: at
 * 5,000 pupils an iteration took 15–60 ms, so sockets were accepted at 60–150 a second while the accept queue
 * filled up to the kernel's cap and dropped the rest (docs/performance.md). Node 22's `reusePort` would give
 * several listening sockets; on Node 20 the same socket is opened again under further file descriptors, handed
 * back by a short-lived helper process, and each becomes a listener whose connections go to `server` — so an
 * iteration accepts up to `count + 1` connections. Nothing else changes: one socket, one port, one HTTP server.
 * On any failure the server keeps its single listener (slower storms, nothing lost) and says so in the log.
 */
export async function addExtraAcceptors(server: Server, count: number, backlog: number, log: Logger): Promise<Server[]> {
  if (count < 1) return [];
  const helper = spawn(process.execPath, ['-e', HELPER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const copies: Server[] = [];
  const forward = (socket: Socket) => server.emit('connection', socket);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no copies within 5 s')), HELPER_TIMEOUT_MS);
      helper.on('message', (_m, copy) => {
        const listener = copy as Server;
        listener.on('connection', forward);
        copies.push(listener);
        if (copies.length === count) {
          clearTimeout(timer);
          resolve();
        }
      });
      helper.once('error', reject);
      helper.once('exit', (code) => reject(new Error(`helper exited with ${code}`)));
      helper.send({ count }, server);
    });
  } catch (err) {
    log.warn({ err: { message: (err as Error).message }, copies: copies.length }, 'extra acceptors not (all) opened; the listener still accepts');
  } finally {
    if (helper.connected) helper.disconnect();
    if (helper.exitCode === null) helper.kill();
  }
  // Node listens on each received copy with its default backlog (511), which shrinks the one shared accept queue:
  // set it back, or a storm overflows the queue again (the kernel drops SYNs; clients retry after 1, 3, 7 s).
  if (copies.length) (server as unknown as { _handle?: { listen?(backlog: number): number } })._handle?.listen?.(backlog);
  return copies;
}
