import { cpSync, mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate, migrationsCurrent, MigrationChecksumError } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe('migrations', () => {
  it('a second run is a no-op and the schema is current', async () => {
    expect(await migrate(t.db)).toEqual({ applied: [] });
    expect(await migrationsCurrent(t.db)).toBe(true);
  });

  it('applies a new numbered file once', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    writeFileSync(path.join(dir, '900_extra.sql'), 'CREATE TABLE migration_probe (id int);');
    expect((await migrate(t.db, dir)).applied).toEqual(['900_extra.sql']);
    expect((await migrate(t.db, dir)).applied).toEqual([]);
    expect(await migrationsCurrent(t.db, dir)).toBe(true);
  });

  it('refuses to start when an applied migration was changed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    appendFileSync(path.join(dir, '001_initial.sql'), '\n-- edited after it was applied\n');
    await expect(migrate(t.db, dir)).rejects.toBeInstanceOf(MigrationChecksumError);
    await expect(migrate(t.db, dir)).rejects.toThrow(/001_initial\.sql was changed after it was applied/);
  });

  it('rolls back a failing migration completely', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    writeFileSync(path.join(dir, '901_broken.sql'), 'CREATE TABLE half_done (id int); SELECT no_such_function();');
    await expect(migrate(t.db, dir)).rejects.toThrow(/901_broken\.sql failed/);
    const { rowCount } = await t.db.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'");
    expect(rowCount).toBe(0);
  });
});
