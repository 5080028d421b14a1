import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';

/** How long the helper may take to hand the copies back before the server goes on with its one listener. */
const HELPER_TIMEOUT_MS = 5_000;

// Receives the listening socket once and sends it back `count` times: each send is a new file descriptor in the
// parent (SCM_RIGHTS). The socket travels as a bare handle, never as a net.Server, so the helper never listens on
// it: a helper that accepted would drop those connections when it exits. Node sends one handle at a time (each
// waits for the parent's acknowledgement), so the helper keeps listening for messages — which keeps it alive —
// until the parent, holding all copies, disconnects.
// Plain JavaScript (no TypeScript loader).
const HELPER = `
process.on('message', (m, handle) => {
  if (handle) for (let i = 0; i < m.count; i++) process.send('copy', handle);
});
setTimeout(() => process.exit(0), ${HELPER_TIMEOUT_MS}).unref();
`;

/** The listening socket's own handle (libuv's TCP handle): what the IPC channel can pass without listening on it. */
type ListenHandle = object;

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
  const own = (server as unknown as { _handle?: ListenHandle | null })._handle;
  if (count < 1 || !own) return [];
  const helper = spawn(process.execPath, ['-e', HELPER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const handles: ListenHandle[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no copies within 5 s')), HELPER_TIMEOUT_MS).unref();
      helper.on('message', (_m, handle) => {
        handles.push(handle as ListenHandle);
        if (handles.length === count) {
          clearTimeout(timer);
          resolve();
        }
      });
      helper.once('error', reject);
      helper.once('exit', (code) => reject(new Error(`helper exited with ${code}`)));
      // A bare handle is sent as such (Node's "net.Native"): the receiver gets it without listening.
      helper.send({ count }, own as Parameters<typeof helper.send>[1]);
    });
  } catch (err) {
    log.warn({ err: { message: (err as Error).message }, copies: handles.length }, 'extra acceptors not (all) opened; the listener still accepts');
  } finally {
    if (helper.connected) helper.disconnect();
    if (helper.exitCode === null) helper.kill();
  }
  const forward = (socket: Socket) => server.emit('connection', socket);
  // Listening on a copy sets the shared socket's backlog too: pass the server's own, positionally (Node ignores a
  // backlog given beside a bare handle in the options object and falls back to 511, shrinking the shared queue).
  return handles.map((handle) => createServer(forward).listen(handle, backlog));
}
