import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { PasswordHasher } from '../auth/passwordHasher.ts';
import { LoginRateLimiter } from '../auth/rateLimit.ts';
import { InProcessBus } from '../events/bus.ts';
import { createLogger } from '../monitoring/logger.ts';
import { createMetrics } from '../monitoring/metrics.ts';
import { printDemo, seedDemo } from './seed.ts';

/**
 * A fresh demo: a new sitting starting a few minutes from now, registered with the demo pupils anew.
 * Earlier demo sittings and their answers stay (nothing exam-related is deleted); logins are reset.
 */
const config = loadConfig();
const database = await openDatabase(
  config,
  () => {
    /* quiet */
  },
  'attach',
);
if (database.where?.attachedToPid) {
  console.log(`Bruger den kørende servers database (pid ${database.where.attachedToPid}) / Using the running server's embedded PostgreSQL.`);
}
const passwords = new PasswordHasher(config.PASSWORD_WORKERS, config.BCRYPT_COST);
try {
  await migrate(database.db);
  const summary = await seedDemo({
    config,
    db: database.db,
    log: createLogger('warn'),
    passwords,
    loginLimiter: new LoginRateLimiter(),
    bus: new InProcessBus(),
    metrics: createMetrics(null),
    now: () => new Date(),
  });
  printDemo(summary);
} finally {
  await passwords.close();
  await database.close();
}
