import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdvisoryLock } from './advisoryLocks.ts';
import type { Db } from './pool.ts';
import { withTransaction } from './pool.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

export interface Migration {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationChecksumError extends Error {
  constructor(readonly migration: string) {
    super(
      `Migration ${migration} was changed after it was applied (checksum differs). ` +
        'Never edit an applied migration: restore it and add a new numbered file.',
    );
  }
}

/** Reads `NNN_name.sql` files in numeric order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3,}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), 'utf8');
      return {
        id: Number(file.split('_')[0]),
        name: file,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** Applies each pending migration once, in its own transaction; refuses changed applied ones. */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<{ applied: string[] }> {
  const migrations = readMigrations(dir);
  const client = await db.connect();
  try {
    // A session lock serialises concurrent migrators (two app nodes starting at once).
    await client.query('SELECT pg_advisory_lock($1)', [AdvisoryLock.migrations]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ id: number; name: string; checksum: string }>('SELECT id, name, checksum FROM schema_migrations ORDER BY id');
    const done = new Map(rows.map((r) => [r.id, r]));
    for (const m of migrations) {
      const prior = done.get(m.id);
      if (prior && prior.checksum !== m.checksum) throw new MigrationChecksumError(m.name);
    }
    const applied: string[] = [];
    for (const m of migrations.filter((x) => !done.has(x.id))) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (id, name, checksum) VALUES ($1, $2, $3)', [m.id, m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.name);
    }
    return { applied };
  } finally {
    // A session lock stays with its connection: if the unlock fails, destroy the connection (release with the
    // error) rather than return it to the pool still holding the lock, which would block every later migrator.
    const unlockError = await client.query('SELECT pg_advisory_unlock($1)', [AdvisoryLock.migrations]).then(
      () => undefined,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    client.release(unlockError);
  }
}

/** True when every migration file is applied with its current checksum (for /ready). */
export async function migrationsCurrent(db: Db, dir = MIGRATIONS_DIR): Promise<boolean> {
  const files = readMigrations(dir);
  const { rows } = await db.query<{ id: number; checksum: string }>('SELECT id, checksum FROM schema_migrations');
  const applied = new Map(rows.map((r) => [r.id, r.checksum]));
  return files.every((m) => applied.get(m.id) === m.checksum);
}

export { withTransaction };
