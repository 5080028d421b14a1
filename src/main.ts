import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './monitoring/logger.ts';
import { startServer } from './server.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const log = createLogger(config.LOG_LEVEL);
const server = await startServer(config, log).catch((err) => {
  log.fatal({ err: { message: err.message } }, 'start-up failed');
  console.error(`\nPrøvesal could not start: ${err.message}\n`);
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: flushing pending work');
    const timer = setTimeout(() => {
      log.error('shutdown timed out');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    server.close().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (err: Error) => {
        log.error({ err: { message: err.message } }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
