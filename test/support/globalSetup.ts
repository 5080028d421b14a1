import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrate, readMigrations } from '../../src/db/migrate.ts';
import { createPool } from '../../src/db/pool.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

let embedded: EmbeddedDatabase | null = null;

/**
 * One real PostgreSQL for the run: DATABASE_URL's server, or an embedded one when it is unset.
 * Migrations are applied once to a template database named by their checksum; every test file then
 * gets its own copy (CREATE DATABASE … TEMPLATE), so files are isolated and run in parallel.
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres(path.join(os.tmpdir(), 'provesal-test-pg'));
    adminUrl = embedded.url;
  }
  const digest = createHash('sha256')
    .update(
      readMigrations()
        .map((m) => m.checksum)
        .join(),
    )
    .digest('hex')
    .slice(0, 12);
  const template = `provesal_tpl_${digest}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE ${template}_tmp`);
      const pool = createPool(withDatabase(adminUrl, `${template}_tmp`), 2);
      await migrate(pool);
      await pool.end();
      await admin.query(`ALTER DATABASE ${template}_tmp RENAME TO ${template}`);
    }
  } finally {
    await admin.end();
  }
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  return async () => {
    await embedded?.stop();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
