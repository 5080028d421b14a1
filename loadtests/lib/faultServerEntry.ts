// An app node for npm run faults: prints {"port":N} once listening, and stops when its parent (the fault
// script) dies — its stdin closes — so a failed or interrupted run leaves no server behind.
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/monitoring/logger.ts';
import { startServer, type RunningServer } from '../../src/server.ts';

let server: RunningServer | null = null;
const stop = (why: string) => {
  if (!server) process.exit(1); // still starting: nothing to flush yet
  setTimeout(() => {
    console.error(`fault node: close timed out (${why})`);
    process.exit(1);
  }, 10_000).unref();
  server.close().then(
    () => process.exit(0),
    (err: Error) => {
      console.error(`fault node: close failed (${why}): ${err.message}`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.stdin.on('end', () => stop('parent gone'));
process.stdin.resume();
server = await startServer(loadConfig(), createLogger(process.env.LOG_LEVEL ?? 'warn'));
console.log(JSON.stringify({ port: server.port }));
