import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/monitoring/logger.ts';
import { startServer } from '../../src/server.ts';
import { testConfig } from '../support/testApp.ts';

// What `npm start` does on a bare machine: no DATABASE_URL → embedded PostgreSQL under DATA_DIR.
describe('embedded PostgreSQL', () => {
  it('serves /ready, seeds the demo once, and keeps its data across a restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'provesal-embedded-'));
    chmodSync(dataDir, 0o755); // the server runs as the postgres user, who must reach the directory
    const config = () => testConfig({ DATA_DIR: dataDir, DEMO: '1' });
    const first = await startServer(config(), createLogger('silent'));
    try {
      expect(first.database.embedded).toBe(true);
      expect((await fetch(`${first.url}/ready`)).status).toBe(200);
      const login = await fetch(`${first.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'elev01', password: 'elev-demo' }),
      });
      expect(login.status).toBe(200);
      await first.deps.db.query("INSERT INTO schools (name, institution_no) VALUES ('Genstart Skole', 'RESTART1')");
    } finally {
      await first.close();
    }
    const second = await startServer(config(), createLogger('silent'));
    try {
      const { rows } = await second.deps.db.query("SELECT count(*)::int AS n FROM schools WHERE institution_no = 'RESTART1'");
      expect(rows[0].n).toBe(1);
      const sittings = await second.deps.db.query('SELECT count(*)::int AS n FROM sittings');
      expect(sittings.rows[0].n).toBe(3); // the demo's essay, item-test and mathematics sittings, seeded only into an empty database
    } finally {
      await second.close();
    }
  }, 90_000);
});
