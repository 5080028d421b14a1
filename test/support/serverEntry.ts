// A server as its own process (for crash and multi-node tests): prints {"port":N} once listening.
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/monitoring/logger.ts';
import { startServer, type RunningServer } from '../../src/server.ts';

let server: RunningServer | null = null;
const stop = (why: string) => {
  if (!server) process.exit(1); // still starting: nothing to flush yet
  // A close that hangs (a stuck flush) must not keep the process alive: the parent is gone or asked.
  setTimeout(() => {
    console.error(`serverEntry: close timed out after ${why}`);
    process.exit(1);
  }, 10_000).unref();
  server.close().then(
    () => process.exit(0),
    (err: Error) => {
      console.error(`serverEntry: close failed after ${why}: ${err.message}`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
// Die with the parent (the test process): its end closes our stdin, and an orphan is re-parented.
if (process.env.EXIT_WITH_STDIN === '1') {
  const parent = process.ppid;
  process.stdin.on('end', () => stop('parent gone (stdin closed)'));
  process.stdin.resume();
  setInterval(() => {
    if (process.ppid !== parent) stop('parent gone (re-parented)');
  }, 1000).unref();
}
server = await startServer(loadConfig(), createLogger(process.env.LOG_LEVEL ?? 'warn'));
console.log(JSON.stringify({ port: server.port }));
