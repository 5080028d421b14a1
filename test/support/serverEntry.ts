// A server as its own process (for crash and multi-node tests): prints {"port":N} once listening.
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/monitoring/logger.ts';
import { startServer } from '../../src/server.ts';

const server = await startServer(loadConfig(), createLogger(process.env.LOG_LEVEL ?? 'warn'));
console.log(JSON.stringify({ port: server.port }));
process.on('SIGTERM', () => { void server.close().then(() => process.exit(0)); });
