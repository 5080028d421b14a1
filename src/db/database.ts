import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { createPool, type Db } from './pool.ts';

export interface Database {
  db: Db;
  url: string;
  embedded: boolean;
  /** For the log: where the embedded cluster's programs and data are, or whose cluster a tool borrowed. */
  where?: { pgPrograms: string; pgData: string; attachedToPid?: number };
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or runs the embedded PostgreSQL of DATA_DIR/pg when it is unset. The server
 * owns that cluster ('own'); command-line tools pass 'attach' so that, while a server runs, they use its
 * cluster instead of starting or stopping it under the server (demo:reset did, and the server answered 500).
 */
export async function openDatabase(
  config: Config,
  log: (m: string) => void = () => {
    /* quiet unless asked */
  },
  share: 'own' | 'attach' = 'own',
): Promise<Database> {
  if (config.DATABASE_URL) {
    const db = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX);
    return { db, url: config.DATABASE_URL, embedded: false, close: () => db.end() };
  }
  const embedded = await startEmbeddedPostgres(path.join(config.DATA_DIR, 'pg'), { port: config.EMBEDDED_PG_PORT, log, share });
  // Operators' tools (npm run load, audit:verify against a running demo) find the embedded database here.
  if (embedded.attachedTo === null) writeFileSync(embeddedUrlFile(config.DATA_DIR), embedded.url, { mode: 0o600 });
  const db = createPool(embedded.url, config.DATABASE_POOL_MAX);
  return {
    db,
    url: embedded.url,
    embedded: true,
    where: { pgPrograms: embedded.binDir, pgData: embedded.dataDir, ...(embedded.attachedTo !== null && { attachedToPid: embedded.attachedTo }) },
    close: async () => {
      await db.end();
      await embedded.stop();
    },
  };
}

/** Where a running server with an embedded PostgreSQL writes that database's URL (mode 0600). */
export const embeddedUrlFile = (dataDir: string): string => path.join(dataDir, 'embedded-database-url');
