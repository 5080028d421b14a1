import { Hono } from 'hono';
import { migrationsCurrent } from '../db/migrate.ts';
import type { AppDeps, AppEnv } from '../http/context.ts';

/** /health says the process lives; /ready says it can serve (database reachable, schema current). */
export function healthRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    try {
      await deps.db.query('SELECT 1');
      if (!(await migrationsCurrent(deps.db))) {
        return c.json({ status: 'not-ready', database: 'ok', migrations: 'pending' }, 503);
      }
      return c.json({ status: 'ready', database: 'ok', migrations: 'current' });
    } catch {
      return c.json({ status: 'not-ready', database: 'unreachable' }, 503);
    }
  });
  return app;
}
