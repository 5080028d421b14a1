import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { createPool, type Db } from './pool.ts';

export interface Database {
  db: Db;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR/pg when it is unset. */
export async function openDatabase(config: Config, log: (m: string) => void = () => { /* quiet unless asked */ }): Promise<Database> {
  if (config.DATABASE_URL) {
    const db = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX);
    return { db, url: config.DATABASE_URL, embedded: false, close: () => db.end() };
  }
  const embedded = await startEmbeddedPostgres(path.join(config.DATA_DIR, 'pg'), config.EMBEDDED_PG_PORT, log);
  // Operators' tools (npm run load, audit:verify against a running demo) find the embedded database here.
  writeFileSync(embeddedUrlFile(config.DATA_DIR), embedded.url, { mode: 0o600 });
  const db = createPool(embedded.url, config.DATABASE_POOL_MAX);
  return {
    db,
    url: embedded.url,
    embedded: true,
    close: async () => { await db.end(); await embedded.stop(); },
  };
}

/** Where a running server with an embedded PostgreSQL writes that database's URL (mode 0600). */
export const embeddedUrlFile = (dataDir: string): string => path.join(dataDir, 'embedded-database-url');
