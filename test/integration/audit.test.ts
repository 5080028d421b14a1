import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, verifyAuditChain } from '../../src/audit/auditLog.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const run = promisify(execFile);
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

async function auditVerify(url: string) {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/audit/verifyCli.ts'], { env: { ...process.env, DATABASE_URL: url } });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

describe('audit log', () => {
  it('chains concurrent appends without forking', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit(t.db, { action: 'test.concurrent', subjectId: i, details: { i, nested: { b: 2, a: 1 } } })));
    expect(await verifyAuditChain(t.db)).toEqual({ broken: null, checked: 20 });
  });

  it('refuses UPDATE and DELETE from the application', async () => {
    await expect(t.db.query("UPDATE audit_events SET action = 'x.y' WHERE id = 1")).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM audit_events WHERE id = 1')).rejects.toThrow(/append-only/);
  });

  it('audit:verify prints OK for an intact chain and names the first tampered entry', async () => {
    const ok = await auditVerify(t.url);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK: 20 audit entries/m);

    const { rows } = await t.db.query('SELECT id FROM audit_events ORDER BY id OFFSET 7 LIMIT 1');
    const victim = rows[0].id;
    // A superuser with direct SQL access can bypass the trigger; the chain still gives them away.
    await t.db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update');
    await t.db.query(`UPDATE audit_events SET details = '{"i": 999}' WHERE id = $1`, [victim]);
    await t.db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update');

    const bad = await auditVerify(t.url);
    expect(bad.stdout).toMatch(/BROKEN/);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`first broken audit entry id ${victim}`);
  }, 60_000);
});
