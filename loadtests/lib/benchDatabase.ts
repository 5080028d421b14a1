import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';

/**
 * A fresh database for one benchmark run: a new database on DATABASE_URL's server (never the
 * operator's own data), or an embedded PostgreSQL in a temp directory when DATABASE_URL is unset.
 */
export async function freshBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'provesal-bench-'));
    chmodSync(dir, 0o755);
    const embedded = await startEmbeddedPostgres(path.join(dir, 'pg'));
    return { url: embedded.url, drop: () => embedded.stop() };
  }
  const name = `provesal_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Reads `--name value` flags into an object of numbers/strings. */
export function parseFlags(argv: string[], defaults: Record<string, string | number>): Record<string, string | number> {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([\w-]+)$/.exec(argv[i]);
    if (!m) continue;
    const raw = argv[i + 1];
    i++;
    out[m[1]] = typeof defaults[m[1]] === 'number' ? Number(raw) : raw;
  }
  return out;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
