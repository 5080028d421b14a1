import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { startTestServer } from '../support/testApp.ts';

// Hardening point 12: the demo's passwords are public (README), so they must stop working once the demo is off.
let database: TestDatabase;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'harden-demo-'));
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const start = (demo: '0' | '1') => startTestServer({ database, config: { DEMO: demo, DATA_DIR: dataDir } });
const signIn = (url: string, username: string, password: string) =>
  fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

describe('demo accounts', () => {
  it('a server restarted with DEMO=0 over a seeded database refuses the demo passwords and ends demo sessions; DEMO=1 brings them back', async () => {
    let cookie: string;
    const seeded = await start('1');
    try {
      const res = await signIn(seeded.url, 'elev01', 'elev-demo');
      expect(res.status).toBe(200);
      cookie = res.headers.get('set-cookie')!.split(';')[0];
      expect((await signIn(seeded.url, 'ministeriet', 'ministeriet-demo')).status).toBe(200);
    } finally {
      await seeded.closeAll();
    }

    const off = await start('0');
    try {
      for (const [username, password] of [
        ['elev01', 'elev-demo'],
        ['elev30', 'elev-demo'],
        ['ministeriet', 'ministeriet-demo'],
        ['skoleadmin', 'skole-demo'],
        ['tilsyn1', 'tilsyn-demo'],
        ['censor1', 'censor-demo'],
      ]) {
        expect((await signIn(off.url, username, password)).status, username).toBe(401);
      }
      expect((await fetch(`${off.url}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
    } finally {
      await off.closeAll();
    }

    const on = await start('1');
    try {
      expect((await signIn(on.url, 'elev01', 'elev-demo')).status).toBe(200);
    } finally {
      await on.closeAll();
    }
  }, 90_000);

  it('leaves an account with a demo username but its own password alone', async () => {
    const server = await start('1');
    try {
      await server.deps.db.query("UPDATE users SET password_hash = $1 WHERE username = 'tilsyn1'", [await server.deps.passwords.hash('eget-kodeord-123')]);
    } finally {
      await server.closeAll();
    }
    const off = await start('0');
    try {
      expect((await signIn(off.url, 'tilsyn1', 'eget-kodeord-123')).status).toBe(200);
      expect((await signIn(off.url, 'skoleadmin', 'skole-demo')).status).toBe(401);
    } finally {
      await off.closeAll();
    }
  }, 90_000);
});
