import { createAdaptorServer, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { LoginRateLimiter } from './auth/loginLimiter.ts';
import { loginRulesFrom } from './auth/rateLimit.ts';
import { PasswordHasher } from './auth/passwordHasher.ts';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { setDemoAccountsEnabled } from './demo/demoAccounts.ts';
import { seedDemoIfEmpty } from './demo/seed.ts';
import { createEventBus } from './events/createBus.ts';
import { createApp } from './http/app.ts';
import type { AppDeps } from './http/context.ts';
import { addExtraAcceptors } from './http/extraAcceptors.ts';
import { routeUpgrade } from './http/upgrade.ts';
import { buildModules, type Module } from './modules.ts';
import { createLogger } from './monitoring/logger.ts';
import { createMetrics } from './monitoring/metrics.ts';

/** The accept queue: the kernel caps it at net.core.somaxconn. */
const LISTEN_BACKLOG = 8192;

export interface RunningServer {
  port: number;
  url: string;
  deps: AppDeps;
  database: Database;
  close(): Promise<void>;
}

/** Starts everything: database (embedded or DATABASE_URL), migrations, demo, HTTP + websockets, modules. */
export async function startServer(given: Config, log: Logger = createLogger(given.LOG_LEVEL)): Promise<RunningServer> {
  // Our own copy: with PORT=0 the real port is written back once known, so the local-development origin
  // (http/publicOrigin.ts) names the port browsers actually reach.
  const config: Config = { ...given };
  const database = await openDatabase(config, (m) => log.debug({ pg: m }, 'embedded postgres'));
  const { applied } = await migrate(database.db);
  if (applied.length) log.info({ applied }, 'migrations applied');

  const deps: AppDeps = {
    config,
    db: database.db,
    log,
    passwords: new PasswordHasher(config.PASSWORD_WORKERS, config.BCRYPT_COST),
    loginLimiter: new LoginRateLimiter(loginRulesFrom(config)),
    bus: await createEventBus(config, log, database.db),
    metrics: createMetrics(database.db),
    now: () => new Date(),
  };
  if (config.DEMO) await seedDemoIfEmpty(deps);
  const demoAccounts = await setDemoAccountsEnabled(deps, config.DEMO);
  if (demoAccounts) log.info({ accounts: demoAccounts }, config.DEMO ? 'demo accounts enabled' : 'demo accounts disabled (DEMO is off)');

  const modules: Module[] = buildModules(deps);
  const app = createApp(
    deps,
    modules.flatMap((m) => m.routes ?? []),
  );
  const upgrades = modules.flatMap((m) => m.upgrades ?? []);
  for (const m of modules) await m.start?.();

  // A start storm opens thousands of sockets within seconds: with Node's default backlog (511) a busy moment of the
  // event loop overflows the accept queue, and each dropped connection waits for its SYN retransmit (1 s, 3 s, 7 s).
  // The kernel caps the backlog at net.core.somaxconn (docs/performance.md).
  const server: ServerType = createAdaptorServer({ fetch: app.fetch, hostname: config.HOST });
  await new Promise<void>((resolve) => server.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG }, resolve));
  server.on('upgrade', (req, socket, head) => routeUpgrade(upgrades, req, socket, head, config));
  // In the background: the server already accepts, the copies only add speed, and a slow helper must never delay
  // the start. Copies that arrive after close() are closed at once.
  const acceptors: { close(): unknown }[] = [];
  let stopped = false;
  const acceptorsReady = addExtraAcceptors(server, config.LISTEN_EXTRA_ACCEPTORS, LISTEN_BACKLOG, log).then(
    (copies) => {
      acceptors.push(...copies);
      if (stopped) for (const a of copies) a.close();
    },
    (err: Error) => log.warn({ err: { message: err.message } }, 'extra acceptors not opened; the listener still accepts'),
  );
  const port = (server.address() as AddressInfo).port;
  config.PORT = port;
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
  log.info({ port, database: database.embedded ? 'embedded' : 'external', ...database.where }, 'Prøvesal is listening');

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${host}:${port}`,
    deps,
    database,
    close: () =>
      (closing ??= (async () => {
        // Stop accepting first, then let each module flush (pending answer updates!) before the database goes.
        stopped = true;
        server.close();
        for (const a of acceptors) a.close();
        await acceptorsReady;
        for (const m of [...modules].reverse()) {
          try {
            await m.stop?.();
          } catch (err) {
            log.error({ err, module: m.name }, 'module stop failed');
          }
        }
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        await deps.passwords.close();
        await deps.bus.close();
        await database.close();
      })()),
  };
}
