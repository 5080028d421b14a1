import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../http/context.ts';

/** /metrics in Prometheus text format. Operational data, no personal data: scraped from the private network. */
export function metricsRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/metrics', async (c) => c.body(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }));
  return app;
}
